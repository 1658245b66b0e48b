import { describe, expect, it } from 'vitest';
import { creditLineCallsPerHour, creditLineSettings, creditLineStretch } from '../../src/billing/credit-line/budget.js';
import {
  parseAllocations,
  parseCreditLine,
  pickLine,
  readCurrencyAmount,
} from '../../src/billing/credit-line/parse.js';
import { billingReason } from '../../src/billing/credit-line/source.js';
import { BillingError } from '../../src/billing/errors.js';
import type { Config } from '../../src/config/config.js';
import { GraphError } from '../../src/sources/graph/errors.js';

const M = 1_000_000n;
const ca = (amount: string, hundredths?: string, currency = 'USD') => ({
  amount,
  ...(hundredths === undefined ? {} : { amount_in_hundredths: hundredths }),
  currency,
  offsetted_amount: hundredths ?? '0',
});

/** The BillingError reason of a call, or 'ok'. */
function reasonOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof BillingError) return err.reason;
    throw err;
  }
}

describe('readCurrencyAmount (Meta CurrencyAmount, all strings)', () => {
  it.each([
    ['hundredths win over amount', ca('8479.65', '847965'), 8_479_650_000n, 'USD'],
    ['hundredths exact where the decimal is rounded', ca('0.1', '13'), 130_000n, 'USD'],
    ['amount alone (no hundredths)', ca('1520.35'), 1_520_350_000n, 'USD'],
    ['negative hundredths (over the limit)', ca('-12.50', '-1250'), -12_500_000n, 'USD'],
    ['hundredths as a JSON number', { amount_in_hundredths: 500, currency: 'eur' }, 5n * M, 'EUR'],
    [
      'empty hundredths falls back to amount',
      { amount: '7', amount_in_hundredths: '', currency: 'INR' },
      7n * M,
      'INR',
    ],
  ])('%s', (_name, v, micros, currency) => {
    expect(readCurrencyAmount(v, 'credit_available')).toEqual({ micros, currency });
  });

  it('absent is undefined (not zero); a missing currency comes from the account, else fails', () => {
    expect(readCurrencyAmount(undefined, 'max_balance')).toBeUndefined();
    expect(readCurrencyAmount(null, 'max_balance')).toBeUndefined();
    expect(readCurrencyAmount({ amount: '5' }, 'max_balance', 'GBP')).toEqual({ micros: 5n * M, currency: 'GBP' });
    expect(reasonOf(() => readCurrencyAmount({ amount: '5' }, 'max_balance'))).toBe('missing_field');
    expect(reasonOf(() => readCurrencyAmount({ amount: '5', currency: '$' }, 'max_balance'))).toBe('missing_field');
  });

  it.each([
    ['a bare number', 8479.65, 'parse'],
    ['a string', '8479.65', 'parse'],
    ['an array', [ca('1', '100')], 'parse'],
    ['hundredths with a decimal point', ca('1', '100.5'), 'parse'],
    ['hundredths as text', ca('1', 'lots'), 'parse'],
    ['amount as text', ca('N/A'), 'parse'],
    ['neither amount', { currency: 'USD', offsetted_amount: '0' }, 'missing_field'],
  ])('%s → %s', (_name, v, reason) => {
    expect(reasonOf(() => readCurrencyAmount(v, 'credit_available'))).toBe(reason);
  });
});

describe('parseCreditLine', () => {
  const LINE = {
    id: '1972385232742146',
    credit_type: 'WHATSAPP_BUSINESS',
    balance: ca('1520.35', '152035'),
    credit_available: ca('8479.65', '847965'),
    max_balance: ca('10000.00', '1000000'),
    allocated_amount: ca('3500.00', '350000', 'EUR'),
    is_access_revoked: false,
  };

  it('reads headroom, limit, allocated (each in its own currency) and the revoked flag', () => {
    expect(parseCreditLine(LINE)).toEqual({
      id: LINE.id,
      available: { micros: 8_479_650_000n, currency: 'USD' },
      maxBalance: { micros: 10_000n * M, currency: 'USD' },
      allocated: { micros: 3_500n * M, currency: 'EUR' },
      accessRevoked: false,
      problems: [],
    });
    expect(parseCreditLine({ ...LINE, is_access_revoked: true }).accessRevoked).toBe(true);
  });

  it('optional fields absent: left out, no problem; unusable: left out and reported', () => {
    const bare = parseCreditLine({ id: LINE.id, credit_available: LINE.credit_available });
    expect(bare).toMatchObject({ maxBalance: undefined, allocated: undefined, accessRevoked: undefined, problems: [] });
    const odd = parseCreditLine({
      ...LINE,
      max_balance: 'unlimited',
      allocated_amount: ca('x'),
      is_access_revoked: 'no',
    });
    expect(odd.maxBalance).toBeUndefined();
    expect(odd.allocated).toBeUndefined();
    expect(odd.accessRevoked).toBeUndefined();
    expect(odd.problems).toEqual([
      'max_balance is not a CurrencyAmount: "unlimited"',
      'allocated_amount.amount is not a number: "x"',
      'is_access_revoked is not a boolean: "no"',
    ]);
    expect(odd.available.micros).toBe(8_479_650_000n);
  });

  it.each([
    ['no credit_available', { id: LINE.id, balance: LINE.balance }, 'missing_field'],
    ['credit_available garbage', { ...LINE, credit_available: { amount: 'n/a', currency: 'USD' } }, 'parse'],
    ['no id', { ...LINE, id: undefined }, 'parse'],
    ['an id that is not a Graph id', { ...LINE, id: 'line-1"}' }, 'parse'],
    ['not an object', [LINE], 'parse'],
    ['null', null, 'parse'],
  ])('%s → failure %s (never a zero)', (_name, raw, reason) => {
    expect(reasonOf(() => parseCreditLine(raw))).toBe(reason);
  });
});

describe('pickLine', () => {
  it('one line: that line; none: not_found; several: ambiguous, naming the ids to choose from', () => {
    expect(pickLine([{ id: '1' }], '9')).toEqual({ id: '1' });
    expect(reasonOf(() => pickLine([], '9'))).toBe('not_found');
    expect(reasonOf(() => pickLine([{ id: '1' }, { id: '2' }], '9'))).toBe('ambiguous');
    expect(() => pickLine([{ id: '1' }, { id: '2' }], '9')).toThrow(
      'business 9 has 2 credit lines ("1", "2"): set credit_line_id',
    );
    const many = Array.from({ length: 7 }, (_, i) => ({ id: String(i) }));
    expect(() => pickLine(many, '9')).toThrow('has 7 credit lines ("0", "1", "2", "3", "4", …)');
  });
});

describe('parseAllocations', () => {
  const share = (id: unknown, business: unknown, status = 'ACTIVE') => ({
    id,
    receiving_business: business === undefined ? undefined : { id: business },
    request_status: status,
  });

  it('active shares once each, in id order; malformed and revoked (DELETED) counted apart', () => {
    const out = parseAllocations([
      share('20', '510000000000002'),
      share('3', '510000000000001'),
      share('20', '510000000000002'),
      share('4', '510000000000003', 'DELETED'),
      share('5', undefined),
      share('6', 'client "6"'),
      share('x', '510000000000004'),
      { id: '7', receiving_business: null },
      'garbage',
      null,
    ]);
    expect(out.allocations).toEqual([
      { id: '3', businessId: '510000000000001' },
      { id: '20', businessId: '510000000000002' },
    ]);
    expect(out.revoked).toBe(1);
    expect(out.malformed).toBe(6);
  });

  it('an unknown request_status is still a share (only DELETED is documented as revoked)', () => {
    expect(parseAllocations([share('1', '2', 'PENDING_APPROVAL')]).allocations).toHaveLength(1);
  });
});

describe('billingReason', () => {
  it.each([
    [new BillingError('x', 'meta_credit_line', 'ambiguous'), 'ambiguous'],
    [new GraphError('x', { reason: 'permission', endpoint: 'credit_line', retryable: false }), 'auth'],
    [new GraphError('x', { reason: 'auth', endpoint: 'credit_line', retryable: false }), 'auth'],
    [new GraphError('x', { reason: 'rate_limited', endpoint: 'extendedcredits', retryable: false }), 'rate_limited'],
    [new GraphError('x', { reason: 'http_5xx', endpoint: 'batch', retryable: true }), 'http_5xx'],
    [new GraphError('x', { reason: 'parse', endpoint: 'credit_line', retryable: false }), 'parse'],
    [new Error('target bsp has no Graph credential'), 'upstream_error'],
  ])('%s → %s', (err, reason) => expect(billingReason(err)).toBe(reason));
});

describe('credit-line budget (5,000 requests per hour, graph.budget_share of it)', () => {
  const config = (intervalsMs: number[], share = 0.5) =>
    ({
      graph: { budget_share: share },
      poller: { staleness_intervals: 5 },
      billing: {
        accounts: [
          { name: 'wallet', intervalMs: 1_000, http: {} },
          ...intervalsMs.map((intervalMs, i) => ({ name: `l${i}`, intervalMs, creditLine: { businessId: '1' } })),
        ],
      },
    }) as unknown as Config;

  it('counts 2 calls per refresh of each credit line only (HTTP wallets do not count)', () => {
    expect(creditLineCallsPerHour(config([300_000]))).toBe(24);
    expect(creditLineCallsPerHour(config([300_000, 60_000]))).toBe(24 + 120);
    expect(creditLineStretch(config(Array(104).fill(300_000)))).toBe(1);
  });

  it('stretches every credit-line interval by the same factor beyond the share, staleness with it', () => {
    // 3 lines every 5 s: 3 × 2 × 720 = 4,320/h against 2,500 allowed.
    const c = config([5_000, 5_000, 5_000]);
    expect(creditLineStretch(c)).toBeCloseTo(1.728, 9);
    expect(creditLineSettings(c, { intervalMs: 5_000, maxStalenessMs: 25_000 })).toEqual({
      enabled: true,
      intervalMs: 8_640,
      maxStalenessMs: 43_200,
    });
    expect(creditLineSettings(config([5_000], 1), { intervalMs: 5_000, maxStalenessMs: 25_000 }).intervalMs).toBe(
      5_000,
    );
  });
});
