import type { CounterSet } from '../state/counters.js';
import type { FailureReason } from './counter-keys.js';

/**
 * What the webhook collectors read, owned by the webhook module: counters in memory, HTTP
 * outcomes, and the rolling windows (queries over the state DB behind this interface, so the
 * collectors themselves import no database).
 */
export interface WebhookView {
  /**
   * Whether a webhook feed is configured: the endpoint is enabled and has an app secret to check
   * Meta's signature with. Without one, counts from webhooks are unknown, not zero.
   */
  configured(): boolean;
  readonly counters: CounterSet;
  readonly http: { readonly requests: number; readonly failures: ReadonlyMap<FailureReason, number> };
  readonly lastReceived: ReadonlyMap<string, number>;
  /** Label values folded into "other" since start, per label (webhooks/bounds.ts). */
  folded(): ReadonlyMap<string, number>;
  /** Businesses and numbers known from the accounts snapshot (shown as 0 before their first event). */
  /** withPhones=false leaves `phones` empty (it is O(numbers)). */
  known(withPhones?: boolean): {
    businesses: ReadonlySet<string>;
    phones: ReadonlyArray<{ businessId: string; wabaId: string; phoneNumberId: string }>;
  };
  uniqueRecipientsByBusiness(sinceMs: number): ReadonlyArray<{ businessId: string; n: number }>;
  uniqueRecipientsByPhone(
    sinceMs: number,
  ): ReadonlyArray<{ businessId: string; wabaId: string; phoneNumberId: string; n: number }>;
  recipientsAtCap(sinceMs: number, messages: number): ReadonlyArray<{ businessId: string; n: number }>;
  marketingBusinesses(): readonly string[];
  /** Estimated cost so far (webhooks × rate card), per business id and currency, major units. */
  estimatedCost(): ReadonlyMap<string, ReadonlyMap<string, number>>;
  cap(): { readonly messages: number; readonly windowMs: number } | undefined;
}
