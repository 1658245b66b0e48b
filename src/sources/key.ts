/**
 * A source's identity. The type of its data travels with the key, so `store.get(ACCOUNTS, id)`
 * and `view.fresh(TEMPLATES)` are typed without casts. `name` is what the `source` label, logs and
 * /-/targets show; code compares keys, never names.
 */
export interface SourceKey<T> {
  readonly name: string;
  /** Phantom: never set, only carries T. */
  readonly __data?: T;
}

export type AnySourceKey = SourceKey<unknown>;

export function sourceKey<T>(name: string): SourceKey<T> {
  return Object.freeze({ name });
}

/** What a loop polls. */
export type TargetKind =
  /** A business portfolio: listed (accounts) or read for its limit. */
  | 'business'
  /** A business known only through an explicitly listed WABA (only the shard polling that WABA knows it). */
  | 'business_via_waba'
  /** One WhatsApp Business Account. */
  | 'waba'
  /** One configured Graph credential (token checks). */
  | 'credential'
  /** One configured billing account. */
  | 'billing_account';
