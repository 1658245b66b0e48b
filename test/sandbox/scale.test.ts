import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, postBatch, V } from './helpers.js';

// The bench shape. Only counts are asserted: timing belongs to `npm run bench`.
describe('bench-scale sandbox (10,000 numbers, 2,000 WABAs, 200 portfolios)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ phoneNumbers: 10_000, wabas: 2_000, businesses: 200 });
  });
  afterAll(() => sb.close());

  it('lists everything with one call per portfolio using nested expansion', async () => {
    const businesses: string[] = [];
    let next: string | undefined = `/${V}/me/businesses?limit=100`;
    while (next) {
      const r = await get(sb, next);
      businesses.push(...r.json.data.map((b: { id: string }) => b.id));
      next = r.json.paging?.next;
    }
    expect(businesses).toHaveLength(200);
    const fields =
      'id,name,currency,whatsapp_business_manager_messaging_limit,phone_numbers.limit(100){id,display_phone_number,quality_rating,status,health_status}';
    const phones = new Set<string>();
    for (let i = 0; i < businesses.length; i += 50) {
      const batch = businesses.slice(i, i + 50).map((b) => ({
        method: 'GET',
        relative_url: `${b}/owned_whatsapp_business_accounts?limit=100&fields=${encodeURIComponent(fields)}`,
      }));
      const r = await postBatch(sb, batch);
      for (const el of r.json as { code: number; body: string }[]) {
        expect(el.code).toBe(200);
        for (const w of JSON.parse(el.body).data) for (const p of w.phone_numbers.data) phones.add(p.id);
      }
    }
    expect(phones.size).toBe(10_000);
    expect(sb.stats.toJSON()).toEqual({
      httpRequests: 2 + 4,
      subRequests: 200,
      byKind: { me_businesses: 2, batch: 4, owned_wabas: 200 },
    });
  });
});
