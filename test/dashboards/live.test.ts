// Live check: every panel query of every dashboard returns data from a real Prometheus that
// scrapes the exporter (sandbox mode, in-process) and evaluates the project's rules.
//
// What the test does to make data exist, and why it is honest:
// - The exporter runs in sandbox mode with 2 s source intervals; Prometheus scrapes it every 1 s
//   and evaluates alerts/whatsapp.rules.yml every 1 s, so rate() over $__rate_interval (1m here)
//   has ≥ 2 samples a few seconds after the first scrape. The test polls; it never sleeps a fixed time.
// - The error panels (Graph API failures, billing API failures, unknown enum values) show
//   failures, so the test makes one of each: a single 5xx on one WABA read, a single 5xx on the
//   sandbox wallet's balance endpoint, and an unknown quality rating on one number, through the
//   sandbox's own fault and state levers. Each panel then proves it renders what it exists for.
// - The marketing frequency-cap panels show the configured cap, so the config sets one.
// - The per-user marketing limit panel needs one error 131049; the sandbox's random webhook stream
//   sends one only every half minute or so on average, so the test posts one signed failed status.
// - The per-target source health panels show failing or stale targets (the only targets with
//   per-target series by default), so one WABA's templates fail from the first refresh on; the
//   phone-number dashboard's health panels show numbers that cannot send freely, so its number is
//   made LIMITED.
// - The paused-templates panel shows PAUSED or DISABLED templates. The demo calms the population's
//   PAUSED template and pauses its own only at minute 21 of its story (src/sandbox/timeline.ts), so
//   the test pauses one template of the last WABA through the sandbox's state lever.
// - "Active alerts" queries ALERTS (firing and pending). The demo's number is YELLOW from minute 0
//   and the test pauses a template, so WhatsAppQualityRatingYellow and WhatsAppTemplatePaused are
//   pending within a second of the first evaluation; they would fire only after their `for:`
//   (15m / 5m). The panel shows both states on purpose (see dashboards/README.md, "Overview"), so
//   the check needs no wait and no `or vector(0)`.
// Every query must return data. Families the exporter does not serve yet (billing, webhooks) fail
// the check and are listed, panel by panel, in the failure message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DASHBOARDS } from '../../dashboards/src/index.js';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { TEMPLATES } from '../../src/sources/keys.js';
import { sign } from '../../src/webhooks/verify.js';
import { requireBinary } from '../alerts/tools.js';
import {
  RULES_FILE,
  dataPanels,
  expandVariables,
  loadDashboard,
  parseLabelValues,
  type Builtins,
  type Dashboard,
} from './dashboards.js';
import { startPrometheus, waitFor, type PromSample, type RunningPrometheus } from './prometheus.js';

const JOB = 'whatsapp-business-exporter';
const LIVE_BUILTINS: Builtins = { rateInterval: '1m', interval: '15s', range: '1h' };
/** How long the check keeps polling for queries that have no data yet. */
const DATA_DEADLINE_MS = 40_000;

interface Check {
  where: string;
  expr: string;
}

// Both state-set modes: every panel must have data whether state sets export all states or the current one.
describe.each(['active', 'full'] as const)('dashboards against a real Prometheus, state sets %s', (mode) => {
  let exp: RunningExporter | undefined;
  let prom: RunningPrometheus | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wbe-live-'));
    const file = join(dir, 'config.yml');
    const fast = { interval: '2s' };
    writeFileSync(
      file,
      stringify({
        graph: { timeout: '2s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms' },
        sources: { graph_accounts: fast, graph_limits: fast, graph_templates: fast, graph_token: fast },
        storage: { path: join(dir, 'data') },
        // The frequency-cap panels show the configured cap, so the check configures one.
        webhooks: { marketing_frequency_cap: { messages: 4, window: '7d' } },
        metrics: { state_sets: mode },
        // One WABA's templates fail for the rest of the test (below); its last good data stays.
        poller: { staleness_intervals: 100 },
      }),
    );
    // No token in the environment → sandbox mode: the exporter starts the simulator in-process.
    const config = loadConfig({ file, env: {} });
    exp = await startExporter({
      config,
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
      userSetIntervals: true,
      processMetrics: false,
      liveTtlMs: 0,
    });
    const sb = exp.sandbox;
    if (!sb) throw new Error('the exporter did not start in sandbox mode');
    const wabas = sb.state.wabaIds();
    const phones = sb.state.phoneIds();
    sb.faults.add({ kind: 'http_5xx', match: `${wabas[wabas.length - 1]}?`, times: 1 });
    sb.state.updatePhone(phones[phones.length - 1] as string, { quality_rating: 'PURPLE' });
    sb.faults.add({ kind: 'http_5xx', match: '/wallet/v1/balance', times: 1 });
    const lastWaba = wabas[wabas.length - 1] as string;
    const paused = sb.state.getTemplates(lastWaba)[0];
    if (!paused) throw new Error('the last WABA has no template to pause');
    sb.state.setTemplateStatus(lastWaba, paused.name, paused.language, 'PAUSED');
    // After the first accounts listing: the event's business_id comes from it (the panels filter on it).
    const e = exp;
    await waitFor(
      async () => e.poller.ready(),
      30_000,
      () => 'the first refresh never finished',
    );
    await postMarketingLimitHit(exp, wabas[0] as string, phones[0] as string);
    // ready() means every loop known so far has run once; the template loops come from discovery
    // and may not have run yet. The target must have its success first, or it has no age to show.
    await waitFor(
      async () => e.store.get(TEMPLATES, wabas[0] as string)?.lastSuccess !== undefined,
      30_000,
      () => 'the first templates refresh never succeeded',
    );
    // Per-target health series exist for failing or stale targets only: one target fails from now
    // on (after a success, so it has a last success to age), as the "Failing or stale targets"
    // panels exist to show. Health is exported for numbers that cannot send freely only: the
    // phone-number dashboard shows the first number, which is made LIMITED.
    sb.faults.add({ kind: 'http_5xx', match: `${wabas[0]}/message_templates`, times: 1_000_000 });
    sb.state.updatePhone(phones[0] as string, {
      health_status: { can_send_message: 'LIMITED', entities: [] },
    });

    prom = await startPrometheus({
      binary: requireBinary('prometheus'),
      target: new URL(exp.url).host,
      job: JOB,
      ruleFiles: [RULES_FILE],
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    });
    const p = prom;
    await waitFor(
      async () => resultOf(await p.query(`up{job="${JOB}"} == 1`)).length > 0,
      30_000,
      () => `the exporter was never scraped (up == 1):\n${p.log()}`,
    );
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await exp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every panel query returns data', async () => {
    const p = prom as RunningPrometheus;
    const checks: Check[] = [];
    const noValues: string[] = [];
    for (const entry of DASHBOARDS) {
      const d = loadDashboard(entry.file);
      const values = await variableValues(p, d, noValues);
      for (const panel of dataPanels(d)) {
        for (const t of panel.targets ?? [])
          checks.push({
            where: `${d.uid} › ${panel.title} [${t.refId}]`,
            expr: expandVariables(t.expr, values, LIVE_BUILTINS),
          });
      }
    }
    expect(checks.length).toBeGreaterThan(50);

    // Poll until every query has data or the deadline passes (rates need two samples, rules one evaluation).
    let pending = checks;
    const errors = new Map<string, string>();
    const deadline = Date.now() + DATA_DEADLINE_MS;
    while (pending.length > 0 && Date.now() < deadline) {
      const still: Check[] = [];
      for (const c of pending) {
        const r = await p.query(c.expr);
        if (r.status !== 'success') errors.set(c.where, `${r.error ?? 'error'} in: ${c.expr}`);
        else if (resultOf(r).length === 0) still.push(c);
      }
      pending = still;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(
      [...errors].map(([w, e]) => `${w}: ${e}`),
      'queries Prometheus refused',
    ).toEqual([]);
    const empty = pending.map((c) => `${c.where}: ${c.expr.replace(/\s+/g, ' ')}`);
    const why = noValues.length
      ? `\nVariables without values (their panels cannot have data): ${noValues.join(', ')}`
      : '';
    expect(
      empty,
      `${empty.length} of ${checks.length} panel queries returned no data after ${DATA_DEADLINE_MS / 1000}s:\n${empty.join('\n')}${why}`,
    ).toEqual([]);
  }, 120_000);
});

/**
 * Values for the dashboard's variables, resolved the way Grafana does: each `label_values(selector,
 * label)` in order, with the earlier variables substituted, through /api/v1/label/<label>/values.
 * Multi-value variables default to "All", which Grafana sends as a regex alternation of every
 * value; single-value variables take the first value.
 */
async function variableValues(p: RunningPrometheus, d: Dashboard, noValues: string[]): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const v of d.templating.list) {
    if (v.type === 'datasource') {
      values[v.name] = 'prometheus';
      continue;
    }
    const lv = parseLabelValues(String(v.query));
    if (!lv) throw new Error(`${d.uid}: variable ${v.name} is not label_values(): ${String(v.query)}`);
    const found = await p.labelValues(lv.label, expandVariables(lv.selector, values, LIVE_BUILTINS));
    if (found.length === 0) {
      noValues.push(`${d.uid}.$${v.name}`);
      values[v.name] = '__no_value__';
    } else values[v.name] = v.multi ? `(${found.map(escapeRegex).join('|')})` : (found[0] as string);
  }
  return values;
}

function resultOf(r: Awaited<ReturnType<RunningPrometheus['query']>>): PromSample[] | [number, string][] {
  const res = r.data?.result;
  if (!Array.isArray(res)) return [];
  // A scalar result is [time, value]: count it as data.
  return typeof res[0] === 'number' ? [res as [number, string]] : (res as PromSample[]);
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** One signed `failed` status with Meta's per-user marketing limit error (131049), as Meta sends it. */
async function postMarketingLimitHit(e: RunningExporter, wabaId: string, phoneId: string): Promise<void> {
  const secret = e.config().webhooks.appSecrets[0]?.reveal() ?? '';
  const now = Math.floor(Date.now() / 1000);
  const status = { id: `wamid.live-${now}`, status: 'failed', timestamp: String(now), recipient_id: '14155550123' };
  const error = { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' };
  const value = {
    messaging_product: 'whatsapp',
    metadata: { phone_number_id: phoneId },
    statuses: [{ ...status, errors: [error] }],
  };
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, changes: [{ field: 'messages', value }] }],
  });
  const res = await fetch(`${e.url}${e.config().webhooks.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, secret) },
    body,
  });
  if (res.status !== 200) throw new Error(`webhook POST answered ${res.status}`);
}
