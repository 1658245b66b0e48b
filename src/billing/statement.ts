import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { parseMoney } from './money.js';
import { BillingError } from './errors.js';

export type RowKind = 'credit' | 'debit' | 'adjustment';
/** The contract's debit categories; anything else is "other". */
export const DEBIT_CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;

export interface StatementRow {
  /** Upstream id, or a content hash (with an occurrence suffix for identical rows in one statement). */
  readonly id: string;
  /** Unix ms. */
  readonly at: number;
  readonly kind: RowKind;
  /** Absolute amount in micros. */
  readonly micros: bigint;
  readonly currency: string;
  readonly category: string;
  /** Credits remaining after the row, when the statement says. */
  readonly balanceMicros?: bigint;
}

type Raw = Record<string, unknown>;
const pick = (r: Raw, ...names: string[]): unknown => {
  for (const n of names) if (r[n] !== undefined && r[n] !== '') return r[n];
  return undefined;
};

/**
 * Pure: statement text (CSV with a header row, or JSON: an array, or {rows|data|entries: [...]})
 * → rows. Columns: id?, date, type (credit|debit|adjustment; inferred from the sign when absent),
 * amount, currency, category?, balance? (credits remaining after the row). A bad row fails the
 * whole statement with its line number: a half-read ledger would make counters lie.
 */
export function parseStatement(
  provider: string,
  text: string,
  format: 'csv' | 'json',
  fallbackCurrency?: string,
): StatementRow[] {
  let raws: Raw[];
  if (format === 'csv') {
    try {
      raws = parse(text, {
        columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
        bom: true,
      }) as Raw[];
    } catch (err) {
      throw new BillingError(`statement CSV: ${(err as Error).message.split('\n')[0]}`, provider, 'parse');
    }
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new BillingError('statement is not JSON', provider, 'parse');
    }
    const list = Array.isArray(json)
      ? json
      : ((json as Raw | null)?.rows ?? (json as Raw | null)?.data ?? (json as Raw | null)?.entries);
    if (!Array.isArray(list)) throw new BillingError('statement JSON has no rows array', provider, 'parse');
    raws = list as Raw[];
  }
  const seen = new Map<string, number>();
  return raws.map((r, i) => toRow(provider, r, i, seen, fallbackCurrency));
}

function toRow(
  provider: string,
  r: Raw,
  i: number,
  seen: Map<string, number>,
  fallbackCurrency?: string,
): StatementRow {
  const where = `statement row ${i + 1}`;
  if (!r || typeof r !== 'object') throw new BillingError(`${where}: not an object`, provider, 'parse');
  const at = parseDate(pick(r, 'date', 'time', 'timestamp', 'created_at'));
  if (at === undefined) throw new BillingError(`${where}: no valid date`, provider, 'parse');
  const signed = parseMoney(pick(r, 'amount', 'value'));
  if (signed === undefined) throw new BillingError(`${where}: amount is not a number`, provider, 'parse');
  const typeRaw = String(pick(r, 'type', 'kind') ?? '').toLowerCase();
  const kind: RowKind | undefined = /credit|top.?up|recharge/.test(typeRaw)
    ? 'credit'
    : /debit|usage|charge/.test(typeRaw)
      ? 'debit'
      : /adjust/.test(typeRaw)
        ? 'adjustment'
        : typeRaw === ''
          ? signed < 0n
            ? 'debit'
            : 'credit'
          : undefined;
  if (!kind) throw new BillingError(`${where}: unknown type ${JSON.stringify(typeRaw)}`, provider, 'parse');
  const currency = String(pick(r, 'currency') ?? fallbackCurrency ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new BillingError(`${where}: no ISO currency`, provider, 'parse');
  const catRaw = String(pick(r, 'category', 'pricing_category') ?? '')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const category = catRaw.startsWith('authentication')
    ? 'authentication'
    : (DEBIT_CATEGORIES as readonly string[]).includes(catRaw)
      ? catRaw
      : 'other';
  const balRaw = pick(r, 'balance', 'balance_after', 'credits_remaining');
  const balanceMicros = balRaw === undefined ? undefined : parseMoney(balRaw);
  if (balRaw !== undefined && balanceMicros === undefined)
    throw new BillingError(`${where}: balance is not a number`, provider, 'parse');
  const upstreamId = pick(r, 'id', 'row_id', 'transaction_id');
  let id: string;
  if (upstreamId !== undefined) id = `id:${String(upstreamId)}`;
  else {
    const h = createHash('sha256')
      .update([at, kind, signed, currency, category, balRaw ?? '', pick(r, 'description') ?? ''].join('|'))
      .digest('hex')
      .slice(0, 32);
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    id = `h:${h}#${n}`;
  }
  return { id, at, kind, micros: signed < 0n ? -signed : signed, currency, category, balanceMicros };
}

function parseDate(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return parseDate(Number(v));
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? `${v.trim()}T00:00:00Z` : v);
  return Number.isFinite(t) ? t : undefined;
}
