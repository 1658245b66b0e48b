import type { Money } from './model.js';

const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const money2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** 64 → "64.00 USD" (balances, totals). */
export const fmtMoney = (m: Money) => `${money2.format(m.amount)} ${m.currency}`;
/** 100 → "100 USD" (thresholds are configured round numbers). */
export const fmtAmount = (n: number, currency: string) => `${num.format(n)} ${currency}`;
export const fmtPrice = (n: number) => price.format(n);
export const fmtInt = (n: number) => num.format(Math.round(n));

/** ISO → "2026-11-26 10:02 UTC" (the server does not know the reader's time zone). */
export const fmtTime = (isoTime: string | null) =>
  isoTime ? `${isoTime.slice(0, 10)} ${isoTime.slice(11, 16)} UTC` : 'never';

export function fmtDays(d: number): string {
  if (d < 1 / 24) return `${Math.max(1, Math.round(d * 1440))} min`;
  if (d < 2) return `${fmtInt(d * 24)} hours`;
  if (d < 90) return `${d < 10 ? Math.round(d * 10) / 10 : fmtInt(d)} days`;
  return 'more than 90 days';
}

export function fmtDuration(s: number): string {
  if (s < 120) return `${fmtInt(s)} s`;
  if (s < 7200) return `${fmtInt(s / 60)} min`;
  if (s < 2 * 86_400) return `${fmtInt(s / 3600)} h`;
  return `${fmtInt(s / 86_400)} days`;
}

/** "TIER_10K" → "10K / 24 h" is left to the page; this gives the word for a tier. */
export const tierWord = (tier: string) => tier.replace(/^TIER_/, '').replace('UNLIMITED', 'unlimited');
