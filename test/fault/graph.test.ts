import { afterEach, describe, expect, it } from 'vitest';
import { family, harness, sample, type Harness } from '../helpers/harness.js';
import { dataSeries, expectAllFast, expectNoDuplicateSeries, scrapeLoop, timedScrape, up, value } from './helpers.js';
import { ACCOUNTS } from '../../src/sources/keys.js';
import { brokenUpstream, type Breakage, type BrokenUpstream } from '../helpers/broken-upstream.js';

/**
 * Fault injection against the sandbox over real HTTP, in bursts and over durations (the single
 * cases are in test/contract/graph.test.ts). Invariants for every case: /metrics answers 200
 * within 2 s while the fault runs, no series carries a made-up value (data series equal their
 * pre-fault values or are absent), health metrics tell the truth, nothing is counted twice.
 */
let h: Harness | undefined;
let broken: BrokenUpstream | undefined;
afterEach(async () => {
  await h?.close();
  await broken?.close();
  h = broken = undefined;
});

const failures = (text: string, endpoint: string, reason: string) =>
  value(text, `whatsapp_exporter_graph_api_request_failures_total{endpoint="${endpoint}",reason="${reason}"}`) ?? 0;
const sumFailures = (text: string, reason: string) =>
  family(text, 'whatsapp_exporter_graph_api_request_failures_total')
    .filter((l) => l.includes(`reason="${reason}"`))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);

describe('fault injection: Graph API', () => {
  it('5xx bursts over many refreshes: scrapes fast, values frozen (never invented), up=0 then 1, every failure counted once', async () => {
    h = await harness({ sandbox: { phoneNumbers: 8, wabas: 4, businesses: 1 } });
    const before = dataSeries(await h.scrape());
    const [biz] = h.sb.state.businessIds() as [string];
    const scrapes = scrapeLoop(h.exp.url);
    h.sb.faults.add({ kind: 'http_5xx', match: 'owned_whatsapp_business_accounts' });
    h.sb.stats.reset();
    for (let i = 0; i < 8; i++) await h.refresh();
    const during = await h.scrape();
    expect(up(h, during, 'graph_accounts', biz)).toBe(0);
    expect(dataSeries(during)).toEqual(before);
    // 8 refreshes × (1 try + 2 retries) on the listing: each one counted once, by reason.
    expect(h.sb.stats.byKind.owned_wabas).toBe(24);
    expect(sumFailures(during, 'http_5xx')).toBe(24);
    expectNoDuplicateSeries(during);
    h.sb.faults.clear();
    await h.refresh();
    const after = await h.scrape();
    expectAllFast(await scrapes.stop());
    expect(up(h, after, 'graph_accounts', biz)).toBe(1);
    expect(dataSeries(after)).toEqual(before);
    expect(sumFailures(after, 'http_5xx')).toBe(24);
  });

  it('upstream timeouts longer than a scrape timeout: every scrape during the hang is still fast', async () => {
    h = await harness({
      ids: 'wabas',
      sandbox: { phoneNumbers: 4, wabas: 2 },
      config: {
        graph: { timeout: '1500ms', max_retries: 1, retry_base: '10ms', retry_max: '20ms', batch_window: '5ms' },
      },
    });
    const before = dataSeries(await h.scrape());
    h.sb.faults.add({ kind: 'timeout' }); // the batch POST never answers
    const scrapes = scrapeLoop(h.exp.url, 10);
    const t0 = Date.now();
    await h.refresh();
    const took = Date.now() - t0;
    const results = await scrapes.stop();
    expect(took).toBeGreaterThanOrEqual(1_500); // the refresh really hung past the client timeout
    expectAllFast(results);
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(500);
    expect(results.length).toBeGreaterThan(20);
    const text = await h.scrape();
    expect(dataSeries(text)).toEqual(before);
    expect(sumFailures(text, 'timeout')).toBeGreaterThan(0);
    expect(sumFailures(text, 'connect')).toBe(0);
    for (const w of h.sb.state.wabaIds()) expect(up(h, text, 'graph_accounts', w)).toBe(0);
  });

  it.each<[Breakage, 'connect' | 'timeout']>([
    ['refused', 'connect'],
    ['closed', 'connect'],
    ['reset', 'connect'],
    ['silent', 'timeout'],
  ])('a %s connection to Graph counts as reason=%s, never as the other', async (kind, reason) => {
    broken = await brokenUpstream(kind);
    h = await harness({
      ids: 'wabas',
      sandbox: { phoneNumbers: 4, wabas: 2 },
      env: { WHATSAPP_GRAPH_API_URL: broken.url },
      config: {
        graph: { timeout: '300ms', max_retries: 1, retry_base: '10ms', retry_max: '20ms', batch_window: '5ms' },
      },
    });
    await h.refresh();
    const text = await h.scrape();
    expect(sumFailures(text, reason)).toBeGreaterThan(0);
    expect(sumFailures(text, reason === 'connect' ? 'timeout' : 'connect')).toBe(0);
    for (const w of h.sb.state.wabaIds()) expect(up(h, text, 'graph_accounts', w)).toBe(0);
    expect(h.logs()).not.toContain(broken.url);
  });

  it('HTML error pages and truncated JSON, alternating for 10 refreshes: reasons counted, values untouched, then recovery', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 4, wabas: 2 } });
    const [w1, w2] = h.sb.state.wabaIds() as [string, string];
    const before = dataSeries(await h.scrape());
    const scrapes = scrapeLoop(h.exp.url);
    for (let i = 0; i < 10; i++) {
      const id = h.sb.faults.add({ kind: i % 2 ? 'truncated' : 'html', match: `${i % 2 ? w1 : w2}?` });
      await h.refresh();
      h.sb.faults.remove(id);
    }
    const text = await h.scrape();
    expect(dataSeries(text)).toEqual(before);
    // html: 5 refreshes × 3 attempts (retried like a 5xx); truncated: 5 × 1 (a parse error is not retried).
    expect(failures(text, 'waba', 'http_5xx')).toBe(15);
    expect(failures(text, 'waba', 'parse')).toBe(5);
    expect(up(h, text, 'graph_accounts', w1)).toBe(0);
    await h.refresh();
    const after = await h.scrape();
    expectAllFast(await scrapes.stop());
    expect(up(h, after, 'graph_accounts', w1)).toBe(1);
    expect(up(h, after, 'graph_accounts', w2)).toBe(1);
    expectNoDuplicateSeries(after);
  });

  it('throttled at 100 % usage: paused loops send nothing at all for many refreshes; others keep polling', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 4, wabas: 2 } });
    const [w1, w2] = h.sb.state.wabaIds() as [string, string];
    h.sb.faults.add({ kind: 'throttle', match: w1, regainMinutes: 30 });
    await h.refresh();
    let text = await h.scrape();
    expect(sample(text, `whatsapp_exporter_graph_api_usage_ratio{business_id="${w1}",kind="call_count"}`)).toBe(1);
    const throttled = sumFailures(text, 'rate_limited');
    expect(throttled).toBeGreaterThan(0);
    h.sb.stats.reset();
    for (let i = 0; i < 10; i++) await h.refresh();
    // Not one request for w1 while paused (WABA read or templates): the fault would have counted them.
    const hits = h.sb.faults.list()[0]?.hits ?? 0;
    await h.refresh();
    expect(h.sb.faults.list()[0]?.hits).toBe(hits);
    text = await h.scrape();
    expect(sumFailures(text, 'rate_limited')).toBe(throttled);
    expect(h.sb.stats.byKind.waba).toBe(11); // w2 only, once per refresh (10 + 1)
    expect(up(h, text, 'graph_accounts', w2)).toBe(1);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(4);
  });

  it('token expiry mid-run: data kept, token valid drops to 0 within the refresh, no retry storm; recovery when it is back', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const before = dataSeries(await h.scrape()).filter((l) => !l.startsWith('whatsapp_access_token'));
    h.sb.faults.add({ kind: 'slow', match: 'message_templates', delayMs: 300, times: 2 });
    const refresh = h.refresh();
    await new Promise((r) => setTimeout(r, 100));
    const expired = h.sb.faults.add({ kind: 'token_expired' }); // expires while the refresh is in flight
    await refresh;
    h.sb.stats.reset();
    for (let i = 0; i < 5; i++) await h.refresh();
    const text = await h.scrape();
    expect(sample(text, 'whatsapp_access_token_valid{credential="default"}')).toBe(0);
    expect(dataSeries(text).filter((l) => !l.startsWith('whatsapp_access_token'))).toEqual(before);
    // Auth errors are never retried: per refresh one batch + one debug_token (+ the token kick).
    expect(h.sb.stats.httpRequests).toBeLessThanOrEqual(5 * 3);
    h.sb.faults.remove(expired);
    await h.refresh();
    expect(sample(await h.scrape(), 'whatsapp_access_token_valid{credential="default"}')).toBe(1);
  });

  it('a paging cursor that loops: terminates with a parse error (no hang), repeatedly, and the rest keeps working', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 30, wabas: 3, businesses: 1, templatesPerWaba: 6 },
      config: { graph: { page_limit: 1, retry_base: '10ms', retry_max: '40ms', timeout: '2s', batch_window: '5ms' } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    h.sb.faults.add({ kind: 'loop_cursor', match: 'owned_whatsapp_business_accounts' });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await h.refresh();
    expect(Date.now() - t0).toBeLessThan(10_000);
    const text = await h.scrape();
    expect(up(h, text, 'graph_accounts', biz)).toBe(0);
    expect(h.exp.store.get(ACCOUNTS, biz)?.error?.reason).toBe('parse');
    expect(dataSeries(text)).toEqual(before);
    expect(h.logs()).toContain('paging cursor repeats');
  });

  it('a WABA removed and re-added five times: series and loops follow, nothing duplicated, store bounded', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 } });
    const [, gone] = h.sb.state.wabaIds() as [string, string];
    const full = dataSeries(await h.scrape());
    const entries = h.exp.store.all().length;
    for (let i = 0; i < 5; i++) {
      h.sb.state.removeWaba(gone);
      await h.refresh();
      const text = await h.scrape();
      expect(text).not.toContain(`waba_id="${gone}"`);
      expect(h.exp.poller.targets().some((t) => t.target === gone)).toBe(false);
      h.sb.state.restoreWaba(gone);
      await h.refresh();
      const back = await h.scrape();
      expectNoDuplicateSeries(back);
      expect(dataSeries(back)).toEqual(full);
    }
    expect(h.exp.store.all().length).toBe(entries);
  });

  it('duplicated phone numbers across several WABAs: exported once, under the lowest WABA id, through removals', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 } });
    const [w1, w2, w3] = h.sb.state.wabaIds() as [string, string, string];
    const [p1] = h.sb.state.phoneIds() as [string];
    h.sb.state.duplicatePhone(p1, w2);
    h.sb.state.duplicatePhone(p1, w3);
    await h.refresh();
    let text = await h.scrape();
    expect(
      family(text, 'whatsapp_phone_number_info').filter((l) => l.includes(`phone_number_id="${p1}"`)),
    ).toHaveLength(1);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(6);
    expectNoDuplicateSeries(text);
    h.sb.state.removeWaba(w1);
    await h.refresh();
    text = await h.scrape();
    // Its home WABA is gone, but Meta still lists it under w2 and w3: still exactly once.
    expect(
      family(text, 'whatsapp_phone_number_info').filter((l) => l.includes(`phone_number_id="${p1}"`)),
    ).toHaveLength(1);
    expectNoDuplicateSeries(text);
  });

  it('200 concurrent scrapes during a slow refresh: all 200 OK, within the budget, identical bodies', async () => {
    h = await harness({ sandbox: { phoneNumbers: 200, wabas: 20, businesses: 2 } });
    h.sb.faults.add({ kind: 'slow', delayMs: 800 });
    const refresh = h.refresh();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => timedScrape(h!.exp.url, i % 2 === 1)));
    await refresh;
    expectAllFast(results);
    const plain = results.filter((_, i) => i % 2 === 0).map((r) => dataSeries(r.text).join('\n'));
    expect(new Set(plain).size).toBe(1);
    expect(family(results[0]?.text ?? '', 'whatsapp_phone_number_info')).toHaveLength(200);
  });
});
