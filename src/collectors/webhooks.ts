import { counter, gauge, type Family } from '../metrics/family.js';
import type { Logger } from 'pino';
import type { Fragment } from '../metrics/exposition.js';
import type { SnapshotStore } from '../poller/store.js';
import type { Clock } from '../util/clock.js';
import { collectorFragment } from './fragments.js';
import { GrainSums } from './grain.js';
import { metric } from '../metrics/names.js';
import { ACCOUNTS } from '../sources/keys.js';
import { BOUNDED_LABELS } from '../webhooks/bounds.js';
import { COUNTER, FAILURE_REASONS, type CounterKey } from '../webhooks/counter-keys.js';
import type { WebhookView } from '../webhooks/view.js';
import type { Collector } from './types.js';

const ID = ['business_id', 'waba_id', 'phone_number_id'];
export const STATUSES = counter(
  metric('message_statuses_total'),
  'Outgoing message statuses from webhooks; each (message, status) counted once even when Meta redelivers.',
  [...ID, 'status', 'pricing_category'],
);
export const ERRORS = counter(
  metric('message_errors_total'),
  'Error codes of failed messages and account-level webhook errors (known codes, else "other").',
  [...ID, 'code'],
);
export const BILLABLE = counter(
  metric('billable_messages_total'),
  'Billable messages (pricing.type regular, or billable=true without a type), each counted once.',
  [...ID, 'pricing_category'],
);
export const ESTIMATED_COST = counter(
  metric('estimated_cost_total'),
  "Billable messages priced with the rate card by the recipient's market.",
  ['business_id', 'waba_id', 'pricing_category', 'currency'],
);
export const EVENTS = counter(metric('webhook_events_total'), 'Webhook events per field and event (deduplicated).', [
  'field',
  'event',
]);
export const REQUESTS = counter(
  metric('webhook_requests_total'),
  'Webhook POSTs received (any outcome) since the exporter started.',
  [],
);
export const FAILURES = counter(
  metric('webhook_request_failures_total'),
  'Webhook POSTs rejected or ignored, by reason.',
  ['reason'],
);
export const FOLDED = counter(
  metric('webhook_label_values_folded_total'),
  'Label values from webhooks counted as "other" since the exporter started: unknown beyond the first few per label (webhook fields, statuses and pricing categories: 5; WABA and number ids the accounts snapshot does not know: 100).',
  ['label'],
);
export const LAST_RECEIVED = gauge(
  metric('webhook_last_received_timestamp_seconds'),
  'Unix time of the last webhook event of this field.',
  ['field'],
);
export const UNIQUE_BIZ = gauge(
  metric('unique_recipients_24h'),
  'Distinct recipients of business-initiated messages in the rolling 24 h (what the messaging limit counts).',
  ['business_id'],
);
// Opt-in: one series per number at fleet scale, and the messaging limit counts per portfolio
// (whatsapp_unique_recipients_24h).
export const UNIQUE_PHONE = gauge(
  metric('phone_number_unique_recipients_24h'),
  'Distinct recipients of business-initiated messages in the rolling 24 h, per sending number.',
  ID,
  { optIn: true },
);
export const CONFIGURED = gauge(
  metric('webhooks_configured'),
  'Whether a webhook feed is configured (1) or not (0). Without one, the 24 h usage series are absent: unknown, not zero.',
  [],
);
export const AT_CAP = gauge(
  metric('marketing_recipients_at_frequency_cap'),
  'Recipients who already got the configured maximum of marketing messages in the configured window.',
  ['business_id'],
);
export const CAP_MESSAGES = gauge(
  metric('marketing_frequency_cap_messages'),
  'Configured marketing frequency cap: messages per recipient per window.',
  ['business_id'],
);
export const CAP_WINDOW = gauge(
  metric('marketing_frequency_cap_window_seconds'),
  'Configured marketing frequency cap window.',
  ['business_id'],
);

const DAY_MS = 24 * 3600 * 1000;

/** Persisted counters by their stable key (the DB never stores metric names). */
const PERSISTED: ReadonlyArray<readonly [CounterKey, Family]> = [
  [COUNTER.statuses, STATUSES],
  [COUNTER.errors, ERRORS],
  [COUNTER.billable, BILLABLE],
  [COUNTER.estimatedCost, ESTIMATED_COST],
  [COUNTER.events, EVENTS],
];

/** Counters summed to `metrics.aggregate_by`. */
const AGGREGATED: ReadonlySet<Family> = new Set([STATUSES, BILLABLE, ESTIMATED_COST]);

/** Webhook counters, from memory: re-rendered per POST burst. */
export function webhookCountersCollector(v: WebhookView): Collector {
  return {
    name: 'webhook_counters',
    sources: ['webhooks'],
    collect(_view, out) {
      // Labels loaded from the DB come back in canonical (sorted) order: re-order them as the family
      // declares. Message and money counts are summed up to the configured grain; failures
      // (ERRORS) stay per number, so the number that fails most can always be found.
      for (const [k, f] of PERSISTED) {
        const sums = AGGREGATED.has(f) ? new GrainSums(out) : undefined;
        for (const s of v.counters.series(k)) {
          const labels = Object.fromEntries(f.labelNames.map((n) => [n, s.labels[n] ?? '']));
          if (sums) sums.add(f, labels, s.value);
          else out.add(f, labels, s.value);
        }
        sums?.flush();
      }
      out.add(REQUESTS, {}, v.http.requests);
      for (const reason of FAILURE_REASONS) out.add(FAILURES, { reason }, v.http.failures.get(reason) ?? 0);
      for (const [field, at] of v.lastReceived) out.add(LAST_RECEIVED, { field }, at / 1000);
      const folded = v.folded();
      for (const label of BOUNDED_LABELS) out.add(FOLDED, { label }, folded.get(label) ?? 0);
    },
  };
}

/**
 * The rolling windows (queries over the state DB); also re-rendered when the accounts snapshot
 * changes, so a known business or number shows 0 rather than nothing.
 */
export function webhookWindowsCollector(v: WebhookView): Collector {
  return {
    name: 'webhook_windows',
    sources: ['webhooks', ACCOUNTS],
    collect(view, out) {
      const configured = v.configured();
      out.add(CONFIGURED, {}, configured ? 1 : 0);
      // No feed, no count: a 0 here would say "nobody was messaged" and hide the messaging limit.
      if (!configured) return;
      const now = view.now;
      const perNumber = out.exports(UNIQUE_PHONE);
      const known = v.known(perNumber);
      const biz = new Map<string, number>([...known.businesses].map((b) => [b, 0]));
      for (const r of v.uniqueRecipientsByBusiness(now - DAY_MS)) biz.set(r.businessId, r.n);
      for (const [business_id, n] of biz) out.add(UNIQUE_BIZ, { business_id }, n);
      // Opt-in (one series per number): the per-portfolio figure is what the messaging limit counts.
      const phones = new Map<string, { labels: Record<string, string>; n: number }>();
      const put = (b: string, w: string, p: string, n: number) =>
        phones.set(`${b}\u0000${w}\u0000${p}`, { labels: { business_id: b, waba_id: w, phone_number_id: p }, n });
      if (perNumber) {
        for (const p of known.phones) put(p.businessId, p.wabaId, p.phoneNumberId, 0);
        for (const r of v.uniqueRecipientsByPhone(now - DAY_MS)) put(r.businessId, r.wabaId, r.phoneNumberId, r.n);
        for (const p of phones.values()) out.add(UNIQUE_PHONE, p.labels, p.n);
      }
      const cap = v.cap();
      if (cap) {
        const atCap = new Map<string, number>([...known.businesses, ...v.marketingBusinesses()].map((b) => [b, 0]));
        for (const r of v.recipientsAtCap(now - cap.windowMs, cap.messages)) atCap.set(r.businessId, r.n);
        for (const [business_id, n] of atCap) {
          out.add(AT_CAP, { business_id }, n);
          out.add(CAP_MESSAGES, { business_id }, cap.messages);
          out.add(CAP_WINDOW, { business_id }, cap.windowMs / 1000);
        }
      }
    },
  };
}

/** Both webhook collectors (the tables in collectors/index.ts; tests and the webhook bench). */
export const webhookCollectors = (v: WebhookView): Collector[] => [
  webhookCountersCollector(v),
  webhookWindowsCollector(v),
];

/** Both as cached exposition fragments, for a webhook module served on its own (tests, the webhook bench). */
export const webhookFragments = (v: WebhookView, store: SnapshotStore, clock: Clock, logger: Logger): Fragment[] =>
  webhookCollectors(v).map((c) => collectorFragment(c, store, clock, logger));
