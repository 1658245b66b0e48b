/**
 * The typed events the parser produces from a Meta webhook POST. Plain data, no I/O: ingest.ts
 * turns them into counter increments, recipient rows and snapshot patches.
 */

/** Where an event came from: entry.id is the WABA id for every WhatsApp field (META-API §4.0). */
export interface EventOrigin {
  /** The change's `field`, bounded (snake_case ≤ 64 chars, else "other"). */
  readonly field: string;
  /** The bounded `event` label (value.event / status / alert_type / decision; unknown free text → "other"). */
  readonly event: string;
  readonly wabaId: string;
  /** Dedupe key: the same logical event always yields the same key, a redelivery included. */
  readonly key: string;
  /** entry.time in ms when Meta sent it (management fields), else undefined. */
  readonly atMs?: number;
}

export interface Pricing {
  /** Lowercased, `-` → `_`; "" when absent. */
  readonly category: string;
  /** `regular`, `free_customer_service`, `free_entry_point`, or undefined on old payloads. */
  readonly type?: string;
  readonly billable?: boolean;
}

export interface StatusEvent extends EventOrigin {
  readonly kind: 'status';
  readonly phoneNumberId: string;
  readonly messageId: string;
  /** sent, delivered, read, failed, played, … (bounded). */
  readonly status: string;
  /** Digits of the recipient (never a label, never logged); undefined for groups without a participant. */
  readonly recipient?: string;
  /** The business-scoped user id (Graph v25 usernames) when the status carries one; never a label, never logged. */
  readonly recipientUserId?: string;
  /** Unix ms of the status (Meta sends seconds as a string). */
  readonly timestampMs?: number;
  readonly pricing?: Pricing;
  /** Bounded error codes (see errors.ts). */
  readonly errorCodes: readonly string[];
}

/** `value.errors[]` outside statuses: account/app-level failures such as 130429. */
export interface ErrorEvent extends EventOrigin {
  readonly kind: 'error';
  readonly phoneNumberId: string;
  readonly code: string;
}

/** An incoming user message: counted as an event, nothing else. */
export interface IncomingEvent extends EventOrigin {
  readonly kind: 'incoming';
  readonly phoneNumberId: string;
}

export interface QualityEvent extends EventOrigin {
  readonly kind: 'quality';
  /** Digits only. */
  readonly displayPhoneNumber?: string;
  /** Portfolio tier from max_daily_conversations_per_business, else the legacy current_limit. */
  readonly tier?: string;
}

export interface CapabilityEvent extends EventOrigin {
  readonly kind: 'capability';
  readonly tier?: string;
}

/** One template patch: status (status update), quality (quality update) or category (category update). */
export interface TemplateEvent extends EventOrigin {
  readonly kind: 'template';
  readonly templateId?: string;
  readonly name?: string;
  readonly language?: string;
  readonly patch: { readonly status?: string; readonly quality?: string; readonly category?: string };
}

/** Any other change (account_update, account_alerts, unknown fields …): counted only. */
export interface GenericEvent extends EventOrigin {
  readonly kind: 'generic';
}

export type WebhookEvent =
  | StatusEvent
  | ErrorEvent
  | IncomingEvent
  | QualityEvent
  | CapabilityEvent
  | TemplateEvent
  | GenericEvent;

export type ParseResult =
  | { readonly ok: true; readonly events: readonly WebhookEvent[] }
  /** Valid JSON object, but not a WhatsApp Business Account webhook. */
  | { readonly ok: false; readonly reason: 'unknown_object' | 'malformed' };
