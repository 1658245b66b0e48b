import { describe, expect, it } from 'vitest';
import type { AnswerParser, AnswerSettings } from '../../src/billing/balance.js';
import { BillingError } from '../../src/billing/errors.js';
import { parseMessageBird } from '../../src/billing/providers/messagebird.js';

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
