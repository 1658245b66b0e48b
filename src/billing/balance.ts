import type { HttpBalanceSettings } from './settings.js';
import { getPath } from './json-path.js';
import { parseMoney } from './money.js';
import { BillingError } from './errors.js';

import type { BalanceReading } from './data.js';

/** What a balance parser reads from an account's settings: where the answer keeps what. */
export type AnswerSettings = Pick<HttpBalanceSettings, 'balancePath' | 'currencyPath' | 'successPath' | 'successValue'>;

/**
 * Pure: a provider's answer → balance, or a BillingError with a reason. `fallbackCurrency` is the
 * account's `currency`. Every provider uses parseBalance unless its row brings its own parser
 * (src/billing/providers), which checks what JSON paths cannot express and then calls readBalance.
 */
export type AnswerParser = (
  provider: string,
  body: string,
  s: AnswerSettings,
  fallbackCurrency?: string,
) => BalanceReading;

/** Words some providers use instead of ISO codes (MessageBird: "euros"). */
const CURRENCY_WORDS: Record<string, string> = { euros: 'EUR', euro: 'EUR', dollars: 'USD', pounds: 'GBP' };

/** A provider's currency value → an ISO 4217 code, or undefined when it is not one ("credits", "$"). */
export function currencyCode(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const code = CURRENCY_WORDS[v.trim().toLowerCase()] ?? v.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
}

/**
 * Pure: a provider's JSON body → balance. Errors say what is wrong (not JSON, success check
 * failed, balance missing, balance not a number, no currency) and are never turned into a zero.
 */
export const parseBalance: AnswerParser = (provider, body, s, fallbackCurrency) =>
  readBalance(provider, parseJson(provider, body), s, fallbackCurrency);

export function parseJson(provider: string, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new BillingError('answer is not JSON', provider, 'parse');
  }
}

/** The balance and currency of a parsed answer, after the success check. */
export function readBalance(
  provider: string,
  json: unknown,
  s: AnswerSettings,
  fallbackCurrency?: string,
): BalanceReading {
  if (s.successPath !== undefined) {
    const ok = getPath(json, s.successPath);
    if (ok !== s.successValue)
      throw new BillingError(`success check failed: ${s.successPath} is ${quote(ok)}`, provider, 'upstream_error');
  }
  const raw = getPath(json, s.balancePath);
  if (raw === undefined || raw === null || raw === '')
    throw new BillingError(`no balance at ${s.balancePath}`, provider, 'missing_field');
  const micros = parseMoney(raw);
  if (micros === undefined)
    throw new BillingError(`balance at ${s.balancePath} is not a number: ${quote(raw)}`, provider, 'parse');
  return { micros, currency: answerCurrency(provider, json, s.currencyPath) ?? need(provider, s, fallbackCurrency) };
}

/**
 * The currency the answer names, if it names one. A value that is not a currency ("credits", a
 * symbol) is an error, not a cue to use the configured one: the balance would be in the wrong unit.
 */
function answerCurrency(provider: string, json: unknown, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const v = getPath(json, path);
  if (v === undefined || v === null || v === '') return undefined;
  const code = currencyCode(v);
  if (!code) throw new BillingError(`currency at ${path} is not an ISO 4217 code: ${quote(v)}`, provider, 'parse');
  return code;
}

function need(provider: string, s: AnswerSettings, fallback: string | undefined): string {
  if (fallback) return fallback;
  throw new BillingError(
    `no currency at ${s.currencyPath ?? '(none configured)'} and none configured`,
    provider,
    'missing_field',
  );
}

/** Upstream text in an error message: JSON-quoted and capped (it goes to logs). */
export const quote = (v: unknown): string => (JSON.stringify(v) ?? 'undefined').slice(0, 40);
