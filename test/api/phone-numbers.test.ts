// GET /api/v1/phone-numbers over real HTTP against the sandbox: the item shape, filters, search by
// digits written any way, 400s with a message (never 500), auth like /metrics, and a walk over
// 10,000 numbers that sees each exactly once while the sandbox changes numbers during the walk.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Item {
  phone_number_id: string;
  waba_id: string;
  business_id: string;
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  status: string | null;
}
interface Body {
  items: Item[];
  next_cursor: string | null;
  total: number;
  error?: string;
}

const get = async (x: Harness, path: string, headers: Record<string, string> = {}) => {
  const res = await request(`${x.exp.url}${path}`, { headers });
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), body: JSON.parse(text) as Body };
};

describe('GET /api/v1/phone-numbers', () => {
  it('lists every number with its ids, names, quality and status; filters and searches', async () => {
    h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1 } });
    const all = await get(h, '/api/v1/phone-numbers');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.next_cursor).toBeNull();
    const ids = h.sb.state.phoneIds();
    expect(all.body.items.map((i) => i.phone_number_id)).toEqual([...ids].sort());
    const first = all.body.items[0] as Item;
    const entry = h.sb.state.phone(first.phone_number_id);
    expect(first).toMatchObject({
      waba_id: entry?.wabaId,
      display_phone_number: entry?.wire.display_phone_number,
      verified_name: entry?.wire.verified_name,
      quality_rating: entry?.wire.quality_rating === 'NA' ? 'UNKNOWN' : entry?.wire.quality_rating,
      status: entry?.wire.status,
    });
    expect(first.business_id).toMatch(/^\d+$/);

    // The display number's digits, written another way, find it; so do the id and a name part.
    const digits = first.display_phone_number.replace(/\D/g, '');
    const spaced = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    for (const q of [spaced, digits.slice(-7), first.phone_number_id]) {
      const r = await get(h, `/api/v1/phone-numbers?q=${encodeURIComponent(q)}`);
      expect(
        r.body.items.map((i) => i.phone_number_id),
        q,
      ).toContain(first.phone_number_id);
    }
    const byName = await get(
      h,
      `/api/v1/phone-numbers?q=${encodeURIComponent(first.verified_name.slice(0, 4).toUpperCase())}`,
    );
    expect(byName.body.items.map((i) => i.phone_number_id)).toContain(first.phone_number_id);
    const none = await get(h, '/api/v1/phone-numbers?q=no-such-number-anywhere');
    expect(none.body).toEqual({ items: [], next_cursor: null, total: 0 });

    const inWaba = await get(h, `/api/v1/phone-numbers?waba_id=${first.waba_id}`);
    expect(inWaba.body.items.every((i) => i.waba_id === first.waba_id)).toBe(true);
    expect(inWaba.body.total).toBe(ids.filter((id) => h?.sb.state.phone(id)?.wabaId === first.waba_id).length);
    const q = first.quality_rating.toLowerCase();
    const byQuality = await get(h, `/api/v1/phone-numbers?quality=${q}`);
    expect(byQuality.body.items.length).toBeGreaterThan(0);
    expect(byQuality.body.items.every((i) => i.quality_rating === first.quality_rating)).toBe(true);

    // Two pages of one.
    const p1 = await get(h, '/api/v1/phone-numbers?limit=2');
    expect(p1.body.items).toHaveLength(2);
    const p2 = await get(h, `/api/v1/phone-numbers?limit=2&cursor=${p1.body.next_cursor}`);
    expect(p2.body.items.map((i) => i.phone_number_id)).toEqual([all.body.items[2]?.phone_number_id]);
    expect(p2.body.next_cursor).toBeNull();
  });

  it('answers 400 with a message for a bad limit, cursor, filter or value, never 500', async () => {
    h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1 } });
    for (const [query, message] of [
      ['limit=501', 'limit must be from 1 to 500'],
      ['limit=0', 'limit must be from 1 to 500'],
      ['limit=-1', 'limit must be a whole number'],
      ['cursor=not-a-cursor', 'cursor is not one this API returned'],
      ['cursor=%00', 'cursor is not one this API returned'],
      ['colour=red', 'unknown parameter "colour"'],
      ['quality=PURPLE', 'quality must be one of GREEN, YELLOW, RED, UNKNOWN'],
      ['q=', 'q must not be empty'],
      ['limit=1&limit=2', 'parameter "limit" must be given once'],
    ]) {
      const r = await get(h, `/api/v1/phone-numbers?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.type).toContain('application/json');
      expect(r.body.error, query).toContain(message);
    }
  });

  it('is behind the same auth as /metrics, like / and /api/v1/overview', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1 },
      config: { web: { bearer_token: 'api-test-token-0123456789' } },
    });
    for (const path of [
      '/metrics',
      '/',
      '/api/v1/overview',
      '/api/v1/phone-numbers',
      '/api/v1/phone-numbers?limit=1',
    ]) {
      const anon = await request(`${h.exp.url}${path}`);
      await anon.body.text();
      expect(anon.statusCode, path).toBe(401);
      const ok = await request(`${h.exp.url}${path}`, {
        headers: { authorization: 'Bearer api-test-token-0123456789' },
      });
      await ok.body.text();
      expect(ok.statusCode, path).toBe(200);
    }
  });

  it('walks 10,000 numbers with limit=500, each exactly once, while numbers change during the walk', async () => {
    h = await harness({ sandbox: { phoneNumbers: 10_000, wabas: 2_000, businesses: 200 } });
    const ids = new Set(h.sb.state.phoneIds());
    expect(ids.size).toBe(10_000);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await get(h, `/api/v1/phone-numbers?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((i) => i.phone_number_id));
      cursor = r.body.next_cursor;
      pages++;
      // Twice during the walk the sandbox changes numbers and the exporter polls again.
      if (pages === 5 || pages === 12) {
        for (const id of [...ids].slice(pages * 100, pages * 100 + 50))
          h.sb.state.updatePhone(id, { quality_rating: 'RED' });
        await h.refresh();
      }
    } while (cursor !== null && pages < 100);
    expect(pages).toBe(20);
    expect(seen.length).toBe(10_000);
    expect(new Set(seen)).toEqual(ids);
  }, 120_000);
});
