import { COUNTER } from '../../webhooks/counter-keys.js';
import type { WebhookView } from '../../webhooks/view.js';
import type { FrequencyCapInput } from './model.js';

/** Meta's per-user marketing limit: the message was not delivered to keep engagement healthy. */
const PER_USER_MARKETING_LIMIT = '131049';

/**
 * The frequency-cap facts for the page from the webhook module: the configured cap and recipients
 * at it in its window (one query over the state DB, once per view build). Undefined without a cap
 * or a feed: the page then says "not configured".
 */
export function frequencyCapInput(v: WebhookView, now: number): FrequencyCapInput | undefined {
  const cap = v.cap();
  if (!cap || !v.configured()) return undefined;
  return {
    messages: cap.messages,
    windowMs: cap.windowMs,
    atCap: new Map(v.recipientsAtCap(now - cap.windowMs, cap.messages).map((r) => [r.businessId, r.n])),
  };
}

/** The cumulative 131049 errors per business, from the counters in memory (no query: sampled every minute). */
export function capRejections(v: WebhookView): ReadonlyMap<string, number> | undefined {
  if (!v.cap() || !v.configured()) return undefined;
  const rejections = new Map<string, number>();
  for (const s of v.counters.series(COUNTER.errors)) {
    if (s.labels.code !== PER_USER_MARKETING_LIMIT) continue;
    const b = s.labels.business_id ?? '';
    rejections.set(b, (rejections.get(b) ?? 0) + s.value);
  }
  return rejections;
}
