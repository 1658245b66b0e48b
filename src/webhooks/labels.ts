/**
 * Label hygiene for webhook data. Every label value that comes from a payload goes through one of
 * these functions, so a new or garbled value from Meta can never blow up cardinality: known
 * values pass, enum-shaped unknowns pass (that is how Meta's new enum values become visible),
 * and free text becomes "other".
 */

/** Error codes worth their own series (DOMAIN.md, META-API §6); everything else is "other". */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set([
  '130429',
  '131026',
  '131042',
  '131047',
  '131048',
  '131049',
  '131050',
  '131056',
  '131057',
  '132001',
  '132015',
  '132016',
  '131031',
  '131053',
  '130472',
]);

/** Pricing categories that are business-initiated (they count against the portfolio messaging limit). */
export const BUSINESS_INITIATED: ReadonlySet<string> = new Set([
  'marketing',
  'marketing_lite',
  'utility',
  'authentication',
  'authentication_international',
]);
/** Categories that count toward the marketing frequency cap. */
export const MARKETING: ReadonlySet<string> = new Set(['marketing', 'marketing_lite']);

const ENUM_UPPER = /^[A-Z][A-Z0-9_]{0,47}$/;
const ENUM_LOWER = /^[a-z][a-z0-9_]{0,47}$/;
const FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const ID = /^[0-9A-Za-z._:-]{1,64}$/;

export const OTHER = 'other';

export function errorCode(raw: unknown): string {
  const s =
    typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  return KNOWN_ERROR_CODES.has(s) ? s : OTHER;
}

/** Lowercase, `authentication-international` → `authentication_international`; "" when absent. */
export function pricingCategory(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') return '';
  const v = raw.trim().toLowerCase().replace(/-/g, '_');
  return ENUM_LOWER.test(v) ? v : OTHER;
}

/** A lower-case enum such as a message status or pricing type. */
export function lowerEnum(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const v = raw.trim().toLowerCase();
  return ENUM_LOWER.test(v) ? v : OTHER;
}

/** An upper-case enum such as an account_update event or template status. */
export function upperEnum(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const v = raw.trim().toUpperCase();
  return ENUM_UPPER.test(v) ? v : OTHER;
}

/** The `field` label: Meta's field names are snake_case; anything else is "other". */
export function fieldName(raw: unknown): string {
  return typeof raw === 'string' && FIELD.test(raw) ? raw : OTHER;
}

/** An id taken from a payload for an identity label: kept when id-shaped, else "". */
export function idLabel(raw: unknown): string {
  const s =
    typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  return ID.test(s) ? s : '';
}

/** Phone digits (display numbers, recipient ids): "+1 555-078 3881" → "15550783881"; undefined if implausible. */
export function digits(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const d = String(raw).replace(/[\s()+.-]/g, '');
  return /^[0-9]{5,20}$/.test(d) ? d : undefined;
}

const TIER_BY_NUMBER: Readonly<Record<number, string>> = {
  50: 'TIER_50',
  250: 'TIER_250',
  1000: 'TIER_1K',
  2000: 'TIER_2K',
  10000: 'TIER_10K',
  100000: 'TIER_100K',
  [-1]: 'TIER_UNLIMITED',
};

/**
 * max_daily_conversations_per_business: documented as TIER_* strings but typed "Integer" with an
 * example of 2000 (META-API §4.3), so both are accepted. Unknown numbers give undefined.
 */
export function tier(raw: unknown): string | undefined {
  if (typeof raw === 'number') return TIER_BY_NUMBER[raw];
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toUpperCase();
  if (/^-?[0-9]+$/.test(s)) return TIER_BY_NUMBER[Number(s)];
  return /^TIER_[A-Z0-9_]{1,20}$/.test(s) || s === 'UNTIERED' ? s : undefined;
}
