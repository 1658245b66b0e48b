import type { BalanceReading, CreditAllocation } from '../data.js';
import { BillingError } from '../errors.js';
import { parseMoney, SCALE } from '../money.js';

/**
 * Pure parsers for Meta's credit line (ExtendedCredit) and its allocation configs. Shapes:
 * facebook-python-business-sdk adobjects/extendedcredit.py, currencyamount.py and
 * extendedcreditallocationconfig.py (https://github.com/facebook/facebook-python-business-sdk);
 * BILLING-APIS §13. A bad required value is a BillingError with a reason, never a zero; a bad
 * optional one is left out and reported in `problems` (the source counts and logs them).
 */

export const PROVIDER = 'meta_credit_line';

/** Graph ids are digits: what makes an allocation's label values bounded. */
const GRAPH_ID = /^\d{1,32}$/;
/** An exact amount in hundredths of the major unit (Meta sends it as a string). */
const HUNDREDTHS = /^-?\d{1,18}$/;
const CURRENCY = /^[A-Za-z]{3}$/;
const HUNDREDTH_MICROS = SCALE / 100n;

export interface CreditLineReading {
  readonly id: string;
  /** `credit_available`: what can still be spent; the account's balance. */
  readonly available: BalanceReading;
  readonly maxBalance?: BalanceReading;
  readonly allocated?: BalanceReading;
  readonly accessRevoked?: boolean;
  /** Optional fields present but unusable (left out, not zero). */
  readonly problems: readonly string[];
}

/**
 * Meta's CurrencyAmount → exact micros and its currency; undefined when the field is absent.
 * `amount_in_hundredths` wins: it is exact minor units, while `amount` is a decimal string whose
 * rounding Meta does not document. `fallbackCurrency` (the account's `currency`) only fills in a
 * missing currency code.
 */
export function readCurrencyAmount(v: unknown, field: string, fallbackCurrency?: string): BalanceReading | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw new BillingError(`${field} is not a CurrencyAmount: ${quote(v)}`, PROVIDER, 'parse');
  const o = v as Record<string, unknown>;
  const h = o.amount_in_hundredths;
  let micros: bigint | undefined;
  if (h !== undefined && h !== null && h !== '') {
    const text = typeof h === 'number' && Number.isSafeInteger(h) ? String(h) : h;
    if (typeof text !== 'string' || !HUNDREDTHS.test(text))
      throw new BillingError(`${field}.amount_in_hundredths is not an integer: ${quote(h)}`, PROVIDER, 'parse');
    micros = BigInt(text) * HUNDREDTH_MICROS;
  } else if (o.amount !== undefined && o.amount !== null && o.amount !== '') {
    micros = parseMoney(o.amount);
    if (micros === undefined)
      throw new BillingError(`${field}.amount is not a number: ${quote(o.amount)}`, PROVIDER, 'parse');
  } else throw new BillingError(`${field} has neither amount_in_hundredths nor amount`, PROVIDER, 'missing_field');
  const c = o.currency;
  const currency = typeof c === 'string' && CURRENCY.test(c) ? c.toUpperCase() : fallbackCurrency;
  if (!currency) throw new BillingError(`${field} has no currency and none is configured`, PROVIDER, 'missing_field');
  return { micros, currency };
}

/** An ExtendedCredit object → its reading. `credit_available` is required; the rest is optional. */
export function parseCreditLine(raw: unknown, fallbackCurrency?: string): CreditLineReading {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new BillingError('credit line answer is not an object', PROVIDER, 'parse');
  const o = raw as Record<string, unknown>;
  const id = typeof o.id === 'string' && GRAPH_ID.test(o.id) ? o.id : undefined;
  if (!id) throw new BillingError(`credit line has no usable id: ${quote(o.id)}`, PROVIDER, 'parse');
  const available = readCurrencyAmount(o.credit_available, 'credit_available', fallbackCurrency);
  if (!available) throw new BillingError(`credit line ${id} has no credit_available`, PROVIDER, 'missing_field');
  const problems: string[] = [];
  const optional = (field: string): BalanceReading | undefined => {
    try {
      return readCurrencyAmount(o[field], field, fallbackCurrency);
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const maxBalance = optional('max_balance');
  const allocated = optional('allocated_amount');
  const revoked = o.is_access_revoked;
  if (revoked !== undefined && revoked !== null && typeof revoked !== 'boolean')
    problems.push(`is_access_revoked is not a boolean: ${quote(revoked)}`);
  return {
    id,
    available,
    maxBalance,
    allocated,
    accessRevoked: typeof revoked === 'boolean' ? revoked : undefined,
    problems,
  };
}

/**
 * The one line of a business's `extendedcredits` listing. None, or several without a configured
 * `credit_line_id`, is a failure that says what to do: the exporter never guesses which line pays.
 */
export function pickLine(lines: readonly unknown[], businessId: string): unknown {
  if (lines.length === 0)
    throw new BillingError(
      `business ${businessId} has no credit line (extendedcredits is empty)`,
      PROVIDER,
      'not_found',
    );
  if (lines.length > 1) {
    const ids = lines.slice(0, 5).map((l) => quote((l as { id?: unknown } | null)?.id));
    throw new BillingError(
      `business ${businessId} has ${lines.length} credit lines (${ids.join(', ')}${lines.length > 5 ? ', …' : ''}): set credit_line_id`,
      PROVIDER,
      'ambiguous',
    );
  }
  return lines[0];
}

export interface AllocationList {
  /** Active shares with a usable id and receiving business, once each, by id. */
  readonly allocations: readonly CreditAllocation[];
  /** Items without a digit id or receiving business id (left out, counted). */
  readonly malformed: number;
  /** Shares Meta reports as `request_status: DELETED` (revoked): not active, left out by design. */
  readonly revoked: number;
}

/** Items of `owning_credit_allocation_configs` → the active shares (duplicate ids once). */
export function parseAllocations(items: readonly unknown[]): AllocationList {
  const byId = new Map<string, CreditAllocation>();
  let malformed = 0;
  let revoked = 0;
  for (const item of items) {
    const o = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    const business = o.receiving_business as { id?: unknown } | null | undefined;
    const id = o.id;
    const businessId = business && typeof business === 'object' ? business.id : undefined;
    if (typeof id !== 'string' || !GRAPH_ID.test(id) || typeof businessId !== 'string' || !GRAPH_ID.test(businessId)) {
      malformed++;
      continue;
    }
    // Meta marks a revoked share DELETED (Embedded Signup, "Share and revoke credit lines").
    if (o.request_status === 'DELETED') {
      revoked++;
      continue;
    }
    if (!byId.has(id)) byId.set(id, { id, businessId });
  }
  const allocations = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  return { allocations, malformed, revoked };
}

/** Digit ids in numeric order (shorter first), so the cut keeps the same shares on every refresh. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Upstream text in an error message: JSON-quoted and capped (it goes to logs). */
const quote = (v: unknown): string => (JSON.stringify(v) ?? 'undefined').slice(0, 40);
