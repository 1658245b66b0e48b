import { toNumber } from '../billing/money.js';
import { MAX_CREDIT_LINE_ALLOCATIONS } from '../config/defaults.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { BALANCE } from '../sources/keys.js';
import type { Collector } from './types.js';

// A Meta credit line's headroom (credit_available) is its account's whatsapp_credit_balance
// (collectors/billing.ts, from the same `billing` data); these are the rest of the line.

export const CREDIT_LINE_MAX = gauge(
  metric('credit_line_max_balance'),
  "A Meta credit line's limit (max_balance), in its currency.",
  ['account', 'currency'],
);
export const CREDIT_LINE_ALLOCATED = gauge(
  metric('credit_line_allocated_amount'),
  'The part of a Meta credit line shared with client businesses (allocated_amount), in its currency.',
  ['account', 'currency'],
);
export const CREDIT_LINE_ALLOCATION = gauge(
  metric('credit_line_allocation_info'),
  `One active share of a Meta credit line with a client business (value is always 1; at most ${MAX_CREDIT_LINE_ALLOCATIONS} per line).`,
  ['account', 'business_id', 'allocation_id'],
);
export const CREDIT_LINE_REVOKED = gauge(
  metric('credit_line_access_revoked'),
  "Whether Meta reports access to the account's credit line as revoked (is_access_revoked: 1) or not (0).",
  ['account'],
);

/**
 * The credit-line families of each meta_credit_line account with fresh data. A value Meta did not
 * send (or sent unusable) has no series: absent, never 0. `onCut` reports a line whose shares were
 * cut at the bound (counted and logged by the caller).
 */
export function creditLineCollector(onCut: (account: string, max: number) => void): Collector {
  return {
    name: 'credit_line',
    sources: [BALANCE],
    collect(view, out) {
      for (const { data } of view.fresh(BALANCE)) {
        const line = data.creditLine;
        if (!line) continue;
        const account = data.account;
        if (line.maxBalance)
          out.add(CREDIT_LINE_MAX, { account, currency: line.maxBalance.currency }, toNumber(line.maxBalance.micros));
        if (line.allocated)
          out.add(
            CREDIT_LINE_ALLOCATED,
            { account, currency: line.allocated.currency },
            toNumber(line.allocated.micros),
          );
        if (line.accessRevoked !== undefined) out.add(CREDIT_LINE_REVOKED, { account }, line.accessRevoked ? 1 : 0);
        for (const a of line.allocations.slice(0, MAX_CREDIT_LINE_ALLOCATIONS))
          out.add(CREDIT_LINE_ALLOCATION, { account, business_id: a.businessId, allocation_id: a.id }, 1);
        if (line.allocationsCut) onCut(account, MAX_CREDIT_LINE_ALLOCATIONS);
      }
    },
  };
}
