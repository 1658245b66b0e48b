import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS } from '../../src/sources/keys.js';
import { harness, sample, type Harness } from '../helpers/harness.js';
import { dataSeries, up } from './helpers.js';

/**
 * Issue #19, D9: a paging cursor that never ends burned Meta's budget. Cursors were compared only
 * with each other, so a cursor that is new every time ran to MAX_PAGES = 500 calls per refresh,
 * every interval, against 200 calls per hour per WABA, and none of it was counted as a failure.
 * Now a page that repeats items already read ends the listing after one follow-up call, a refresh
 * reads at most the follow-up pages the budget allows in one interval, and both are counted.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const failures = (text: string, endpoint: string, reason: string) =>
  sample(text, `whatsapp_exporter_graph_api_request_failures_total{endpoint="${endpoint}",reason="${reason}"}`);

describe('paging within the budget', () => {
  it('a cursor that is new every time but serves the same page: two calls a refresh, counted as parse, last good data kept', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 },
      config: { graph: { page_limit: 1 } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    h.sb.faults.add({ kind: 'endless_cursor', match: 'owned_whatsapp_business_accounts' });
    h.sb.stats.reset();
    const refreshes = 3;
    for (let i = 0; i < refreshes; i++) await h.refresh();
    const text = await h.scrape();
    // The first page and one follow-up per refresh (before: 500 per refresh).
    expect(h.sb.stats.byKind.owned_wabas).toBe(2 * refreshes);
    expect(up(h, text, 'graph_accounts', biz)).toBe(0);
    expect(h.exp.store.get(ACCOUNTS, biz)?.error?.reason).toBe('parse');
    expect(failures(text, 'owned_whatsapp_business_accounts', 'parse')).toBe(refreshes);
    expect(dataSeries(text)).toEqual(before);
    expect(h.logs()).toContain('a page repeats items already read (upstream paging loop)');
  });

  it('a cursor that repeats: counted as a failure too', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 },
      config: { graph: { page_limit: 1 } },
    });
    h.sb.faults.add({ kind: 'loop_cursor', match: 'owned_whatsapp_business_accounts' });
    await h.refresh();
    expect(failures(await h.scrape(), 'owned_whatsapp_business_accounts', 'parse')).toBe(1);
  });

  it('a listing longer than the pages one refresh may spend: stops at the budget-derived cap, too_large, counted', async () => {
    // 300/h × 0.5 × 1 h (the harness's interval) = 150 follow-up pages (above the floor of 100);
    // 160 WABAs one per page need 159.
    h = await harness({
      sandbox: { phoneNumbers: 160, wabas: 160, businesses: 1 },
      config: { graph: { page_limit: 1, hourly_budget_per_waba: 300, budget_share: 0.5 } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    expect(up(h, await h.scrape(), 'graph_accounts', biz)).toBe(0);
    h.sb.stats.reset();
    await h.refresh();
    const text = await h.scrape();
    // The first page and 150 follow-ups, not one more.
    expect(h.sb.stats.byKind.owned_wabas).toBe(151);
    expect(up(h, text, 'graph_accounts', biz)).toBe(0);
    expect(h.exp.store.get(ACCOUNTS, biz)?.error?.reason).toBe('too_large');
    expect(failures(text, 'owned_whatsapp_business_accounts', 'too_large')).toBe(2);
    expect(h.logs()).toContain('more than 150 follow-up pages in one refresh');
  });

  it('the same listing with the default budget (100 follow-up pages an hour-long refresh): every page read, up', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 60, wabas: 60, businesses: 1 },
      config: { graph: { page_limit: 1 } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    const text = await h.scrape();
    expect(up(h, text, 'graph_accounts', biz)).toBe(1);
    expect(text.split('\n').filter((l) => l.startsWith('whatsapp_phone_number_info{'))).toHaveLength(60);
  });
});
