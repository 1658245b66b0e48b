// The live dashboard checks' environment: the exporter in sandbox mode (in-process) scraped by a
// real Prometheus that evaluates the project's rules, with the sandbox levers that make the
// failure panels and the annotations have something to show; and the dashboards' queries with
// their variables resolved the way Grafana resolves them. Shared by live.test.ts (3 numbers, both
// state-set modes: every query has data) and live-fleet.test.ts (10,000 numbers: every query is
// bounded).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { DASHBOARDS } from '../../dashboards/src/index.js';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { TEMPLATES } from '../../src/sources/keys.js';
import { sign } from '../../src/webhooks/verify.js';
import { requireBinary } from '../alerts/tools.js';
import {
  RULES_FILE,
  annotationQueries,
  dataPanels,
  expandVariables,
  loadDashboard,
  parseLabelValues,
  type Builtins,
  type Dashboard,
} from './dashboards.js';
import { startPrometheus, waitFor, type PromResult, type PromSample, type RunningPrometheus } from './prometheus.js';

export const JOB = 'whatsapp-business-exporter';
export const LIVE_BUILTINS: Builtins = { rateInterval: '1m', interval: '15s', range: '1h' };

export interface LiveOptions {
  mode: 'active' | 'full';
  /** The sandbox population (config `sandbox:`); default the demo's 3 numbers in 2 WABAs. */
  population?: { phone_numbers: number; wabas: number; businesses: number; scenario: 'demo' | 'static' };
  /** Interval of every Graph source. */
  sourceInterval: string;
  scrapeInterval: string;
  evaluationInterval: string;
  /** How long the first refresh and the first scrape may take. */
  startTimeoutMs: number;
}

export interface Live {
  exp: RunningExporter;
  sb: Sandbox;
  prom: RunningPrometheus;
  close(): Promise<void>;
}

/**
 * Starts the exporter and Prometheus and pulls the sandbox's levers (see live.test.ts for why each
 * one). Everything started is stopped again if a later step fails.
 */
export async function startLive(o: LiveOptions): Promise<Live> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-live-'));
  let exp: RunningExporter | undefined;
  let prom: RunningPrometheus | undefined;
  const close = async () => {
    await prom?.stop();
    await exp?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const file = join(dir, 'config.yml');
    const every = { interval: o.sourceInterval };
    writeFileSync(
      file,
      stringify({
        graph: { timeout: '5s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms' },
        sources: { graph_accounts: every, graph_limits: every, graph_templates: every, graph_token: every },
        storage: { path: join(dir, 'data') },
        // The frequency-cap panels show the configured cap, so the check configures one.
        webhooks: { marketing_frequency_cap: { messages: 4, window: '7d' } },
        metrics: { state_sets: o.mode },
        // One WABA's templates fail for the rest of the test (below); its last good data stays.
        poller: { staleness_intervals: 100 },
        ...(o.population ? { sandbox: o.population } : {}),
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
      o.startTimeoutMs,
      () => 'the first refresh never finished',
    );
    await postMarketingLimitHit(exp, wabas[0] as string, phones[0] as string);
    // ready() means every loop known so far has run once; the template loops come from discovery
    // and may not have run yet. The target must have its success first, or it has no age to show.
    await waitFor(
      async () => e.store.get(TEMPLATES, lastWaba)?.lastSuccess !== undefined,
      o.startTimeoutMs,
      () => 'the first templates refresh never succeeded',
    );
    // Per-target health series exist for failing or stale targets only: one target fails from now
    // on (after a success, so it has a last success to age), as the "Failing or stale targets"
    // panels exist to show; the last WABA's, as the first one's templates change in makeEvents.
    // Health is exported for numbers that cannot send freely only: the phone-number dashboard
    // shows the first number, which is made LIMITED.
    sb.faults.add({ kind: 'http_5xx', match: `${lastWaba}/message_templates`, times: 1_000_000 });
    sb.state.updatePhone(phones[0] as string, {
      health_status: { can_send_message: 'LIMITED', entities: [] },
    });

    prom = await startPrometheus({
      binary: requireBinary('prometheus'),
      target: new URL(exp.url).host,
      job: JOB,
      ruleFiles: [RULES_FILE],
      scrapeInterval: o.scrapeInterval,
      evaluationInterval: o.evaluationInterval,
    });
    const p = prom;
    await waitFor(
      async () => resultOf(await p.query(`up{job="${JOB}"} == 1`)).length > 0,
      o.startTimeoutMs,
      () => `the exporter was never scraped (up == 1):\n${p.log()}`,
    );
    return { exp, sb, prom, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** How many objects makeEvents changes: 1 each for the 3-number check, hundreds for the fleet bound. */
export interface EventScale {
  numbers: number;
  portfolios: number;
  templates: number;
}

/**
 * The events the annotations mark, made after Prometheus has the state before them: numbers turn
 * RED and DISCONNECTED, portfolios' messaging limit tiers change, templates are paused and the
 * wallet is topped up. The phone-number dashboard's number (the first, a single-value variable's
 * default), its portfolio and its WABA are always among them, so its annotations have events too.
 * Annotations look back one step (a minute), so each shows for about a minute.
 */
export async function makeEvents(
  l: Live,
  scale: EventScale = { numbers: 1, portfolios: 1, templates: 1 },
): Promise<void> {
  const { sb, prom, exp } = l;
  // The first number's portfolio and WABA come from its info series. The state before the change
  // must be in Prometheus, or there is no change to see.
  let info: Record<string, string> | undefined;
  await waitFor(
    async () => {
      const first = (await prom.labelValues('phone_number_id', 'whatsapp_phone_number_info'))[0];
      const r = resultOf(await prom.query(`whatsapp_phone_number_info{phone_number_id="${first}"}`));
      info = (r[0] as PromSample | undefined)?.metric;
      const tier = `whatsapp_messaging_limit_tier{business_id="${info?.business_id}"} == 1`;
      return info !== undefined && resultOf(await prom.query(tier)).length > 0;
    },
    30_000,
    () => `the first number and its portfolio's tier were never scraped:\n${prom.log()}`,
  );
  const first = info as Record<string, string>;
  const firstOf = (all: string[], mine: string | undefined, n: number) =>
    [mine as string, ...all.filter((x) => x !== mine)].slice(0, n);
  for (const id of firstOf(sb.state.phoneIds(), first.phone_number_id, scale.numbers))
    sb.state.updatePhone(id, { quality_rating: 'RED', status: 'DISCONNECTED' });
  for (const id of firstOf(sb.state.businessIds(), first.business_id, scale.portfolios)) {
    const tier = sb.state.getBusiness(id)?.whatsapp_business_manager_messaging_limit;
    sb.state.setBusinessLimit(id, tier === 'TIER_100K' ? 'TIER_10K' : 'TIER_100K');
  }
  let paused = 0;
  for (const waba of firstOf(sb.state.wabaIds(), first.waba_id, sb.state.wabaIds().length)) {
    if (paused === scale.templates) break;
    const t = sb.state.getTemplates(waba).find((x) => x.status === 'APPROVED');
    if (!t) continue;
    sb.state.setTemplateStatus(waba, t.name, t.language, 'PAUSED');
    paused++;
  }
  if (paused === 0) throw new Error('no APPROVED template to pause');
  sb.wallet.topUp(500);
  // Every loop now, not at its next turn: the template loops' intervals are stretched to fit
  // Meta's per-WABA budget (src/poller/budget.ts), to half a minute and more.
  await exp.poller.runAll();
  await exp.exposition.flush();
}

export interface Query {
  /** "dashboard › panel [refId]" or "dashboard › annotation name". */
  where: string;
  expr: string;
  /** Grafana runs it as a range query (time series, annotations) or an instant one (stat, table). */
  range: boolean;
  annotation: boolean;
}

/** Every panel and annotation query of every dashboard, variables at their defaults. */
export async function dashboardQueries(p: RunningPrometheus, noValues: string[]): Promise<Query[]> {
  const out: Query[] = [];
  for (const entry of DASHBOARDS) {
    const d = loadDashboard(entry.file);
    const values = await variableValues(p, d, noValues);
    for (const panel of dataPanels(d))
      for (const t of panel.targets ?? [])
        out.push({
          where: `${d.uid} › ${panel.title} [${t.refId}]`,
          expr: expandVariables(t.expr, values, LIVE_BUILTINS),
          range: t.instant !== true,
          annotation: false,
        });
    for (const a of annotationQueries(d))
      out.push({
        where: `${d.uid} › annotation "${a.name}"`,
        expr: expandVariables(a.expr, values, LIVE_BUILTINS),
        range: true,
        annotation: true,
      });
  }
  return out;
}

/**
 * Values for the dashboard's variables, resolved the way Grafana does: each `label_values(selector,
 * label)` in order, with the earlier variables substituted, through /api/v1/label/<name>/values.
 * Multi-value variables default to "All", which Grafana sends as the variable's allValue when it
 * has one (ours: `.*`), else as a regex alternation of every value; single-value variables take
 * the first value.
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
    } else if (!v.multi) values[v.name] = found[0] as string;
    else values[v.name] = v.allValue ?? `(${found.map(escapeRegex).join('|')})`;
  }
  return values;
}

export function resultOf(r: PromResult): PromSample[] | [number, string][] {
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
