import type { BalanceLevel, BillingAccountView } from '../overview/model.js';
import { ApiError, byKey, pageOf, type Page } from './paging.js';

/** One billing account in GET /api/v1/accounts (docs/api.md). */
export interface AccountItem {
  readonly name: string;
  readonly provider: string;
  readonly balance: { readonly amount: number; readonly currency: string } | null;
  readonly level: BalanceLevel;
  /** The severity the balance alerts have for this balance; null = none fires. */
  readonly severity: string | null;
  readonly thresholds: { readonly low: number | null; readonly critical: number | null };
  readonly runway: {
    /** Days until the balance reaches zero at the recent spend; null = unknown or no spend. */
    readonly days: number | null;
    readonly spend_per_day: { readonly amount: number; readonly currency: string } | null;
    readonly basis: string | null;
    readonly since: string | null;
    readonly note: string;
  };
  readonly business_ids: readonly string[];
  readonly links: {
    readonly top_up: string | null;
    readonly payment: string | null;
    readonly rate_card: string | null;
  };
  readonly last_success: string | null;
  /** provider meta_credit_line: the line behind the balance (its headroom); null otherwise. */
  readonly credit_line: {
    readonly id: string;
    readonly max_balance: { readonly amount: number; readonly currency: string } | null;
    readonly allocated: { readonly amount: number; readonly currency: string } | null;
    readonly access_revoked: boolean | null;
    readonly shares: number;
    readonly shares_cut: boolean;
  } | null;
}

export const ACCOUNT_FILTERS = ['q', 'level'] as const;
const LEVELS: readonly BalanceLevel[] = ['ok', 'low', 'critical', 'empty', 'unknown'];

export function accountItems(accounts: readonly BillingAccountView[]): AccountItem[] {
  return byKey(
    accounts.map((a) => ({
      name: a.name,
      provider: a.provider,
      balance: a.balance,
      level: a.level,
      severity: a.severity,
      thresholds: a.thresholds,
      runway: {
        days: a.runway.days,
        spend_per_day: a.runway.spendPerDay,
        basis: a.runway.basis,
        since: a.runway.since,
        note: a.runway.note,
      },
      business_ids: a.businessIds,
      links: { top_up: a.links.topUp, payment: a.links.payment, rate_card: a.links.rateCard },
      last_success: a.freshness?.lastSuccess ?? null,
      credit_line: a.creditLine && {
        id: a.creditLine.id,
        max_balance: a.creditLine.maxBalance,
        allocated: a.creditLine.allocated,
        access_revoked: a.creditLine.accessRevoked,
        shares: a.creditLine.shares,
        shares_cut: a.creditLine.sharesCut,
      },
    })),
    (i) => i.name,
  );
}

export function accountPage(
  items: readonly AccountItem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): Page<AccountItem> {
  const level = filters.level?.toLowerCase();
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level))
    throw new ApiError(`level must be one of ${LEVELS.join(', ')}`);
  const q = filters.q?.trim().toLowerCase();
  const kept = items.filter(
    (i) => (level === undefined || i.level === level) && (q === undefined || i.name.toLowerCase().includes(q)),
  );
  return pageOf(kept, (i) => i.name, limit, cursor, 'accounts');
}
