import type { SnapshotStore } from '../poller/store.js';
import { ACCOUNTS } from '../sources/keys.js';
import { owns, UNSHARDED, type Shard } from '../shard/shard.js';

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
  private phoneIds = new Set<string>();
  /** Sharded: WABA → business from the portfolio listings every shard makes (the event owner key). */
  private listed = new Map<string, string>();
  private dirty = true;
  private readonly onChange = (source: string) => {
    if (source === ACCOUNTS.name) this.dirty = true;
  };

  constructor(
    private readonly store: SnapshotStore,
    private readonly shard: () => Shard = () => UNSHARDED,
  ) {
    store.on('change', this.onChange);
  }

  /**
   * Sharding: whether this shard counts a webhook event of this WABA. The owner is the shard of
   * the WABA's business id when a portfolio listing names it (every shard lists every portfolio,
   * so every shard agrees), else the shard of the WABA id. Needs no data of the WABA itself.
   */
  ownsEvent(wabaId: string): boolean {
    const shard = this.shard();
    if (shard.count <= 1) return true;
    this.refresh();
    return owns(shard, this.listed.get(wabaId) || wabaId);
  }

  waba(wabaId: string): WabaInfo | undefined {
    this.refresh();
    return this.wabas.get(wabaId);
  }

  /** Whether the accounts snapshot knows this WABA or phone number id (label bounds). */
  knowsId(kind: 'waba_id' | 'phone_number_id', id: string): boolean {
    this.refresh();
    return kind === 'waba_id' ? this.wabas.has(id) : this.phoneIds.has(id);
  }

  phoneByDisplay(digits: string): PhoneInfo | undefined {
    this.refresh();
    return this.phones.get(digits);
  }

  /**
   * Every business id the accounts snapshot knows, and every (business, waba, phone) triple (an
   * O(numbers) list, built only when asked for: only the opt-in per-number family reads it).
   */
  known(withPhones = true): {
    businesses: Set<string>;
    phones: Array<{ businessId: string; wabaId: string; phoneNumberId: string }>;
  } {
    if (this.shard().count > 1) return this.knownSharded(withPhones);
    const businesses = new Set<string>();
    const phones: Array<{ businessId: string; wabaId: string; phoneNumberId: string }> = [];
    for (const e of this.store.bySource(ACCOUNTS)) {
      for (const w of e.data?.wabas ?? []) {
        if (w.businessId) businesses.add(w.businessId);
        if (withPhones)
          for (const p of w.phones) phones.push({ businessId: w.businessId, wabaId: w.id, phoneNumberId: p.id });
      }
    }
    return { businesses, phones };
  }

  /** Sharded: the zero series this shard owns: businesses and numbers whose events it counts. */
  private knownSharded(withPhones: boolean): ReturnType<AccountIndex['known']> {
    this.refresh();
    const shard = this.shard();
    const businesses = new Set<string>();
    const phones: Array<{ businessId: string; wabaId: string; phoneNumberId: string }> = [];
    const seen = new Set<string>();
    const add = (businessId: string, wabaId: string, phoneIds: readonly string[]) => {
      if (seen.has(wabaId) || !this.ownsEvent(wabaId)) return;
      seen.add(wabaId);
      if (businessId && (this.listed.has(wabaId) ? owns(shard, businessId) : true)) businesses.add(businessId);
      if (withPhones) for (const p of phoneIds) phones.push({ businessId, wabaId, phoneNumberId: p });
    };
    for (const e of this.store.bySource(ACCOUNTS)) {
      for (const d of e.data?.directory ?? [])
        add(
          d.businessId,
          d.wabaId,
          d.phones.map((p) => p.id),
        );
    }
    for (const e of this.store.bySource(ACCOUNTS))
      for (const w of e.data?.wabas ?? [])
        add(
          w.businessId,
          w.id,
          w.phones.map((p) => p.id),
        );
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
    const listed = new Map<string, string>();
    const phoneIds = new Set<string>();
    for (const e of this.store.bySource(ACCOUNTS)) {
      // Sharded: the whole listing, owned here or not, so labels and ownership agree on every shard.
      for (const d of e.data?.directory ?? []) {
        if (!listed.has(d.wabaId)) listed.set(d.wabaId, d.businessId);
        const prev = wabas.get(d.wabaId);
        if (!prev || (!prev.businessId && d.businessId))
          wabas.set(d.wabaId, { businessId: d.businessId, accountsTarget: e.target });
        for (const p of d.phones) {
          phoneIds.add(p.id);
          const digits = p.displayPhoneNumber.replace(/[^0-9]/g, '');
          if (digits && !phones.has(digits)) phones.set(digits, { phoneNumberId: p.id, wabaId: d.wabaId });
        }
      }
      for (const w of e.data?.wabas ?? []) {
        // A WABA found by a business loop beats one found by a WABA-only loop (that one may not know the owner).
        const prev = wabas.get(w.id);
        if (!prev || (!prev.businessId && w.businessId))
          wabas.set(w.id, { businessId: w.businessId, accountsTarget: e.target });
        for (const p of w.phones) {
          phoneIds.add(p.id);
          const d = p.displayPhoneNumber.replace(/[^0-9]/g, '');
          if (d && !phones.has(d)) phones.set(d, { phoneNumberId: p.id, wabaId: w.id });
        }
      }
    }
    this.wabas = wabas;
    this.phones = phones;
    this.listed = listed;
    this.phoneIds = phoneIds;
  }
}
