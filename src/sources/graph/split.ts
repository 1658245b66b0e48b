import { TIER_LIMIT } from './enums.js';
import { type AccountsData, type DirectoryEntry, UNKNOWN_OWNER, type WabaRecord } from './model.js';

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Pure: one portfolio listing (every WABA it returned) → what this shard keeps. Every shard lists
 * the same portfolios, so every shard computes the same directory and the same choices:
 * - `wabas`: only WABAs whose id hashes to this shard (what it exports);
 * - a number listed under several WABAs stays only under the lowest WABA id, the same pick the
 *   collectors' de-duplication makes, so shards cannot export it twice;
 * - portfolio-level hints (tiers on WABAs and numbers, read by the limit fallback) are removed
 *   from kept WABAs whose business another shard owns, so exactly one shard exports each limit;
 * - `directory`/`portfolioTiers`: identity and the limit fallback for the business owner.
 * For an explicitly listed WABA (`isListing` false) only the first two apply, and its hints are
 * removed only when its business is one every shard knows (`sharedBusiness`) and another owns.
 */
export function splitListing(
  listed: readonly WabaRecord[],
  owns: (id: string) => boolean,
  isListing: boolean,
  sharedBusiness: (businessId: string) => boolean = () => true,
): AccountsData {
  const all = [...listed].sort(byId);
  const phoneHome = new Map<string, string>();
  for (const w of all) for (const p of w.phones) if (!phoneHome.has(p.id)) phoneHome.set(p.id, w.id);
  const kept: WabaRecord[] = [];
  for (const w of all) {
    if (!owns(w.id)) continue;
    const phones = w.phones.filter((p) => phoneHome.get(p.id) === w.id);
    // An explicitly listed WABA of a business no listing knows keeps its hints: this shard exports that limit.
    if (owns(w.businessId) || (!isListing && !sharedBusiness(w.businessId)))
      kept.push(phones.length === w.phones.length ? w : { ...w, phones });
    else
      kept.push({
        ...w,
        portfolioTier: undefined,
        phones: phones.map((p) => ({ ...p, portfolioTier: undefined, legacyTier: undefined })),
      });
  }
  if (!isListing) return { wabas: kept };
  const directory: DirectoryEntry[] = all.map((w) => ({
    wabaId: w.id,
    businessId: w.businessId,
    phones: w.phones.map((p) => ({ id: p.id, displayPhoneNumber: p.displayPhoneNumber })),
  }));
  return { wabas: kept, directory, portfolioTiers: portfolioTiers(all) };
}

/** The collectors' fallback rule, over all listed WABAs: a portfolio tier on a WABA or number, else the highest legacy tier. */
export function portfolioTiers(wabas: readonly WabaRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  const legacy = new Map<string, string>();
  for (const w of wabas) {
    if (!w.businessId || w.businessId === UNKNOWN_OWNER || out[w.businessId]) continue;
    const portfolio = w.portfolioTier ?? w.phones.find((p) => p.portfolioTier)?.portfolioTier;
    if (portfolio) {
      out[w.businessId] = portfolio;
      continue;
    }
    for (const p of w.phones) {
      const cur = legacy.get(w.businessId);
      if (p.legacyTier && (cur === undefined || (TIER_LIMIT[p.legacyTier] ?? -1) > (TIER_LIMIT[cur] ?? -1)))
        legacy.set(w.businessId, p.legacyTier);
    }
  }
  for (const [b, t] of legacy) out[b] ??= t;
  return out;
}
