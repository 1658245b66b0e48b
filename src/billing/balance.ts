import type { HttpBalanceSettings } from './settings.js';
import { getPath } from './json-path.js';
import { parseMoney } from './money.js';
import { BillingError } from './errors.js';

import type { BalanceReading } from './data.js';

/** Words some providers use instead of ISO codes (MessageBird: "euros"). */
const CURRENCY_WORDS: Record<string, string> = { euros: 'EUR', euro: 'EUR', dollars: 'USD', pounds: 'GBP' };

/**
 * Pure: a provider's JSON body → balance. Errors say what is wrong (not JSON, success check
 * failed, balance missing, balance not a number, no currency) and are never turned into a zero.
 */
export function parseBalance(
  provider: string,
  body: string,
  s: Pick<HttpBalanceSettings, 'balancePath' | 'currencyPath' | 'successPath' | 'successValue'>,
  fallbackCurrency?: string,
): BalanceReading {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BillingError('answer is not JSON', provider, 'parse');
  }
  if (s.successPath !== undefined) {
    const ok = getPath(json, s.successPath);
    if (ok !== s.successValue)
      throw new BillingError(
        `success check failed: ${s.successPath} is ${JSON.stringify(ok)?.slice(0, 40)}`,
        provider,
        'upstream_error',
      );
  }
  const raw = getPath(json, s.balancePath);
  if (raw === undefined || raw === null || raw === '')
    throw new BillingError(`no balance at ${s.balancePath}`, provider, 'missing_field');
  const micros = parseMoney(raw);
  if (micros === undefined)
    throw new BillingError(
      `balance at ${s.balancePath} is not a number: ${JSON.stringify(raw).slice(0, 40)}`,
      provider,
      'parse',
    );
  let currency = s.currencyPath !== undefined ? getPath(json, s.currencyPath) : undefined;
  if (typeof currency === 'string') currency = CURRENCY_WORDS[currency.toLowerCase()] ?? currency.toUpperCase();
  const cur = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : fallbackCurrency;
  if (!cur)
    throw new BillingError(
      `no currency at ${s.currencyPath ?? '(none configured)'} and none configured`,
      provider,
      'missing_field',
    );
  return { micros, currency: cur };
}
