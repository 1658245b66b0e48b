// GET /api/v1/{businesses,wabas,templates,accounts} over real HTTP against the sandbox: item
// shapes checked against the simulator's own state, filters, 400s with a message for every bad
// input (never 500), and walks at 10,000 numbers (2,000 WABAs, 8,000 templates) that see each item
// exactly once while the sandbox changes and the exporter re-polls during the walk.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Body<T> {
  items: T[];
  next_cursor: string | null;
  total: number;
  error?: string;
}

const get = async <T = Record<string, unknown>>(x: Harness, path: string) => {
  const res = await request(`${x.exp.url}${path}`);
  return { status: res.statusCode, body: (await res.body.json()) as Body<T> };
};

const wallet = {
  name: 'wallet',
  provider: 'http_json',
  url: 'SANDBOX/wallet/v1/balance',
  balance_path: 'balance',
  currency_path: 'currency',
  thresholds: { low: 100, critical: 25 },
  top_up_url: 'https://pay.example/top-up',
};

describe('the list endpoints', () => {
  it('businesses, WABAs, templates and accounts: the sandbox state, filtered', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 6, wabas: 3, businesses: 2 },
      config: {
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            { ...wallet, business_ids: [] },
            { ...wallet, name: 'second' },
          ],
        },
      },
      sandboxUrlPlaceholder: 'SANDBOX',
    });
    const sb = h.sb.state;

    const businesses = await get<{
      business_id: string;
      name: string;
      phone_count: number;
      waba_count: number;
      numbers_by_quality: Record<string, number>;
    }>(h, '/api/v1/businesses');
    expect(businesses.status).toBe(200);
    expect(businesses.body.items.map((b) => b.business_id)).toEqual([...sb.businessIds()].sort());
    expect(businesses.body.items.reduce((n, b) => n + b.phone_count, 0)).toBe(6);
    const b0 = businesses.body.items[0];
    expect(b0?.name).toBe(sb.getBusiness(b0?.business_id ?? '')?.name);
    expect(Object.values(b0?.numbers_by_quality ?? {}).reduce((n, x) => n + x, 0)).toBe(b0?.phone_count);
    const byName = await get(h, `/api/v1/businesses?q=${encodeURIComponent(String(b0?.name).slice(0, 5))}`);
    expect(byName.body.items.map((b) => b.business_id)).toContain(b0?.business_id);

    const wabas = await get<{
      waba_id: string;
      business_id: string;
      name: string;
      phone_count: number;
      templates_total: number;
    }>(h, '/api/v1/wabas');
    expect(wabas.body.items.map((w) => w.waba_id)).toEqual([...sb.wabaIds()].sort());
    for (const w of wabas.body.items) {
      expect(w.name).toBe(sb.getWaba(w.waba_id)?.name);
      expect(w.templates_total).toBe(sb.getTemplates(w.waba_id).length);
    }
    const inB0 = await get<{ business_id: string }>(h, `/api/v1/wabas?business_id=${b0?.business_id}`);
    expect(inB0.body.total).toBe(b0?.waba_count);
    expect(inB0.body.items.every((w) => w.business_id === b0?.business_id)).toBe(true);

    const templates = await get<{ waba_id: string; name: string; language: string; status: string }>(
      h,
      '/api/v1/templates?limit=500',
    );
    const all = sb.wabaIds().flatMap((w) => sb.getTemplates(w).map((t) => `${w}/${t.name}/${t.language}`));
    expect(templates.body.items.map((t) => `${t.waba_id}/${t.name}/${t.language}`)).toEqual(all.sort());
    const first = templates.body.items[0];
    sb.setTemplateStatus(first?.waba_id ?? '', first?.name ?? '', first?.language ?? '', 'PAUSED');
    await h.refresh();
    const paused = await get<{ name: string; status: string }>(h, '/api/v1/templates?status=paused');
    expect(paused.body.items.map((t) => t.name)).toContain(first?.name);
    expect(paused.body.items.every((t) => t.status === 'PAUSED')).toBe(true);

    const accounts = await get<{
      name: string;
      balance: { amount: number; currency: string } | null;
      level: string;
      links: { top_up: string | null };
      runway: { days: number | null };
    }>(h, '/api/v1/accounts');
    expect(accounts.body.items.map((a) => a.name)).toEqual(['second', 'wallet']);
    const a = accounts.body.items[1];
    // The same reading /metrics serves (both from the snapshot).
    const metrics = (await h.scrape())
      .split('\n')
      .find((l) => l.startsWith('whatsapp_credit_balance{account="wallet"'));
    expect(a?.balance).toEqual({ amount: Number(metrics?.split(' ').pop()), currency: 'USD' });
    expect(a?.links.top_up).toBe('https://pay.example/top-up');
    const ok = await get(h, '/api/v1/accounts?level=OK');
    expect(ok.body.total).toBe(accounts.body.items.filter((x) => x.level === 'ok').length);
  });

  it('400 with a message for every bad input, on every list', async () => {
    h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1 } });
    for (const list of ['businesses', 'wabas', 'templates', 'accounts', 'problems', 'phone-numbers']) {
      for (const [query, message] of [
        ['limit=501', 'limit must be from 1 to 500'],
        ['limit=ten', 'limit must be a whole number'],
        ['cursor=%%%', 'cursor is not one this API returned'],
        ['nope=1', 'unknown parameter "nope"'],
        ['limit=1&limit=2', 'parameter "limit" must be given once'],
      ] as const) {
        const r = await get(h, `/api/v1/${list}?${query}`);
        expect(r.status, `${list}?${query}`).toBe(400);
        expect(r.body.error, `${list}?${query}`).toContain(message);
      }
    }
    expect((await get(h, '/api/v1/accounts?level=broke')).body.error).toContain('level must be one of');
    expect((await get(h, '/api/v1/templates?q=')).body.error).toContain('q must not be empty');
  });

  it('walks 2,000 WABAs and 8,000 templates with limit=500, each exactly once, while the sandbox changes', async () => {
    h = await harness({ sandbox: { phoneNumbers: 10_000, wabas: 2_000, businesses: 200 } });
    const x = h;
    const walk = async (
      list: string,
      keyOf: (i: Record<string, string>) => string,
      change: (page: number) => Promise<void>,
    ) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: { status: number; body: Body<Record<string, string>> } = await get<Record<string, string>>(
          x,
          `/api/v1/${list}?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(r.status).toBe(200);
        seen.push(...r.body.items.map(keyOf));
        cursor = r.body.next_cursor;
        pages++;
        await change(pages);
      } while (cursor !== null && pages < 100);
      return { seen, pages };
    };
    const wabaIds = x.sb.state.wabaIds();
    const w = await walk(
      'wabas',
      (i) => i.waba_id as string,
      async (page) => {
        if (page !== 2) return;
        // Review status changes on WABAs before and after the cursor; the walk neither skips nor repeats.
        for (const id of wabaIds.slice(0, 40)) x.sb.state.updateWaba(id, { account_review_status: 'PENDING' });
        await x.refresh();
      },
    );
    expect(w.pages).toBe(4);
    expect(w.seen.length).toBe(2_000);
    expect(new Set(w.seen)).toEqual(new Set(wabaIds));

    const expected = new Set(
      wabaIds.flatMap((id) => x.sb.state.getTemplates(id).map((t) => `${id}/${t.name}/${t.language}`)),
    );
    expect(expected.size).toBe(8_000);
    const t = await walk(
      'templates',
      (i) => `${i.waba_id}/${i.name}/${i.language}`,
      async (page) => {
        if (page !== 3 && page !== 9) return;
        for (const id of wabaIds.slice(page * 50, page * 50 + 20)) {
          const first = x.sb.state.getTemplates(id)[0];
          if (first) x.sb.state.setTemplateStatus(id, first.name, first.language, 'PAUSED');
        }
        await x.refresh();
      },
    );
    expect(t.pages).toBe(16);
    expect(t.seen.length).toBe(8_000);
    expect(new Set(t.seen)).toEqual(expected);
  }, 180_000);
});
