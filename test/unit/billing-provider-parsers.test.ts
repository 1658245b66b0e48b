import { describe, expect, it } from 'vitest';
import type { AnswerParser, AnswerSettings } from '../../src/billing/balance.js';
import { BillingError } from '../../src/billing/errors.js';
import { parseDialog360 } from '../../src/billing/providers/dialog360-partner.js';
import { parseMessageBird } from '../../src/billing/providers/messagebird.js';
import { parsePlivo } from '../../src/billing/providers/plivo.js';

/**
 * The providers' own answer parsers (pure): what JSON paths cannot say — a postpaid account, an
 * error body with HTTP 200, a unit that is not money — is a BillingError with a reason, never a
 * reading. Their shapes are the documented ones cited in each provider file.
 */
function failure(parse: AnswerParser, body: unknown, s: AnswerSettings, currency?: string): BillingError {
  try {
    parse('p', typeof body === 'string' ? body : JSON.stringify(body), s, currency);
  } catch (e) {
    if (e instanceof BillingError) return e;
    throw e;
  }
  throw new Error('parsed without an error');
}

describe('messagebird', () => {
  const s = { balancePath: 'amount', currencyPath: 'type' };
  const read = (body: unknown, currency?: string) => parseMessageBird('messagebird', JSON.stringify(body), s, currency);

  it.each([
    ['euros', 'EUR'],
    ['pounds', 'GBP'],
    ['dollars', 'USD'],
    ['CHF', 'CHF'],
    ['sek', 'SEK'],
  ])('type %s → %s', (type, currency) => {
    expect(read({ payment: 'prepaid', type, amount: 103.5 })).toEqual({ micros: 103_500_000n, currency });
  });

  it.each([
    [{ payment: 'postpaid', type: 'euros', amount: 0 }, 'upstream_error', 'payment is "postpaid"'],
    [
      { payment: 'prepaid', type: 'credits', amount: 250 },
      'parse',
      'currency at type is not an ISO 4217 code: "credits"',
    ],
    [{ type: 'euros', amount: 5 }, 'missing_field', 'no payment'],
    [{ payment: 'prepaid', type: 'euros' }, 'missing_field', 'no balance at amount'],
    [{ payment: 'prepaid', type: 'euros', amount: 'lots' }, 'parse', 'not a number'],
    [{ payment: 'prepaid', amount: 5 }, 'missing_field', 'no currency'],
    [
      { errors: [{ code: 2, description: 'Request not allowed (incorrect access_key)', parameter: 'access_key' }] },
      'upstream_error',
      'codes 2',
    ],
    [{ errors: [{ description: 'no code' }] }, 'upstream_error', 'codes none'],
    ['<html>maintenance</html>', 'parse', 'not JSON'],
  ])('%j → %s', (body, reason, message) => {
    const e = failure(parseMessageBird, body, s);
    expect(e.reason).toBe(reason);
    expect(e.message).toContain(message);
  });

  it('the configured currency never turns credits into money, and upstream text stays out of messages', () => {
    expect(failure(parseMessageBird, { payment: 'prepaid', type: 'credits', amount: 9 }, s, 'EUR').reason).toBe(
      'parse',
    );
    const e = failure(parseMessageBird, { errors: [{ code: 9, description: 'x'.repeat(500) }] }, s);
    expect(e.message).not.toContain('xxx');
  });
});

describe('dialog360_partner', () => {
  const s = { balancePath: 'total', currencyPath: 'currency' };
  const both = [
    { total: 100.45, currency: 'eur' },
    { total: '12.00', currency: 'usd' },
  ];

  it('reads one record, as an object or a one-item list; the currency is uppercased', () => {
    const one = { micros: 100_450_000n, currency: 'EUR' };
    expect(parseDialog360('d', JSON.stringify({ total: 100.45, currency: 'eur' }), s)).toEqual(one);
    expect(parseDialog360('d', JSON.stringify([{ total: 100.45, currency: 'eur' }]), s)).toEqual(one);
  });

  it("picks the record in the account's currency", () => {
    expect(parseDialog360('d', JSON.stringify(both), s, 'USD')).toEqual({ micros: 12_000_000n, currency: 'USD' });
    expect(parseDialog360('d', JSON.stringify(both), s, 'EUR').micros).toBe(100_450_000n);
  });

  it.each([
    [both, undefined, 'missing_field', '2 balance records (EUR, USD): set currency to pick one'],
    [both, 'GBP', 'missing_field', 'no single balance record in GBP (the answer has EUR, USD)'],
    [[{ total: 100.45, currency: 'eur' }], 'USD', 'missing_field', 'no single balance record in USD'],
    [[], undefined, 'missing_field', 'no balance records'],
    [[{ currency: 'eur' }], undefined, 'missing_field', 'no balance at total'],
    [[{ total: 'N/A', currency: 'eur' }], undefined, 'parse', 'not a number'],
    [[{ total: 5 }], undefined, 'missing_field', 'no currency'],
    [[{ total: 5, currency: '€' }], undefined, 'parse', 'not an ISO 4217 code'],
    [{ meta: { http_code: 404, developer_message: 'Partner not found' } }, undefined, 'missing_field', 'no balance'],
    [[1, 2, 3], undefined, 'missing_field', '3 balance records (?, ?, ?)'],
  ])('%j with currency %s → %s', (body, currency, reason, message) => {
    const e = failure(parseDialog360, body, s, currency);
    expect(e.reason).toBe(reason);
    expect(e.message).toContain(message);
  });

  it('names at most five upstream currencies, validated', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ total: i, currency: i === 0 ? 'x'.repeat(300) : 'usd' }));
    const e = failure(parseDialog360, many, s);
    expect(e.message).toBe('8 balance records (?, USD, USD, USD, USD, …): set currency to pick one');
  });
});

describe('plivo', () => {
  const s = { balancePath: 'cash_credits' };
  it('reads cash_credits (a decimal string) of a prepaid account in the default currency', () => {
    const body = JSON.stringify({ billing_mode: 'prepaid', cash_credits: '1.80900', auto_recharge: false });
    expect(parsePlivo('plivo', body, s, 'USD')).toEqual({ micros: 1_809_000n, currency: 'USD' });
  });
  it.each([
    [{ billing_mode: 'postpaid', cash_credits: '0.00000' }, 'upstream_error', 'billing_mode is "postpaid"'],
    [{ cash_credits: '5.00' }, 'missing_field', 'no billing_mode'],
    [{ billing_mode: 'prepaid' }, 'missing_field', 'no balance at cash_credits'],
    [{ billing_mode: 'prepaid', cash_credits: null }, 'missing_field', 'no balance at cash_credits'],
    [{ billing_mode: 'prepaid', cash_credits: 'N/A' }, 'parse', 'not a number'],
    [{ api_id: 'x', error: 'authentication failed' }, 'missing_field', 'no billing_mode'],
  ])('%j → %s', (body, reason, message) => {
    const e = failure(parsePlivo, body, s, 'USD');
    expect(e.reason).toBe(reason);
    expect(e.message).toContain(message);
  });
});
