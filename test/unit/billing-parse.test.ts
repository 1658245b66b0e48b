import { describe, expect, it } from 'vitest';
import { getPath, parsePath } from '../../src/billing/json-path.js';
import { marketOf } from '../../src/billing/markets.js';
import { parseMoney, toNumber } from '../../src/billing/money.js';
import { parseRateCard, rateCard, RateCardError } from '../../src/billing/rate-card.js';
import { parseBalance } from '../../src/billing/balance.js';
import { BillingError } from '../../src/billing/errors.js';
import { parseStatement } from '../../src/billing/statement.js';

describe('money', () => {
  it.each([
    ['8323.87', 8_323_870_000n],
    ['1.80900', 1_809_000n],
    [150.5, 150_500_000n],
    [0.1, 100_000n],
    ['-20', -20_000_000n],
    ['8,323.87', 8_323_870_000n],
    ['0.0000005', 1n],
    [' 12 ', 12_000_000n],
  ] as const)('%j', (input, micros) => expect(parseMoney(input)).toBe(micros));
  it.each([null, undefined, '', 'abc', '1e5', NaN, Infinity, '12.3.4', {}, true])('rejects %j', (v) =>
    expect(parseMoney(v)).toBeUndefined(),
  );
  it('sums exactly where floats drift', () => {
    let f = 0;
    let m = 0n;
    for (let i = 0; i < 1000; i++) {
      f += 0.1;
      m += parseMoney('0.1') as bigint;
    }
    expect(f).not.toBe(100);
    expect(toNumber(m)).toBe(100);
    expect(toNumber(parseMoney('8323.87') as bigint)).toBe(8323.87);
    expect(toNumber(-1_500_000n)).toBe(-1.5);
  });
});

describe('json path', () => {
  const doc = {
    data: { balance: '300.00' },
    walletResponse: { currentBalance: 150.5 },
    list: [{ total: 1 }, { total: 2 }],
    'x-y': 1,
  };
  it.each([
    ['data.balance', '300.00'],
    ['walletResponse.currentBalance', 150.5],
    ['list[1].total', 2],
    ['data.missing', undefined],
    ['list[5].total', undefined],
    ['data[0]', undefined],
  ])('%s', (p, v) => expect(getPath(doc, p)).toEqual(v));
  it('rejects malformed paths', () => {
    for (const p of ['', '.', 'a..b', 'a[', 'a[x]']) expect(parsePath(p)).toBeUndefined();
    expect(getPath([{ total: 3 }], '[0].total')).toBe(3);
  });
});

describe('parseBalance', () => {
  const s = { balancePath: 'data.balance', currencyPath: 'data.currency' };
  it('reads a decimal string and an ISO currency', () => {
    expect(parseBalance('p', '{"data":{"balance":"300.00","currency":"usd"}}', s)).toEqual({
      micros: 300_000_000n,
      currency: 'USD',
    });
  });
  it('maps currency words and falls back to the configured currency', () => {
    expect(
      parseBalance('p', '{"amount":103,"type":"euros"}', { balancePath: 'amount', currencyPath: 'type' }).currency,
    ).toBe('EUR');
    expect(parseBalance('p', '{"value":10.28}', { balancePath: 'value' }, 'EUR')).toEqual({
      micros: 10_280_000n,
      currency: 'EUR',
    });
  });
  it.each([
    ['<html>oops</html>', 'parse', 'answer is not JSON'],
    ['{"balance":1}', 'missing_field', 'no balance at data.balance'],
    ['{"data":{"balance":null,"currency":"USD"}}', 'missing_field', 'no balance at data.balance'],
    ['{"data":{"balance":"lots","currency":"USD"}}', 'parse', 'is not a number'],
    ['{"data":{"balance":"1"}}', 'missing_field', 'no currency'],
    ['[1,2]', 'missing_field', 'no balance'],
    // A currency that is not one is an error, never a cue to use the configured currency.
    [
      '{"data":{"balance":"1","currency":"credits"}}',
      'parse',
      'currency at data.currency is not an ISO 4217 code: "credits"',
    ],
    ['{"data":{"balance":"1","currency":"₹"}}', 'parse', 'is not an ISO 4217 code'],
    ['{"data":{"balance":"1","currency":840}}', 'parse', 'is not an ISO 4217 code: 840'],
  ])('%s → %s', (body, reason, msg) => {
    let err: unknown;
    try {
      parseBalance('p', body, s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BillingError);
    expect((err as BillingError).reason).toBe(reason);
    expect((err as Error).message).toContain(msg);
  });
  it('an absent, null or empty currency falls back to the configured one; a wrong one does not', () => {
    for (const c of ['', null]) {
      const body = JSON.stringify({ data: { balance: '2', currency: c } });
      expect(parseBalance('p', body, s, 'EUR').currency).toBe('EUR');
    }
    expect(() => parseBalance('p', '{"data":{"balance":"2","currency":"credits"}}', s, 'EUR')).toThrow(/ISO 4217/);
  });
  it('success predicate: 200 with an error body is an upstream error', () => {
    const g = { balancePath: 'balance', successPath: 'status', successValue: 'success' as const };
    expect(() => parseBalance('gupshup', '{"status":"error","message":"Authentication Failed"}', g, 'USD')).toThrow(
      /success check failed/,
    );
    expect(parseBalance('gupshup', '{"status":"success","balance":41.938}', g, 'USD').micros).toBe(41_938_000n);
  });
});

describe('parseStatement', () => {
  const csv =
    'date,type,amount,currency,category,balance\n2026-11-01,credit,500.00,USD,,500.00\n2026-11-02,debit,-12.50,USD,marketing,487.50\n2026-11-02,debit,3.25,USD,Authentication-International,484.25\n2026-11-02,adjustment,1,USD,,485.25\n';
  it('reads CSV with signs, categories and balances', () => {
    const rows = parseStatement('s', csv, 'csv');
    expect(rows.map((r) => [r.kind, r.micros, r.category, r.balanceMicros])).toEqual([
      ['credit', 500_000_000n, 'other', 500_000_000n],
      ['debit', 12_500_000n, 'marketing', 487_500_000n],
      ['debit', 3_250_000n, 'authentication', 484_250_000n],
      ['adjustment', 1_000_000n, 'other', 485_250_000n],
    ]);
    expect(rows[0]?.at).toBe(Date.UTC(2026, 10, 1));
  });
  it('identical rows without ids stay distinct; ids are stable across polls', () => {
    const twice = 'date,amount,currency,category\n2026-11-02,-5,USD,utility\n2026-11-02,-5,USD,utility\n';
    const a = parseStatement('s', twice, 'csv').map((r) => r.id);
    const b = parseStatement('s', twice, 'csv').map((r) => r.id);
    expect(new Set(a).size).toBe(2);
    expect(a).toEqual(b);
    expect(
      parseStatement(
        's',
        '{"rows":[{"id":"t-1","date":1762000000,"type":"DEBIT","amount":"2","currency":"EUR","category":"service"}]}',
        'json',
      )[0],
    ).toMatchObject({ id: 'id:t-1', at: 1_762_000_000_000, kind: 'debit', category: 'service', currency: 'EUR' });
  });
  it.each([
    ['date,amount,currency\nnot-a-date,1,USD\n', 'row 1: no valid date'],
    ['date,amount,currency\n2026-11-02,x,USD\n', 'row 1: amount is not a number'],
    ['date,amount,currency,type\n2026-11-02,1,USD,refund\n', 'unknown type "refund"'],
    ['date,amount\n2026-11-02,1\n', 'no ISO currency'],
  ])('bad statement %j', (text, msg) => expect(() => parseStatement('s', text, 'csv')).toThrow(msg));
  it('bad JSON shapes', () => {
    expect(() => parseStatement('s', '{"nope":1}', 'json')).toThrow(/no rows array/);
    expect(() => parseStatement('s', '<html>', 'json')).toThrow(/not JSON/);
  });
});

describe('rate card', () => {
  it("reads Meta's wide layout with a preamble, a quoted multi-line header and n/a", () => {
    const wide =
      'Cost per message in USD, effective 2026-10-01\nMarket,Currency,Marketing,Utility,Authentication,"Authentication-\nInternational",Service\nIndia,USD,0.0107,0.0014,0.0014,0.0280,n/a\nOther,USD,0.0604,0.0077,0.0224,n/a,n/a\n';
    const prices = parseRateCard(wide);
    expect(prices).toContainEqual({
      market: 'India',
      category: 'authentication_international',
      currency: 'USD',
      price: 0.028,
    });
    expect(prices.filter((p) => p.category === 'service')).toEqual([]);
    const card = rateCard(prices);
    expect(card.priceFor('IN', 'marketing')).toEqual({ price: 0.0107, currency: 'USD' });
    expect(card.priceFor('ZZ', 'utility')).toEqual({ price: 0.0077, currency: 'USD' });
    expect(card.priceFor('IN', 'authentication-international')).toEqual({ price: 0.028, currency: 'USD' });
  });
  it('reads the long layout and names the bad line', () => {
    expect(parseRateCard('market,pricing_category,currency,price\nBrazil,Marketing,usd,0.0625\n')).toEqual([
      { market: 'Brazil', category: 'marketing', currency: 'USD', price: 0.0625 },
    ]);
    expect(() => parseRateCard('market,pricing_category,currency,price\nBrazil,marketing,USD,cheap\n')).toThrow(
      /line 2/,
    );
    expect(() => parseRateCard('a,b\n1,2\n')).toThrow(RateCardError);
  });
  it('maps countries to Meta markets', () => {
    expect([marketOf('us'), marketOf('IN'), marketOf('KE'), marketOf('AT'), marketOf('XX')]).toEqual([
      'North America',
      'India',
      'Rest of Africa',
      'Rest of Western Europe',
      'Other',
    ]);
  });
});
