import { uniqueAccounts } from '../../collectors/accounts-view.js';
import { snapshotView } from '../../collectors/fragments.js';
import type { SnapshotStore } from '../../poller/store.js';
import { QUALITY } from '../../sources/graph/enums.js';
import type { Clock } from '../../util/clock.js';
import { ApiError, byKey, pageOf, type Page } from './paging.js';
import { matches, searchTerm } from './search.js';

/** One number in GET /api/v1/phone-numbers (docs/api.md): a stable shape, snake_case like the labels. */
export interface PhoneNumberItem {
  readonly phone_number_id: string;
  readonly waba_id: string;
  readonly business_id: string;
  readonly display_phone_number: string;
  readonly verified_name: string;
  readonly waba_name: string;
  readonly quality_rating: string;
  readonly status: string | null;
  readonly health: string | null;
  readonly account_mode: string | null;
  readonly unified_cert_status: string | null;
}

export const PHONE_FILTERS = ['q', 'business_id', 'waba_id', 'quality', 'status'] as const;

/** The fresh numbers of the snapshot, sorted by id (each once, as /metrics counts them). */
export function phoneNumberItems(store: SnapshotStore, clock: Clock): PhoneNumberItem[] {
  const { wabas } = uniqueAccounts(snapshotView(store, clock));
  const seen = new Set<string>();
  const items: PhoneNumberItem[] = [];
  for (const w of wabas)
    for (const p of w.phones) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      items.push({
        phone_number_id: p.id,
        waba_id: w.id,
        business_id: w.businessId,
        display_phone_number: p.displayPhoneNumber,
        verified_name: p.verifiedName,
        waba_name: w.name,
        quality_rating: p.qualityRating ?? 'UNKNOWN',
        status: p.status ?? null,
        health: p.health ?? null,
        account_mode: p.accountMode ?? null,
        unified_cert_status: p.unifiedCertStatus ?? null,
      });
    }
  return byKey(items, (i) => i.phone_number_id);
}

/** One page of numbers matching the filters (pure over the items). */
export function phoneNumberPage(
  items: readonly PhoneNumberItem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): Page<PhoneNumberItem> {
  const quality = filters.quality?.toUpperCase();
  if (quality !== undefined && !(QUALITY as readonly string[]).includes(quality))
    throw new ApiError(`quality must be one of ${QUALITY.join(', ')}`);
  const status = filters.status?.toUpperCase();
  const term = filters.q === undefined ? undefined : searchTerm(filters.q);
  const kept = items.filter(
    (i) =>
      (filters.business_id === undefined || i.business_id === filters.business_id) &&
      (filters.waba_id === undefined || i.waba_id === filters.waba_id) &&
      (quality === undefined || i.quality_rating === quality) &&
      (status === undefined || i.status === status) &&
      (term === undefined ||
        matches(term, {
          ids: [i.phone_number_id, i.waba_id, i.business_id],
          phone: i.display_phone_number,
          names: [i.verified_name, i.waba_name],
        })),
  );
  return pageOf(kept, (i) => i.phone_number_id, limit, cursor, 'phone-numbers');
}
