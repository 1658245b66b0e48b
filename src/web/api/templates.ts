import type { SnapshotStore } from '../../poller/store.js';
import { TEMPLATES } from '../../sources/keys.js';
import type { Clock } from '../../util/clock.js';
import { byKey, pageOf, type Page } from './paging.js';
import { searchTerm } from './search.js';

/** One message template in GET /api/v1/templates (docs/api.md). */
export interface TemplateItem {
  readonly waba_id: string;
  readonly business_id: string;
  readonly template_id: string;
  readonly name: string;
  readonly language: string;
  readonly category: string | null;
  readonly status: string | null;
  readonly quality: string | null;
}

export const TEMPLATE_FILTERS = ['q', 'waba_id', 'business_id', 'status', 'category', 'quality'] as const;

/** A template is one (WABA, name, language); its id breaks a tie should Graph ever list one twice. */
const keyOf = (t: TemplateItem) => `${t.waba_id}/${t.name}/${t.language}/${t.template_id}`;

/** The fresh templates of the snapshot, each WABA once (the first fresh listing wins). */
export function templateItems(store: SnapshotStore, clock: Clock): TemplateItem[] {
  const seen = new Set<string>();
  const items: TemplateItem[] = [];
  for (const { data } of store.fresh(TEMPLATES, clock.now())) {
    if (seen.has(data.wabaId)) continue;
    seen.add(data.wabaId);
    for (const t of data.templates)
      items.push({
        waba_id: data.wabaId,
        business_id: data.businessId,
        template_id: t.id,
        name: t.name,
        language: t.language,
        category: t.category ?? null,
        status: t.status ?? null,
        quality: t.quality ?? null,
      });
  }
  return byKey(items, keyOf);
}

export function templatePage(
  items: readonly TemplateItem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): Page<TemplateItem> {
  const q = filters.q === undefined ? undefined : searchTerm(filters.q).text;
  const status = filters.status?.toUpperCase();
  const category = filters.category?.toUpperCase();
  const quality = filters.quality?.toUpperCase();
  const kept = items.filter(
    (i) =>
      (filters.waba_id === undefined || i.waba_id === filters.waba_id) &&
      (filters.business_id === undefined || i.business_id === filters.business_id) &&
      (status === undefined || i.status === status) &&
      (category === undefined || i.category?.toUpperCase() === category) &&
      (quality === undefined || i.quality === quality) &&
      (q === undefined || i.name.toLowerCase().includes(q) || i.template_id === q),
  );
  return pageOf(kept, keyOf, limit, cursor, 'templates');
}
