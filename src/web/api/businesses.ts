import type { BusinessView, Problem } from '../overview/model.js';
import { byKey, pageOf, type Page } from './paging.js';
import { matches, searchTerm } from './search.js';

/** One portfolio in GET /api/v1/businesses (docs/api.md). */
export interface BusinessItem {
  readonly business_id: string;
  readonly name: string;
  readonly waba_count: number;
  readonly phone_count: number;
  /** Numbers by quality rating (GREEN, YELLOW, RED, UNKNOWN, …). */
  readonly numbers_by_quality: Readonly<Record<string, number>>;
  readonly messaging_limit_tier: string | null;
  /** Unique customers per rolling 24 h; null when unlimited or unknown. */
  readonly messaging_limit: number | null;
  readonly unlimited: boolean;
  /** Distinct recipients in the last 24 h (webhooks); null = unknown. */
  readonly usage_24h: number | null;
  readonly usage_ratio: number | null;
  readonly frequency_cap: {
    readonly recipients_at_cap: number;
    readonly rejections_24h: number | null;
    readonly since: string | null;
  } | null;
  /** Active problems concerning the portfolio. */
  readonly problems: number;
}

export const BUSINESS_FILTERS = ['q'] as const;

export function businessItems(bs: readonly BusinessView[], problems: readonly Problem[]): BusinessItem[] {
  const open = new Map<string, number>();
  for (const p of problems) if (p.business_id !== null) open.set(p.business_id, (open.get(p.business_id) ?? 0) + 1);
  return byKey(
    bs.map((b) => {
      const byQuality: Record<string, number> = {};
      let phones = 0;
      for (const w of b.wabas)
        for (const p of w.phones) {
          phones += 1;
          byQuality[p.quality] = (byQuality[p.quality] ?? 0) + 1;
        }
      const fc = b.frequencyCap;
      return {
        business_id: b.id,
        name: b.name,
        waba_count: b.wabas.length,
        phone_count: phones,
        numbers_by_quality: byQuality,
        messaging_limit_tier: b.limit.tier,
        messaging_limit: b.limit.limit,
        unlimited: b.limit.unlimited,
        usage_24h: b.limit.usage,
        usage_ratio: b.limit.usageRatio,
        frequency_cap: fc
          ? { recipients_at_cap: fc.recipientsAtCap, rejections_24h: fc.rejections24h, since: fc.since }
          : null,
        problems: open.get(b.id) ?? 0,
      };
    }),
    (i) => i.business_id,
  );
}

export function businessPage(
  items: readonly BusinessItem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): Page<BusinessItem> {
  const term = filters.q === undefined ? undefined : searchTerm(filters.q);
  const kept = term ? items.filter((i) => matches(term, { ids: [i.business_id], names: [i.name] })) : items;
  return pageOf(kept, (i) => i.business_id, limit, cursor, 'businesses');
}
