// Live end to end: sandbox state change → exporter (in process, sandbox mode) → real Prometheus
// (rules rendered by alerts/generate.ts with `for: 0s`) → real Alertmanager (the shipped routing
// tree, receivers pointed at a webhook server in this test) → notification. Everything on
// 127.0.0.1 with free ports; readiness is polled; Prometheus and Alertmanager are stopped by PID.
//
// Each scenario prints one JSON line {"e2e_latency_ms": …} from the sandbox change to the
// notification; they add up the exporter poll (1 s), scrape (1 s), rule evaluation (1 s),
// Prometheus → Alertmanager send and Alertmanager's group_wait / group_interval (1 s here).
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRules } from '../../alerts/generate.js';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { localAlertmanagerConfig, ROOT, SHIPPED_AM_CONFIG } from './alertmanager-config.js';
import {
  freePort,
  localPrometheusConfig,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  waitFor,
  type AmAlert,
  type Child,
  type PromVector,
  type Received,
  type WebhookReceiver,
} from './processes.js';
import { ACCOUNTS } from '../../src/sources/keys.js';

const JOB = 'e2e-exporter';
const APP_SECRET = 'e2e-app-secret-0123456789';
const ACCOUNT = 'sandbox-wallet';
const TOP_UP_URL = 'https://example.com/billing/top-up';
const PAYMENT_URL = 'https://example.com/pay/sandbox-wallet';
/** Upper bound for one sandbox change → notification; typical is a few seconds. */
const NOTIFY_TIMEOUT_MS = 45_000;

const latencies: Array<{ scenario: string; alert: string; status: string; ms: number }> = [];

function record(scenario: string, hit: { alert: AmAlert; notification: Received }, since: number): number {
  const ms = hit.notification.at - since;
  const entry = { scenario, alert: hit.alert.labels.alertname ?? '?', status: hit.alert.status, ms };
  latencies.push(entry);
  console.info(
    JSON.stringify({
      e2e_latency_ms: ms,
      scenario,
      alert: entry.alert,
      status: entry.status,
      receiver: hit.notification.path,
    }),
  );
  return ms;
}

describe('live alert pipeline: sandbox → exporter → Prometheus → Alertmanager → webhook', () => {
  let dir = '';
  let configFile = '';
  let exporter: RunningExporter;
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let am: Child | undefined;
  let prom: (Child & { query(expr: string): Promise<PromVector> }) | undefined;
  let logs = '';

  /** The exporter's config file: graph sources every 1 s (accounts: `accountsInterval`), the sandbox wallet every 1 s. */
  const writeConfig = (o: { sandboxUrl?: string; accountsInterval: string }) => {
    const doc = {
      graph: { timeout: '2s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms' },
      sources: {
        graph_accounts: { interval: o.accountsInterval },
        graph_limits: { interval: '5s' },
        graph_templates: { interval: '5s' },
        graph_token: { interval: '1s' },
      },
      poller: { jitter: 0 },
      storage: { path: join(dir, 'exporter-data') },
      // "static": nothing changes unless the test changes it (the demo timeline moves ratings).
      sandbox: { scenario: 'static' },
      webhooks: { app_secret: APP_SECRET },
      log: { level: 'warn' },
      billing: {
        meta_pricing: { enabled: false },
        // The sandbox's default wallet account polls every 15 s; this is the same account at 1 s.
        // Its URL is only known once the sandbox listens, so it arrives by a config reload.
        // max_staleness keeps the last good balance served while the wallet fails (scenario C).
        accounts: o.sandboxUrl
          ? [
              {
                name: ACCOUNT,
                provider: 'http_json',
                url: `${o.sandboxUrl}/wallet/v1/balance`,
                balance_path: 'balance',
                currency_path: 'currency',
                interval: '1s',
                max_staleness: '10m',
                timeout: '2s',
                thresholds: { low: 100, critical: 25 },
                top_up_url: TOP_UP_URL,
                payment_link_url: PAYMENT_URL,
              },
            ]
          : [],
      },
    };
    writeFileSync(configFile, stringify(doc));
  };
  // An empty environment: a developer's WHATSAPP_ACCESS_TOKEN must not turn this into meta mode.
  const load = () => loadConfig({ file: configFile, env: {} });

  const scrape = async (): Promise<string> => (await fetch(`${exporter.url}/metrics`)).text();
  const sample = (text: string, name: string, labels: Record<string, string>): number | undefined => {
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
        return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return undefined;
  };
  const promValue = async (expr: string): Promise<number | undefined> => {
    const r = await prom?.query(expr);
    const v = r?.data?.result[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  };
  const diagnostics = () =>
    `\n--- exporter log ---\n${logs.slice(-4000)}\n--- prometheus ---\n${prom?.output().slice(-2000) ?? ''}\n--- alertmanager ---\n${am?.output().slice(-2000) ?? ''}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wbe-e2e-'));
    configFile = join(dir, 'exporter.yml');
    receiver = await startWebhookReceiver();

    // 1. Exporter in sandbox mode, in process.
    writeConfig({ accountsInterval: '1s' });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs += String(chunk);
        if (logs.length > 100_000) logs = logs.slice(-50_000);
        cb();
      },
    });
    exporter = await startExporter({
      config: load(),
      logger: pino({ level: 'warn' }, sink),
      listen: { host: '127.0.0.1', port: 0 },
      userSetIntervals: true,
      reloadConfig: load,
      processMetrics: false,
      liveTtlMs: 0,
      // No simulated webhook traffic: its random quality events would re-poll at random times.
      webhookStream: false,
    });
    if (!exporter.sandbox) throw new Error('exporter did not start in sandbox mode');
    sandbox = exporter.sandbox;
    writeConfig({ sandboxUrl: sandbox.url, accountsInterval: '1s' });
    const reloaded = exporter.reload();
    expect(reloaded, reloaded.error).toEqual({ ok: true });
    await waitFor(
      async () => sample(await scrape(), 'whatsapp_credit_balance', { account: ACCOUNT }) !== undefined,
      15_000,
      () => `no balance for ${ACCOUNT} on /metrics${diagnostics()}`,
    );

    // 2. Alertmanager with the shipped routing tree, receivers → this test's webhook server.
    am = await startAlertmanager({
      config: localAlertmanagerConfig(readFileSync(SHIPPED_AM_CONFIG, 'utf8'), {
        webhookBase: receiver.url,
        templatesDir: join(ROOT, 'alerts', 'templates'),
        timings: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
      }),
      dir: join(dir, 'am'),
    });

    // 3. Prometheus: prometheus.yml with local addresses, 1 s intervals, rules with `for: 0s`.
    const rulesFile = join(dir, 'whatsapp.rules.yml');
    writeFileSync(rulesFile, renderRules({ forAll: '0s', exporterUpSelector: `job="${JOB}"` }));
    const promPort = await freePort();
    prom = await startPrometheus({
      port: promPort,
      dir: join(dir, 'prom'),
      config: localPrometheusConfig(readFileSync(join(ROOT, 'prometheus.yml'), 'utf8'), {
        exporter: new URL(exporter.url).host,
        alertmanager: new URL(am.url).host,
        self: `127.0.0.1:${promPort}`,
        rulesFile,
        interval: '1s',
        exporterJob: JOB,
      }),
    });
    await waitFor(
      async () => (await promValue(`up{job="${JOB}"}`)) === 1,
      30_000,
      () => `Prometheus never scraped the exporter${diagnostics()}`,
    );
    // Rules loaded and evaluated (the exporter-down rule has a result once `up` exists).
    await waitFor(
      async () => (await promValue(`count(whatsapp_credit_balance{job="${JOB}"})`)) === 1,
      15_000,
      () => `no balance in Prometheus${diagnostics()}`,
    );
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await am?.stop();
    await exporter?.close();
    await receiver?.close();
    if (latencies.length > 0) {
      console.info(JSON.stringify({ e2e_latencies: latencies }));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('A: below low warns in chat, below critical pages with the account, balance, runway and both links; a top-up resolves it', async () => {
    const isLow = (status: string, threshold: string) => (a: AmAlert) =>
      a.labels.alertname === 'WhatsAppCreditBalanceLow' &&
      a.labels.account === ACCOUNT &&
      a.labels.threshold === threshold &&
      a.status === status;
    // Below low (100), above critical (25): a warning, as on the overview page. Chat and finance, no page.
    const tw = Date.now();
    sandbox.wallet.setBalance(50);
    const warned = await receiver.waitFor(
      (a, n) => n.path === 'chat' && isLow('firing', 'low')(a),
      NOTIFY_TIMEOUT_MS,
      tw,
    );
    record('A balance below low', warned, tw);
    expect(warned.alert.labels).toMatchObject({ severity: 'warning', team: 'billing', account: ACCOUNT });
    await receiver.waitFor((a, n) => n.path === 'finance-email' && isLow('firing', 'low')(a), NOTIFY_TIMEOUT_MS, tw);

    const t0 = Date.now();
    sandbox.wallet.setBalance(20);
    const paged = await receiver.waitFor(
      (a, n) => n.path === 'pager' && isLow('firing', 'critical')(a),
      NOTIFY_TIMEOUT_MS,
      t0,
    );
    record('A balance below critical', paged, t0);
    expect(paged.alert.labels).toMatchObject({
      severity: 'critical',
      team: 'billing',
      account: ACCOUNT,
      currency: 'USD',
      top_up_url: TOP_UP_URL,
      payment_link_url: PAYMENT_URL,
    });
    expect(paged.alert.annotations.top_up_url).toBe(TOP_UP_URL);
    const d = paged.alert.annotations.description ?? '';
    // The account, the balance, the runway (the wallet burns, so the balance's falls give a rate) and both links.
    expect(d).toContain(`Billing account ${ACCOUNT} has `);
    // 20 USD or a little less: the wallet keeps burning between the change and the alert.
    expect(d).toMatch(
      /has (20\.00|1\d\.\d\d) USD of messaging credit left, below its critical threshold of 25\.00 USD/,
    );
    expect(d).toMatch(/\(from the (balance|statement)\) it runs out in \d/);
    expect(d).toContain(`Top up: ${TOP_UP_URL}`);
    expect(d).toContain(`Pay via link: ${PAYMENT_URL}`);
    expect(paged.alert.annotations.summary).toBe(
      `WhatsApp messaging credit of ${ACCOUNT} is below its critical threshold.`,
    );
    expect(paged.alert.annotations.runbook_url).toMatch(/runbook\.md#whatsappcreditbalancelow$/);
    // Billing alerts also reach finance (routing tree: team="billing", continue: true), with the same words.
    const mailed = await receiver.waitFor(
      (a, n) => n.path === 'finance-email' && isLow('firing', 'critical')(a),
      NOTIFY_TIMEOUT_MS,
      t0,
    );
    expect(mailed.notification.body.groupLabels).toEqual({ account: ACCOUNT, currency: 'USD' });
    // Prometheus' runway for the account exists and is short (the wallet burns 6 USD a minute).
    expect(await promValue(`account_currency:whatsapp_credit_runway:days{account="${ACCOUNT}"}`)).toBeLessThan(1);

    const t1 = Date.now();
    sandbox.wallet.topUp(1000);
    const resolved = await receiver.waitFor(
      (a, n) => n.path === 'pager' && isLow('resolved', 'critical')(a),
      NOTIFY_TIMEOUT_MS,
      t1,
    );
    record('A top-up', resolved, t1);
    await receiver.waitFor(
      (a, n) => n.path === 'finance-email' && isLow('resolved', 'critical')(a),
      NOTIFY_TIMEOUT_MS,
      t1,
    );
    // The top-up is a rise of the balance (less what was spent in the same poll interval), not negative spend.
    const text = await scrape();
    expect(sample(text, 'whatsapp_credit_balance_increases_total', { account: ACCOUNT })).toBeGreaterThan(990);
  }, 180_000);

  it('B: a number turning RED (seen by the next poll) pages', async () => {
    const phone = greenPhone(sandbox, 0);
    const t0 = Date.now();
    sandbox.state.updatePhone(phone.id, { quality_rating: 'RED' });
    const hit = await receiver.waitFor(
      (a, n) =>
        n.path === 'pager' &&
        a.status === 'firing' &&
        a.labels.alertname === 'WhatsAppQualityRatingRed' &&
        a.labels.phone_number_id === phone.id,
      NOTIFY_TIMEOUT_MS,
      t0,
    );
    record('B quality RED (poll)', hit, t0);
    // Named in words: display number and verified name looked up in whatsapp_phone_number_info.
    expect(hit.alert.labels).toMatchObject({ severity: 'critical', phone_number_id: phone.id, waba_id: phone.wabaId });
    expect(hit.alert.annotations.summary).toBe(
      `Quality rating RED: WhatsApp number ${phone.display} (${phone.verifiedName}).`,
    );
    expect(hit.alert.annotations.description).toContain(
      `Phone number ${phone.display} (${phone.verifiedName}, id ${phone.id};`,
    );
  }, 120_000);

  it('B: a signed phone_number_quality_update webhook makes the exporter re-poll at once (accounts loop at 1h)', async (ctx) => {
    const path = exporter.config().webhooks.path;
    const probe = await fetch(`${exporter.url}${path}`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    if (probe.status === 404) {
      console.info(
        JSON.stringify({
          e2e_skipped: 'webhook variant',
          reason: `POST ${path} answers 404: the webhook module is not wired into src/main.ts yet`,
        }),
      );
      ctx.skip();
      return;
    }
    expect(probe.status, 'an unsigned POST must be refused').toBe(401);

    // Only a webhook-triggered re-poll can reveal the change now.
    writeConfig({ sandboxUrl: sandbox.url, accountsInterval: '1h' });
    expect(exporter.reload()).toEqual({ ok: true });
    expect(
      exporter.poller
        .targets()
        .filter((t) => t.source === ACCOUNTS.name)
        .every((t) => t.interval_seconds === 3600),
    ).toBe(true);
    await exporter.poller.settle();

    const phone = greenPhone(sandbox, 1);
    sandbox.state.updatePhone(phone.id, { quality_rating: 'RED' });
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: phone.wabaId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: 'phone_number_quality_update',
              value: {
                display_phone_number: phone.display.replace(/\D/g, ''),
                event: 'FLAGGED',
                current_limit: 'TIER_1K',
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
    const lastAccountsPoll = () =>
      Math.max(
        ...exporter.poller
          .targets()
          .filter((t) => t.source === ACCOUNTS.name)
          .map((t) => exporter.store.get(ACCOUNTS, t.target)?.lastAttempt ?? 0),
      );
    const t0 = Date.now();
    // Control: the exporter has not seen the change, and no accounts poll is due for an hour.
    // (Active state sets: a rating the number does not have is no series at all.)
    expect(
      sample(await scrape(), 'whatsapp_phone_number_quality_rating', { phone_number_id: phone.id, rating: 'RED' }),
    ).toBeUndefined();
    expect(lastAccountsPoll()).toBeLessThan(t0);
    const res = await fetch(`${exporter.url}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });
    expect(res.status).toBe(200);
    const hit = await receiver.waitFor(
      (a, n) =>
        n.path === 'pager' &&
        a.status === 'firing' &&
        a.labels.alertname === 'WhatsAppQualityRatingRed' &&
        a.labels.phone_number_id === phone.id,
      NOTIFY_TIMEOUT_MS,
      t0,
    );
    record('B quality RED (webhook)', hit, t0);
    // It was the webhook's re-poll that saw it.
    expect(lastAccountsPoll()).toBeGreaterThanOrEqual(t0);

    writeConfig({ sandboxUrl: sandbox.url, accountsInterval: '1s' });
    expect(exporter.reload()).toEqual({ ok: true });
  }, 120_000);

  it('C: an expired token (Graph error 190) alerts, and /metrics keeps serving the last good balance', async () => {
    const before = sample(await scrape(), 'whatsapp_credit_balance', { account: ACCOUNT });
    expect(before).toBeGreaterThan(100);
    const t0 = Date.now();
    sandbox.faults.add({ kind: 'token_expired' });
    // AccessTokenInvalid is critical (pager); SourceFailing is a warning (chat). Either proves the path.
    const hit = await receiver.waitFor(
      (a, n) =>
        a.status === 'firing' &&
        ((n.path === 'pager' && a.labels.alertname === 'WhatsAppAccessTokenInvalid') ||
          (n.path === 'chat' && a.labels.alertname === 'WhatsAppExporterSourceFailing')),
      NOTIFY_TIMEOUT_MS,
      t0,
    );
    record('C token expired', hit, t0);
    if (hit.alert.labels.alertname === 'WhatsAppAccessTokenInvalid')
      expect(hit.alert.labels).toMatchObject({ severity: 'critical', credential: 'default' });

    // The wallet fails too (the fault has no match), yet the balance is still served: last good value.
    let text = '';
    await waitFor(
      async () =>
        sample((text = await scrape()), 'whatsapp_exporter_source_up', { source: 'billing', target: ACCOUNT }) === 0,
      15_000,
      () => `the billing source never failed under the fault${diagnostics()}`,
    );
    const after = sample(text, 'whatsapp_credit_balance', { account: ACCOUNT });
    expect(after).toBeDefined();
    expect(Math.abs((after ?? 0) - (before ?? 0))).toBeLessThan(5);
    expect(sample(text, 'whatsapp_access_token_valid', { credential: 'default' })).toBe(0);
  }, 120_000);
});

/** A number whose quality is not RED yet (the n-th such), with its WABA and display number. */
function greenPhone(sb: Sandbox, n: number): { id: string; wabaId: string; display: string; verifiedName: string } {
  const candidates = sb.state
    .phoneIds()
    .map((id) => ({ id, entry: sb.state.phone(id) }))
    .filter((p) => p.entry && p.entry.wire.quality_rating !== 'RED');
  const p = candidates[n];
  if (!p?.entry) throw new Error(`the sandbox has fewer than ${n + 1} numbers that are not RED`);
  return {
    id: p.id,
    wabaId: p.entry.wabaId,
    display: String(p.entry.wire.display_phone_number),
    verifiedName: String(p.entry.wire.verified_name),
  };
}
