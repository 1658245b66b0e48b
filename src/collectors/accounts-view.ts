import type { PhoneRecord, WabaRecord } from '../sources/graph/model.js';
import type { CollectView } from './types.js';
import { ACCOUNTS } from '../sources/keys.js';

/**
 * All fresh WABAs and phone numbers, each id once. The same WABA can come from two portfolios'
 * listings and Meta has been seen listing one number under two WABAs; exporting both would
 * double every sum, so the first by id order wins. Across listings, a record that knows the
 * WABA's owner wins over one that does not, and a partner relation seen in either is kept.
 */
export function uniqueAccounts(view: CollectView): { wabas: WabaRecord[]; phones: PhoneRecord[] } {
  const wabas = new Map<string, WabaRecord>();
  for (const { data } of view.fresh(ACCOUNTS))
    for (const w of data.wabas) {
      const prev = wabas.get(w.id);
      wabas.set(w.id, prev ? merge(prev, w) : w);
    }
  const sorted = [...wabas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const phones = new Map<string, PhoneRecord>();
  for (const w of sorted) for (const p of w.phones) if (!phones.has(p.id)) phones.set(p.id, p);
  return { wabas: sorted, phones: [...phones.values()] };
}

function merge(a: WabaRecord, b: WabaRecord): WabaRecord {
  const base = a.owner === 'unresolved' && b.owner !== 'unresolved' ? b : a;
  const other = base === a ? b : a;
  const partner = base.sharedWithBusinessId ?? other.sharedWithBusinessId;
  if (base === a && partner === a.sharedWithBusinessId) return a;
  return partner && partner !== base.businessId ? { ...base, sharedWithBusinessId: partner } : base;
}
