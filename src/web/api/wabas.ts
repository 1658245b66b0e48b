import type { BusinessView } from '../overview/model.js';
import { byKey, pageOf, type Page } from './paging.js';
import { matches, searchTerm } from './search.js';

/** One WhatsApp Business Account in GET /api/v1/wabas (docs/api.md). */
export interface WabaItem {
  readonly waba_id: string;
  readonly business_id: string;
  readonly name: string;
  readonly currency: string;
  readonly review_status: string | null;
  readonly phone_count: number;
  /** null while the WABA's templates have not been read. */
  readonly templates_total: number | null;
  readonly templates_by_status: Readonly<Record<string, number>> | null;
  /** Meta's own approximate cost of the last 24 h (pricing_analytics), when reported. */
  readonly meta_cost_24h: {
    readonly amount: number;
    readonly currency: string;
    readonly billed_messages: number;
  } | null;
}

export const WABA_FILTERS = ['q', 'business_id', 'review_status'] as const;

export function wabaItems(bs: readonly BusinessView[]): WabaItem[] {
  return byKey(
    bs.flatMap((b) =>
      b.wabas.map((w) => ({
        waba_id: w.id,
        business_id: b.id,
        name: w.name,
        currency: w.currency,
        review_status: w.reviewStatus,
        phone_count: w.phones.length,
        templates_total: w.templates?.total ?? null,
        templates_by_status: w.templates?.byStatus ?? null,
        meta_cost_24h: w.metaCost24h
          ? {
              amount: w.metaCost24h.amount,
              currency: w.metaCost24h.currency,
              billed_messages: w.metaCost24h.billedMessages,
            }
          : null,
      })),
    ),
    (i) => i.waba_id,
  );
}

export function wabaPage(
  items: readonly WabaItem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): Page<WabaItem> {
  const term = filters.q === undefined ? undefined : searchTerm(filters.q);
  const review = filters.review_status?.toUpperCase();
  const kept = items.filter(
    (i) =>
      (filters.business_id === undefined || i.business_id === filters.business_id) &&
      (review === undefined || i.review_status === review) &&
      (term === undefined || matches(term, { ids: [i.waba_id, i.business_id], names: [i.name] })),
  );
  return pageOf(kept, (i) => i.waba_id, limit, cursor, 'wabas');
}
