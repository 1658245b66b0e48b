/** What the billing sources put in the snapshot (plain data; money as exact micros). */

export interface BalanceReading {
  /** Major units × 1,000,000 (exact). */
  readonly micros: bigint;
  readonly currency: string;
}

export interface BalanceData {
  readonly account: string;
  readonly reading: BalanceReading;
  /** The balance's movements since tracking began (see Ledger.trackBalance). */
  readonly movements?: BalanceMovements;
  /** A Meta credit line (provider meta_credit_line): the rest of the line; `reading` is its `credit_available`. */
  readonly creditLine?: CreditLineData;
}

/** What a Meta credit line says besides its headroom; each amount in its own CurrencyAmount's currency. */
export interface CreditLineData {
  readonly id: string;
  /** The line's limit (`max_balance`); undefined when Meta did not send a usable one. */
  readonly maxBalance?: BalanceReading;
  /** Shared with client businesses (`allocated_amount`). */
  readonly allocated?: BalanceReading;
  /** `is_access_revoked`; undefined when absent or not a boolean. */
  readonly accessRevoked?: boolean;
  /** Active shares with client businesses, at most MAX_CREDIT_LINE_ALLOCATIONS, ordered by id. */
  readonly allocations: readonly CreditAllocation[];
  /** More active shares exist than the bound: `allocations` is cut there. */
  readonly allocationsCut: boolean;
}

export interface CreditAllocation {
  /** The allocation config's id. */
  readonly id: string;
  /** The receiving (client) business. */
  readonly businessId: string;
}

/**
 * Cumulative falls and rises of a polled balance, in the reading's currency. A fall is money
 * spent; a rise is a top-up or refund and never offsets a fall. `at` (unix ms) is when the balance
 * last moved: the spend rate is Δdecreases / Δat, so a balance the provider updates once a day
 * gives a day's fall over a day, not over the minutes since the last poll.
 */
export interface BalanceMovements {
  readonly currency: string;
  readonly decreasesMicros: bigint;
  readonly increasesMicros: bigint;
  readonly at: number;
}

export interface LedgerTotals {
  /** Cumulative top-ups per currency, micros. */
  readonly topups: ReadonlyMap<string, bigint>;
  /** Cumulative debits per currency and category, micros. Key: `${currency}\0${category}`. */
  readonly debits: ReadonlyMap<string, bigint>;
  /** Newest row seen (unix ms) and the balance it reported, if any. */
  readonly lastEntryAt?: number;
  /** Newest debit row seen (unix ms): the statement's clock for the spend rate. */
  readonly lastDebitAt?: number;
  readonly lastBalance?: { micros: bigint; currency: string };
}

export interface StatementData {
  readonly account: string;
  readonly totals: LedgerTotals;
  readonly rows: number;
}

/** One wallet of a bulk answer (billing.accounts[] with items_path). */
export interface BulkItem {
  /** The account name: the item's name, checked like a configured account name. */
  readonly account: string;
  readonly reading: BalanceReading;
  readonly movements?: BalanceMovements;
  /** The portfolio it pays for (business_id_path), when given and valid. */
  readonly businessId?: string;
}

export interface BulkBalanceData {
  /** The configured entry that lists the wallets. */
  readonly group: string;
  readonly items: readonly BulkItem[];
  /** Items left out, by why: no or invalid name, no or bad balance, a name already taken. */
  readonly skipped: Readonly<Record<BulkSkip, number>>;
}

export const BULK_SKIPS = ['invalid', 'duplicate'] as const;
export type BulkSkip = (typeof BULK_SKIPS)[number];
