import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { marketOf } from './markets.js';
import { parseMoney, toNumber } from './money.js';

export interface RatePrice {
  readonly market: string;
  /** Lower-case, as in webhook pricing objects: marketing, utility, authentication, authentication_international, service. */
  readonly category: string;
  readonly currency: string;
  readonly price: number;
}

export interface RateCard {
  readonly prices: readonly RatePrice[];
  /** Price of one delivered message to a recipient in this country, in this category. */
  priceFor(countryIso2: string, category: string): { price: number; currency: string } | undefined;
}

export class RateCardError extends Error {
  override readonly name = 'RateCardError';
}

export const normCategory = (c: string) =>
  c
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Reads a rate card CSV in either layout:
 *  - long: `market,pricing_category,currency,price` (one price per row; the sample card uses it);
 *  - Meta's published wide layout: optional preamble lines, then `Market,Currency,Marketing,Utility,
 *    Authentication,"Authentication-International",Service` with "n/a" where a price does not apply.
 * Pure apart from reading the file; errors name the line.
 */
export function parseRateCard(text: string): RatePrice[] {
  const rows = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
    comment: '#',
    comment_no_infix: true,
  }) as string[][];
  const headerIdx = rows.findIndex((r) => r.some((c) => /^market$/i.test(c)));
  if (headerIdx < 0) throw new RateCardError('no header row with a "market" column');
  const header = (rows[headerIdx] as string[]).map((h) => normCategory(h.replace(/\n/g, ' ')));
  const col = (name: string) => header.indexOf(name);
  const out: RatePrice[] = [];
  const body = rows.slice(headerIdx + 1);
  if (col('pricing_category') >= 0) {
    const [m, cat, cur, pr] = [col('market'), col('pricing_category'), col('currency'), col('price')];
    if (cur < 0 || pr < 0)
      throw new RateCardError('long layout needs market, pricing_category, currency, price columns');
    for (const [i, r] of body.entries()) out.push(row(r[m], r[cat], r[cur], r[pr], headerIdx + i + 2));
  } else {
    const [m, cur] = [col('market'), col('currency')];
    if (cur < 0) throw new RateCardError('wide layout needs a currency column');
    const cats = header.map((h, i) => ({ h, i })).filter(({ i }) => i !== m && i !== cur);
    body.forEach((r, i) => {
      for (const { h, i: ci } of cats) {
        const v = r[ci];
        if (v === undefined || v === '' || /^n\/?a$/i.test(v)) continue;
        out.push(row(r[m], h, r[cur], v, headerIdx + i + 2));
      }
    });
  }
  return out;
}

function row(
  market: string | undefined,
  category: string | undefined,
  currency: string | undefined,
  price: string | undefined,
  line: number,
): RatePrice {
  const micros = parseMoney(price);
  if (!market || !category || !currency || micros === undefined || micros < 0n)
    throw new RateCardError(
      `line ${line}: need market, category, currency and a non-negative price (got ${JSON.stringify(price)})`,
    );
  if (!/^[A-Za-z]{3}$/.test(currency))
    throw new RateCardError(`line ${line}: currency ${JSON.stringify(currency)} is not ISO 4217`);
  return { market, category: normCategory(category), currency: currency.toUpperCase(), price: toNumber(micros) };
}

export function rateCard(prices: RatePrice[]): RateCard {
  const byKey = new Map<string, RatePrice>();
  // First price wins for a market and category: a card is normally in one currency.
  for (const p of prices) {
    const k = `${p.market.toLowerCase()}\u0000${p.category}`;
    if (!byKey.has(k)) byKey.set(k, p);
  }
  return {
    prices,
    priceFor(countryIso2, category) {
      const cat = normCategory(category);
      const p = byKey.get(`${marketOf(countryIso2).toLowerCase()}\u0000${cat}`) ?? byKey.get(`other\u0000${cat}`);
      return p && { price: p.price, currency: p.currency };
    },
  };
}

export function loadRateCard(file: string): RateCard {
  return rateCard(parseRateCard(readFileSync(file, 'utf8')));
}

/** The sample card shipped with the project (used by the sandbox demo). */
export const SAMPLE_RATE_CARD = new URL('./rate-cards/sample-usd.csv', import.meta.url);
