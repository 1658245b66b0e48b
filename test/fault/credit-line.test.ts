import { afterEach, describe, expect, it } from 'vitest';
import { BALANCE } from '../../src/sources/keys.js';
import { ManualClock } from '../../src/util/clock.js';
import {
  billingFailures,
  creditLineHarness,
  graphFailures,
  lineAccount,
  lineSeries,
  BIZ,
  LINE,
} from '../helpers/credit-line.js';
import { sample, type Harness } from '../helpers/harness.js';
import { expectAllFast, expectNoDuplicateSeries, scrapeLoop } from './helpers.js';

/**
 * Fault injection on provider meta_credit_line, over real HTTP against the sandbox. Invariants, as
 * for the other Graph sources: scrapes stay fast, the last good line is served until max_staleness
 * (then dropped, never zeroed), the account's billing source is marked down, and each failure is
 * counted once with its reason (Graph: per endpoint; billing: per refresh).
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GOOD = { balance: 8479.65, max: 10000, allocated: 3500, revoked: 0 };

describe('fault injection: Meta credit line', () => {
  it('5xx bursts on the listing: values frozen, source down, each attempt and each refresh counted once; recovery', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    const scrapes = scrapeLoop(h.exp.url);
    h.sb.faults.add({ kind: 'http_5xx', match: 'extendedcredits' });
    h.sb.stats.reset();
    for (let i = 0; i < 5; i++) await h.refresh();
    const during = await h.scrape();
    expect(lineSeries(during, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    // 5 refreshes × (1 try + 2 retries) on the listing; one billing failure per refresh.
    expect(h.sb.stats.byKind.extendedcredits).toBe(15);
    expect(graphFailures(during, 'extendedcredits', 'http_5xx')).toBe(15);
    expect(billingFailures(during, 'http_5xx')).toBe(5);
    expectNoDuplicateSeries(during);
    h.sb.faults.clear();
    await h.refresh();
    const after = await h.scrape();
    expectAllFast(await scrapes.stop());
    expect(lineSeries(after, 'bsp')).toMatchObject({ ...GOOD, up: 1 });
    expect(billingFailures(after, 'http_5xx')).toBe(5);
  });

  it('HTML pages and truncated JSON on the shares, alternating: parse and 5xx reasons, nothing invented', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ, { credit_line_id: LINE })]);
    for (let i = 0; i < 4; i++) {
      const id = h.sb.faults.add({ kind: i % 2 ? 'truncated' : 'html', match: 'owning_credit_allocation_configs' });
      await h.refresh();
      h.sb.faults.remove(id);
    }
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    expect(lineSeries(text, 'bsp').shares).toHaveLength(2);
    // html: 2 refreshes × 3 attempts (retried like a 5xx); truncated: 2 × 1 (a parse error is not retried).
    expect(graphFailures(text, 'credit_allocations', 'http_5xx')).toBe(6);
    expect(graphFailures(text, 'credit_allocations', 'parse')).toBe(2);
    expect(billingFailures(text, 'http_5xx')).toBe(2);
    expect(billingFailures(text, 'parse')).toBe(2);
    await h.refresh();
    expect(lineSeries(await h.scrape(), 'bsp').up).toBe(1);
  });

  it('throttled: the usage header is a ratio, the loop pauses until the regain time and sends nothing meanwhile', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ, { credit_line_id: LINE })]);
    h.sb.faults.add({ kind: 'throttle', match: LINE, regainMinutes: 30 });
    await h.refresh();
    let text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    expect(billingFailures(text, 'rate_limited')).toBe(1);
    expect(sample(text, `whatsapp_exporter_graph_api_usage_ratio{business_id="${BIZ}",kind="call_count"}`)).toBe(1);
    const hits = h.sb.faults.list()[0]?.hits ?? 0;
    h.sb.stats.reset();
    for (let i = 0; i < 5; i++) await h.refresh();
    expect(h.sb.faults.list()[0]?.hits).toBe(hits);
    expect(h.sb.stats.byKind.credit_line).toBeUndefined();
    expect(h.sb.stats.byKind.allocation_configs).toBeUndefined();
    text = await h.scrape();
    expect(billingFailures(text, 'rate_limited')).toBe(1);
  });

  it('token expired: `auth`, not retried, the token re-checked at once; data kept', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    h.sb.faults.add({ kind: 'token_expired', match: 'extendedcredits' });
    h.sb.stats.reset();
    await h.exp.poller.kick(BALANCE, 'bsp');
    await h.exp.poller.settle();
    await h.exp.exposition.flush();
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    expect(h.sb.stats.byKind.extendedcredits).toBe(1);
    expect(billingFailures(text, 'auth')).toBe(1);
    expect(graphFailures(text, 'extendedcredits', 'auth')).toBe(1);
    // The auth failure kicked the token source (debug_token is not faulted here: still valid).
    expect(h.sb.stats.byKind.debug_token).toBe(1);
  });

  it('a slow upstream past graph.timeout: `timeout`, scrapes answer from the cache meanwhile', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ, { credit_line_id: LINE })], {
      config: {
        graph: { timeout: '300ms', max_retries: 1, retry_base: '10ms', retry_max: '20ms', batch_window: '5ms' },
      },
    });
    h.sb.faults.add({ kind: 'slow', match: `${LINE}?`, delayMs: 1_000 });
    const scrapes = scrapeLoop(h.exp.url, 10);
    await h.refresh();
    expectAllFast(await scrapes.stop());
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    expect(billingFailures(text, 'timeout')).toBe(1);
  });

  it('a paging cursor that loops on the shares ends in a parse error, quickly, every time', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    h.sb.state.addAllocations(LINE, 150);
    h.sb.faults.add({ kind: 'loop_cursor', match: 'owning_credit_allocation_configs' });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await h.refresh();
    expect(Date.now() - t0).toBeLessThan(10_000);
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    expect(billingFailures(text, 'parse')).toBe(3);
    expect(h.logs()).toContain('paging cursor repeats');
  });

  it('down for longer than max_staleness: the line is dropped (absent, not 0); it comes back with the upstream', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 12));
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)], { clock });
    h.sb.faults.add({ kind: 'http_5xx', match: 'extendedcredits' });
    clock.advance(3_600_000);
    await h.refresh();
    expect(lineSeries(await h.scrape(), 'bsp')).toMatchObject({ ...GOOD, up: 0 });
    clock.advance(3_600_001); // max_staleness 2h since the last success
    h.exp.exposition.invalidate('billing');
    await h.exp.exposition.flush();
    const stale = await h.scrape();
    expect(lineSeries(stale, 'bsp')).toMatchObject({
      balance: undefined,
      max: undefined,
      allocated: undefined,
      revoked: undefined,
      shares: [],
    });
    h.sb.faults.clear();
    await h.refresh();
    expect(lineSeries(await h.scrape(), 'bsp')).toMatchObject({ ...GOOD, up: 1 });
  });
});
