import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { ManualClock } from '../../src/util/clock.js';
import { family, harness, sample, type Harness } from '../helpers/harness.js';

let exp: RunningExporter | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await exp?.close();
  await h?.close();
  exp = h = undefined;
});

const scrape = async (url: string) => await (await request(`${url}/metrics`)).body.text();

describe('sandbox billing (npm start without credentials)', () => {
  it('serves a falling balance, thresholds, links, statement counters, rate card and Meta pricing', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 10));
    const config = loadConfig({ env: {}, flags: { storagePath: `/tmp/wbe-sandbox-${process.pid}-${Date.now()}` } });
    exp = await startExporter({
      config,
      logger: pino({ level: 'silent' }),
      clock,
      listen: { host: '127.0.0.1', port: 0 },
      processMetrics: false,
      liveTtlMs: 0,
      webhookStream: false,
    });
    await exp.poller.runAll();
    await exp.exposition.flush();
    let t = await scrape(exp.url);
    const first = sample(t, 'whatsapp_credit_balance{account="sandbox-wallet",currency="USD"}');
    // The demo wallet (src/sandbox/timeline.ts): 121 USD at minute 0, 3 USD a minute.
    expect(first).toBe(121);
    expect(family(t, 'whatsapp_billing_account_info')[0]).toContain('top_up_url="https://example.com/billing/top-up"');
    expect(
      sample(t, 'whatsapp_credit_balance_alert_threshold{account="sandbox-wallet",currency="USD",level="low"}'),
    ).toBe(100);
    expect(family(t, 'whatsapp_rate_card_price').length).toBeGreaterThan(10);
    expect(family(t, 'whatsapp_pricing_cost_24h').length).toBeGreaterThan(0);
    expect(family(t, 'whatsapp_pricing_volume_24h').length).toBeGreaterThan(0);
    expect(family(t, 'whatsapp_pricing_cost_month_to_date').length).toBeGreaterThan(0);

    clock.advance(11 * 60_000);
    await exp.poller.runAll();
    await exp.exposition.flush();
    t = await scrape(exp.url);
    // 3 USD per minute for 11 minutes.
    expect(sample(t, 'whatsapp_credit_balance{account="sandbox-wallet",currency="USD"}')).toBe(88);
    // The wallet has an hour of history; 71 minutes = 14 completed 5-minute periods of 15 USD,
    // split 55/25/15/5 by category.
    const debits = family(t, 'whatsapp_credit_debits_total').map((l) => Number(l.split(' ').pop()));
    expect(debits.reduce((a, b) => a + b, 0)).toBeCloseTo(210, 6);
    expect(
      sample(t, 'whatsapp_credit_debits_total{account="sandbox-wallet",currency="USD",category="marketing"}'),
    ).toBe(115.5);

    exp.sandbox?.wallet.topUp(500);
    clock.advance(5 * 60_000);
    await exp.poller.runAll();
    await exp.exposition.flush();
    t = await scrape(exp.url);
    expect(sample(t, 'whatsapp_credit_balance{account="sandbox-wallet",currency="USD"}')).toBe(573);
    // The opening credit (121 + an hour of spend at 3/min) and this top-up.
    expect(sample(t, 'whatsapp_credit_topups_total{account="sandbox-wallet",currency="USD"}')).toBe(801);

    // Minute 40: the demo's own top-up (one cycle's spend, 120 USD) lands on schedule.
    clock.advance(24 * 60_000);
    await exp.poller.runAll();
    await exp.exposition.flush();
    t = await scrape(exp.url);
    expect(sample(t, 'whatsapp_credit_balance{account="sandbox-wallet",currency="USD"}')).toBe(621);
    expect(sample(t, 'whatsapp_credit_topups_total{account="sandbox-wallet",currency="USD"}')).toBe(921);
  });
});

describe('config reload', () => {
  it('SIGHUP twin POST /-/reload applies new thresholds and links; a bad file is rejected and the old config keeps running', async () => {
    h = await harness({
      config: {
        billing: {
          accounts: [
            {
              name: 'w',
              provider: 'statement',
              currency: 'USD',
              thresholds: { low: 100 },
              statement: { file: '/nonexistent' },
            },
          ],
        },
      },
    });
    let t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_balance_alert_threshold{account="w",currency="USD",level="low"}')).toBe(100);
    expect(sample(t, 'whatsapp_exporter_config_last_reload_successful')).toBe(1);

    const doc = parse(readFileSync(h.file, 'utf8')) as { billing: { accounts: Array<Record<string, unknown>> } };
    const acct = doc.billing.accounts[0] as Record<string, unknown>;
    acct.thresholds = { low: 250, critical: 50 };
    acct.top_up_url = 'https://pay.example/top-up';
    writeFileSync(h.file, stringify(doc));
    let res = await request(`${h.exp.url}/-/reload`, { method: 'POST' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await h.exp.exposition.flush();
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_balance_alert_threshold{account="w",currency="USD",level="low"}')).toBe(250);
    expect(sample(t, 'whatsapp_credit_balance_alert_threshold{account="w",currency="USD",level="critical"}')).toBe(50);
    expect(family(t, 'whatsapp_billing_account_info')[0]).toContain('top_up_url="https://pay.example/top-up"');

    acct.thresholds = { low: -5 };
    writeFileSync(h.file, stringify(doc));
    res = await request(`${h.exp.url}/-/reload`, { method: 'POST' });
    expect(res.statusCode).toBe(500);
    expect(await res.body.text()).toContain('billing.accounts[0].thresholds.low');
    await h.exp.exposition.flush();
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_balance_alert_threshold{account="w",currency="USD",level="low"}')).toBe(250);
    expect(sample(t, 'whatsapp_exporter_config_last_reload_successful')).toBe(0);
    expect(h.logs()).toContain('config reload failed');
  });
});
