import type { PhoneRecord, WabaRecord } from '../sources/graph/model.js';
import type { CollectView } from './types.js';
import { ACCOUNTS } from '../sources/keys.js';

/**
 * All fresh WABAs and phone numbers, each id once. The same WABA can come from two portfolios'
 * listings and Meta has been seen listing one number under two WABAs; exporting both would
 * double every sum, so the first by id order wins.
 */
export function uniqueAccounts(view: CollectView): { wabas: WabaRecord[]; phones: PhoneRecord[] } {
  const wabas = new Map<string, WabaRecord>();
  for (const { data } of view.fresh(ACCOUNTS)) for (const w of data.wabas) if (!wabas.has(w.id)) wabas.set(w.id, w);
  const sorted = [...wabas.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const phones = new Map<string, PhoneRecord>();
  for (const w of sorted) for (const p of w.phones) if (!phones.has(p.id)) phones.set(p.id, p);
  return { wabas: sorted, phones: [...phones.values()] };
}
