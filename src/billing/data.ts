/** What the billing sources put in the snapshot (plain data; money as exact micros). */

export interface BalanceReading {
  /** Major units × 1,000,000 (exact). */
  readonly micros: bigint;
  readonly currency: string;
}

export interface BalanceData {
  readonly account: string;
  readonly reading: BalanceReading;
}

export interface LedgerTotals {
  /** Cumulative top-ups per currency, micros. */
  readonly topups: ReadonlyMap<string, bigint>;
  /** Cumulative debits per currency and category, micros. Key: `${currency}\0${category}`. */
  readonly debits: ReadonlyMap<string, bigint>;
  /** Newest row seen (unix ms) and the balance it reported, if any. */
  readonly lastEntryAt?: number;
  readonly lastBalance?: { micros: bigint; currency: string };
}

export interface StatementData {
  readonly account: string;
  readonly totals: LedgerTotals;
  readonly rows: number;
}
