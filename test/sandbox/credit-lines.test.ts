import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currencyAmount } from '../../src/sandbox/credit-lines.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { control, get, postBatch, V } from './helpers.js';

const LINE_FIELDS =
  'credit_type,balance,credit_available,max_balance,online_max_balance,allocated_amount,is_access_revoked,owner_business_name';

describe('sandbox: Meta credit lines (extendedcredits, the line node, its allocation configs)', () => {
  let sb: Sandbox;
  let biz: string;
  let line: string;
  beforeAll(async () => {
    sb = await startSandbox({ businesses: 2, wabas: 2, phoneNumbers: 2 });
    biz = sb.state.businessIds()[0] as string;
    line = sb.state.creditLineIds()[0] as string;
  });
  afterAll(() => sb.close());

  it.each([
    [0, '0.00', '0'],
    [152_035, '1520.35', '152035'],
    [5, '0.05', '5'],
    [-1_250, '-12.50', '-1250'],
  ])('CurrencyAmount of %i hundredths: amount %s, all strings', (h, amount, hundredths) => {
    expect(currencyAmount(h, 'EUR')).toEqual({
      amount,
      amount_in_hundredths: hundredths,
      currency: 'EUR',
      offsetted_amount: hundredths,
    });
  });

  it('the first business owns one line; the edge lists ids by default and any fields on request', async () => {
    const ids = await get(sb, `/${V}/${biz}/extendedcredits`);
    expect(ids.status).toBe(200);
    expect(ids.json.data).toEqual([{ id: line }]);
    const full = await get(sb, `/${V}/${biz}/extendedcredits?fields=${LINE_FIELDS}`);
    expect(full.json.data[0]).toEqual({
      credit_type: 'WHATSAPP_BUSINESS',
      balance: { amount: '1520.35', amount_in_hundredths: '152035', currency: 'USD', offsetted_amount: '152035' },
      credit_available: {
        amount: '8479.65',
        amount_in_hundredths: '847965',
        currency: 'USD',
        offsetted_amount: '847965',
      },
      max_balance: expect.objectContaining({ amount: '10000.00' }),
      online_max_balance: expect.objectContaining({ amount: '10000.00' }),
      allocated_amount: expect.objectContaining({ amount: '3500.00', amount_in_hundredths: '350000' }),
      is_access_revoked: false,
      owner_business_name: 'Acme Retail 1',
      id: line,
    });
    // The second business has none: an empty list, not an error.
    const other = await get(sb, `/${V}/${sb.state.businessIds()[1]}/extendedcredits`);
    expect(other.json.data).toEqual([]);
  });

  it('serves the line node and its allocation configs, charged to the owning business', async () => {
    const node = await get(sb, `/${V}/${line}?fields=credit_available,owner_business`);
    expect(node.json).toEqual({
      credit_available: expect.objectContaining({ amount: '8479.65' }),
      owner_business: { id: biz, name: 'Acme Retail 1' },
      id: line,
    });
    expect(JSON.parse(node.headers['x-business-use-case-usage'] ?? '{}')).toHaveProperty(biz);
    const edge = await get(
      sb,
      `/${V}/${line}/owning_credit_allocation_configs?fields=id,receiving_business{id,name},currency_amount,request_status`,
    );
    expect(edge.json.data).toEqual([
      {
        id: expect.stringMatching(/^14\d{13}$/),
        receiving_business: { id: '510000000000001', name: 'Client 1' },
        currency_amount: expect.objectContaining({ amount: '2000.00' }),
        request_status: 'ACTIVE',
      },
      expect.objectContaining({ receiving_business: { id: '510000000000002', name: 'Client 2' } }),
    ]);
    const unknown = await get(sb, `/${V}/${line}?fields=credit_limit`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe(100);
    expect(unknown.json.error.message).toContain('(ExtendedCredit)');
  });

  it('batch elements reach lines and allocations like top-level calls; stats count them by kind', async () => {
    sb.stats.reset();
    const r = await postBatch(sb, [
      { method: 'GET', relative_url: `${line}?fields=credit_available` },
      { method: 'GET', relative_url: `${line}/owning_credit_allocation_configs?limit=1` },
    ]);
    const [a, b] = r.json as Array<{ code: number; body: string }>;
    expect(a?.code).toBe(200);
    expect(JSON.parse(b?.body ?? '{}').paging.next).toContain('/owning_credit_allocation_configs?');
    expect(sb.stats.byKind).toMatchObject({ batch: 1, credit_line: 1, allocation_configs: 1 });
  });

  it('levers over the control API: patch, revoke, add a second line, add allocations, remove', async () => {
    expect((await control(sb, 'POST', `/credit-lines/${line}`, { is_access_revoked: true })).status).toBe(200);
    expect((await get(sb, `/${V}/${line}?fields=is_access_revoked`)).json.is_access_revoked).toBe(true);
    const added = await control(sb, 'POST', `/businesses/${biz}/credit-lines`);
    expect(added.json.id).toMatch(/^13\d{13}$/);
    expect((await get(sb, `/${V}/${biz}/extendedcredits`)).json.data).toHaveLength(2);
    const more = await control(sb, 'POST', `/credit-lines/${line}/allocations`, { count: 3 });
    expect(more.json.ids).toHaveLength(3);
    expect((await get(sb, `/${V}/${line}/owning_credit_allocation_configs`)).json.data).toHaveLength(5);
    const alloc = more.json.ids[0] as string;
    await control(sb, 'POST', `/allocations/${alloc}`, { receiving_business: { name: 'no id' } });
    expect((await get(sb, `/${V}/${alloc}?fields=receiving_business`)).json.receiving_business).toEqual({
      name: 'no id',
    });
    expect((await control(sb, 'POST', `/credit-lines/${added.json.id}/remove`)).status).toBe(200);
    expect((await get(sb, `/${V}/${added.json.id}`)).json.error.code).toBe(100);
    expect((await control(sb, 'POST', '/credit-lines/1/remove')).status).toBe(404);
    expect((await control(sb, 'POST', `/credit-lines/${line}/allocations`, { count: 0 })).status).toBe(400);
    await control(sb, 'POST', `/credit-lines/${line}`, { is_access_revoked: false });
  });
});
