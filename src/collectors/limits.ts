import { LIMIT_TIERS, TIER_LIMIT } from '../sources/graph/enums.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { uniqueAccounts } from './accounts-view.js';
import { UNKNOWN_OWNER } from '../sources/graph/model.js';
import type { CollectView, Collector } from './types.js';
import { ACCOUNTS, LIMITS } from '../sources/keys.js';

export const LIMIT = gauge(
  metric('messaging_limit'),
  'Portfolio messaging limit: unique customers per rolling 24 h outside a service window (+Inf = unlimited; absent while untiered).',
  ['business_id'],
);
export const LIMIT_TIER = gauge(
  metric('messaging_limit_tier'),
  'Portfolio messaging limit tier as a state set (1 = current); legacy per-number tiers pass through.',
  ['business_id', 'tier'],
);

/**
 * The portfolio tier per business: the business node's field (graph_limits), else the same field
 * as seen on its WABAs or numbers, else the highest deprecated per-number messaging_limit_tier.
 */
export function resolveTiers(view: CollectView): Map<string, string> {
  const tiers = new Map<string, string>();
  for (const { data } of view.fresh(LIMITS)) if (data.tier) tiers.set(data.businessId, data.tier);
  const legacy = new Map<string, string>();
  for (const w of uniqueAccounts(view).wabas) {
    if (!w.businessId || w.businessId === UNKNOWN_OWNER || tiers.has(w.businessId)) continue;
    const portfolio = w.portfolioTier ?? w.phones.find((p) => p.portfolioTier)?.portfolioTier;
    if (portfolio) {
      tiers.set(w.businessId, portfolio);
      continue;
    }
    for (const p of w.phones) {
      if (!p.legacyTier) continue;
      const cur = legacy.get(w.businessId);
      if (cur === undefined || (TIER_LIMIT[p.legacyTier] ?? -1) > (TIER_LIMIT[cur] ?? -1))
        legacy.set(w.businessId, p.legacyTier);
    }
  }
  for (const [b, t] of legacy) if (!tiers.has(b)) tiers.set(b, t);
  return tiers;
}

export const limitsCollector: Collector = {
  name: 'limits',
  sources: [LIMITS, ACCOUNTS],
  collect(view, out) {
    for (const [business_id, tier] of resolveTiers(view)) {
      out.stateSet(LIMIT_TIER, { business_id }, 'tier', LIMIT_TIERS, tier);
      const n = TIER_LIMIT[tier];
      if (n !== undefined) out.add(LIMIT, { business_id }, n);
    }
  },
};
