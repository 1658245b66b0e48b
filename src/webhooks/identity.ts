import type { SnapshotStore } from '../poller/store.js';
import type { AccountsData } from '../sources/graph/model.js';

export interface WabaInfo {
  readonly businessId: string;
  /** The graph_accounts target (business or WABA id) whose loop lists this WABA. */
  readonly accountsTarget: string;
}

export interface PhoneInfo {
  readonly phoneNumberId: string;
  readonly wabaId: string;
}

/**
 * Joins webhook ids to what the poller knows: WABA → owning business and the accounts loop to
 * kick, display-number digits → phone_number_id (phone_number_quality_update names the number only
 * by its display number, META-API §9.1). Rebuilt lazily after graph_accounts changed, so a POST
 * costs map lookups only.
 */
export class AccountIndex {
  private wabas = new Map<string, WabaInfo>();
  private phones = new Map<string, PhoneInfo>();
  private dirty = true;
  private readonly onChange = (source: string) => {
    if (source === 'graph_accounts') this.dirty = true;
  };

  constructor(private readonly store: SnapshotStore) {
    store.on('change', this.onChange);
  }

  waba(wabaId: string): WabaInfo | undefined {
    this.refresh();
    return this.wabas.get(wabaId);
  }

  phoneByDisplay(digits: string): PhoneInfo | undefined {
    this.refresh();
    return this.phones.get(digits);
  }

  /** Every business id the accounts snapshot knows, and every (business, waba, phone) triple. */
  known(): { businesses: Set<string>; phones: Array<{ businessId: string; wabaId: string; phoneNumberId: string }> } {
    const businesses = new Set<string>();
    const phones: Array<{ businessId: string; wabaId: string; phoneNumberId: string }> = [];
    for (const e of this.store.bySource<AccountsData>('graph_accounts')) {
      for (const w of e.data?.wabas ?? []) {
        if (w.businessId) businesses.add(w.businessId);
        for (const p of w.phones) phones.push({ businessId: w.businessId, wabaId: w.id, phoneNumberId: p.id });
      }
    }
    return { businesses, phones };
  }

  close(): void {
    this.store.off('change', this.onChange);
  }

  private refresh(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const wabas = new Map<string, WabaInfo>();
    const phones = new Map<string, PhoneInfo>();
    for (const e of this.store.bySource<AccountsData>('graph_accounts')) {
      for (const w of e.data?.wabas ?? []) {
        // A WABA found by a business loop beats one found by a WABA-only loop (that one may not know the owner).
        const prev = wabas.get(w.id);
        if (!prev || (!prev.businessId && w.businessId)) wabas.set(w.id, { businessId: w.businessId, accountsTarget: e.target });
        for (const p of w.phones) {
          const d = p.displayPhoneNumber.replace(/[^0-9]/g, '');
          if (d && !phones.has(d)) phones.set(d, { phoneNumberId: p.id, wabaId: w.id });
        }
      }
    }
    this.wabas = wabas;
    this.phones = phones;
  }
}
