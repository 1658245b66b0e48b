import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { harness, sample, type Harness } from '../helpers/harness.js';
import {
  expectAllFast,
  expectNoDuplicateSeries,
  gcFunction,
  heapAfterGc,
  scrapeLoop,
  timedScrape,
  up,
} from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MIN = 60_000;

describe('fault injection: billing and memory', () => {
  it('billing API down for an hour (ManualClock): balance kept until max_staleness, then dropped; timestamps tell the truth', async () => {
    const start = Date.UTC(2026, 10, 26, 10);
    const clock = new ManualClock(start);
    h = await harness({
      clock,
      sandboxUrlPlaceholder: '@SB@',
      config: {
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            {
              name: 'wallet',
              provider: 'http_json',
              url: '@SB@/wallet/v1/balance',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '5m',
              max_staleness: '30m',
            },
          ],
        },
      },
    });
    await h.refresh();
    const balance = 'whatsapp_credit_balance{account="wallet",currency="USD"}';
    const lastSuccess = 'whatsapp_exporter_source_last_success_timestamp_seconds{source="billing",target="wallet"}';
    let text = await h.scrape();
    const initial = sample(text, balance);
    expect(initial).toBeGreaterThan(0);
    expect(sample(text, lastSuccess)).toBe(start / 1000);
    h.sb.faults.add({ kind: 'http_5xx', match: '/wallet/v1/balance' });
    for (let m = 5; m <= 60; m += 5) {
      clock.set(start + m * MIN);
      await h.refresh();
      text = await (await timedScrape(h.exp.url)).text;
      expect(up(h, text, 'billing', 'wallet')).toBe(0);
      // The last success never moves while down; the attempt does.
      expect(sample(text, lastSuccess)).toBe(start / 1000);
      expect(
        sample(text, 'whatsapp_exporter_source_last_attempt_timestamp_seconds{source="billing",target="wallet"}'),
      ).toBe((start + m * MIN) / 1000);
      // Kept (the old value, not a new one) up to max_staleness, then absent: never invented, never frozen.
      if (m <= 30) expect(sample(text, balance), `minute ${m}`).toBe(initial);
      else expect(sample(text, balance), `minute ${m}`).toBeUndefined();
    }
    // Twelve failed polls, each counted once by reason.
    const billingFailures = text
      .split('\n')
      .filter((l) => l.startsWith('whatsapp_exporter_billing_request_failures_total{provider="http_json"'));
    expect(billingFailures.reduce((n, l) => n + Number(l.split(' ').pop()), 0)).toBe(12);
    h.sb.faults.clear();
    clock.set(start + 65 * MIN);
    await h.refresh();
    text = await h.scrape();
    expect(up(h, text, 'billing', 'wallet')).toBe(1);
    expect(sample(text, balance)).toBeDefined();
    expect(sample(text, lastSuccess)).toBe((start + 65 * MIN) / 1000);
  });

  it('memory stays bounded over 150 faulty refreshes of every kind (heap after GC)', async () => {
    const gc = gcFunction();
    h = await harness({
      sandbox: { phoneNumbers: 40, wabas: 8, businesses: 2 },
      config: {
        graph: { timeout: '300ms', max_retries: 1, retry_base: '5ms', retry_max: '10ms', batch_window: '2ms' },
      },
    });
    const kinds = ['http_5xx', 'html', 'truncated', 'token_expired', 'permission', 'loop_cursor'] as const;
    const cycle = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const id = h!.sb.faults.add({
          kind: kinds[i % kinds.length] as (typeof kinds)[number],
          match: i % 2 ? 'owned_whatsapp' : 'message_templates',
        });
        await h!.refresh();
        h!.sb.faults.remove(id);
        if (i % 10 === 0) await h!.scrape();
      }
    };
    await cycle(30); // warm-up: caches, JIT, first counters of every reason
    const base = await heapAfterGc(gc);
    const logBase = h.logs().length;
    const scrapes = scrapeLoop(h.exp.url, 50);
    await cycle(150);
    expectAllFast(await scrapes.stop());
    await h.refresh();
    // The harness keeps every debug log line in one string (test scaffolding, not the exporter): subtract it.
    const logs = h.logs().length - logBase;
    const grown = (await heapAfterGc(gc)) - base - logs;
    if (process.env.DBG) console.log({ grown, logs });
    expect(grown).toBeLessThan(4 * 1024 * 1024);
    expectNoDuplicateSeries(await h.scrape());
  });
});
