import { COUNTER, MAX_EVENT_SERIES } from './counter-keys.js';
import type { CounterInc, CounterSet } from '../state/counters.js';
import type { Batch, MarketingRow, RecipientRow, Unit } from '../state/db.js';
import type { LabelBounds } from './bounds.js';
import { countryOf } from './country.js';
import type { StatusEvent, WebhookEvent } from './events.js';
import type { AccountIndex } from './identity.js';
import { BUSINESS_INITIATED, MARKETING, OTHER } from './labels.js';

export const DAY_MS = 24 * 3600 * 1000;

export interface IngestContext {
  readonly now: number;
  readonly index: AccountIndex;
  readonly counters: CounterSet;
  readonly hashRecipient: (digits: string) => Buffer;
  readonly capWindowMs?: number;
  /** The phone hash a user id's hash stands for (learnt from a status carrying both), if known. */
  readonly aliasOf?: (alias: Buffer) => Buffer | undefined;
  readonly priceFor?: (countryIso2: string, category: string) => { price: number; currency: string } | undefined;
  /** Label values from the payload pass through these (known, or the first few unknown, else "other"). */
  readonly bounds: LabelBounds;
}

/** An event's label values, bounded once per event (ids, field, status, category). */
interface EventLabels {
  readonly field: string;
  readonly wabaId: string;
  readonly phoneNumberId: string;
}

/**
 * Events → one DB batch. Each unit carries a dedupe key and everything that must happen exactly
 * once for it; the DB applies a unit only if its key is new. A status yields two units: the
 * (message, status) one and, when it is billable, a per-message one, because Meta puts `pricing`
 * on `sent` and again on `delivered`/`read` and the message must be billed once.
 */
export function planBatch(events: readonly WebhookEvent[], ctx: IngestContext): Batch {
  // Aliases learnt earlier in this same POST count too (the DB only has them after it commits).
  const learnt = new Map<string, Buffer>();
  const c: IngestContext & { learn: (alias: Buffer, hash: Buffer) => void } = {
    ...ctx,
    aliasOf: (a) => learnt.get(a.toString('hex')) ?? ctx.aliasOf?.(a),
    learn: (a, h) => void learnt.set(a.toString('hex'), h),
  };
  const units: Unit[] = [];
  const received = new Map<string, number>();
  const eventLabels = boundedEvents(c.counters);
  for (const e of events) {
    const l: EventLabels = {
      field: c.bounds.label('field', e.field),
      wabaId: c.bounds.label('waba_id', e.wabaId),
      phoneNumberId: 'phoneNumberId' in e ? c.bounds.label('phone_number_id', e.phoneNumberId) : '',
    };
    received.set(l.field, c.now);
    // The owner is looked up by the id in the payload; the label is the bounded one.
    const businessId = c.index.waba(e.wabaId)?.businessId ?? '';
    const counted: CounterInc = { family: COUNTER.events, labels: eventLabels(l.field, e.event), value: 1 };
    const ids = { business_id: businessId, waba_id: l.wabaId };
    switch (e.kind) {
      case 'status':
        units.push(...statusUnits(e, l, businessId, counted, c));
        break;
      case 'error':
        units.push({
          key: e.key,
          at: c.now,
          counters: [
            counted,
            { family: COUNTER.errors, labels: { ...ids, phone_number_id: l.phoneNumberId, code: e.code }, value: 1 },
          ],
        });
        break;
      default:
        units.push({ key: e.key, at: c.now, counters: [counted] });
    }
  }
  return { units, received };
}

function statusUnits(
  e: StatusEvent,
  l: EventLabels,
  businessId: string,
  counted: CounterInc,
  c: IngestContext & { learn?: (alias: Buffer, hash: Buffer) => void },
): Unit[] {
  const ids = { business_id: businessId, waba_id: l.wabaId, phone_number_id: l.phoneNumberId };
  // What the category means (business-initiated, marketing, its price) is read from the payload's
  // value; only the label is bounded.
  const category = e.pricing?.category ?? '';
  const categoryLabel = c.bounds.label('pricing_category', category);
  const counters: CounterInc[] = [
    counted,
    {
      family: COUNTER.statuses,
      labels: { ...ids, status: c.bounds.label('status', e.status), pricing_category: categoryLabel },
      value: 1,
    },
  ];
  for (const code of e.errorCodes) counters.push({ family: COUNTER.errors, labels: { ...ids, code }, value: 1 });
  // A status in the future (clock skew) counts as now; its time decides which window it falls in.
  const at = Math.min(e.timestampMs ?? c.now, c.now);
  // The phone number when the status has it; else the user id (usernames), resolved to the phone
  // when an earlier status carried both. The "u:" prefix keeps the two id spaces apart.
  const phoneHash = e.recipient !== undefined ? c.hashRecipient(e.recipient) : undefined;
  const userHash = e.recipientUserId !== undefined ? c.hashRecipient(`u:${e.recipientUserId}`) : undefined;
  const hash = phoneHash ?? (userHash && (c.aliasOf?.(userHash) ?? userHash));
  const recipients: RecipientRow[] = [];
  const marketing: MarketingRow[] = [];
  if (
    hash &&
    e.pricing &&
    e.status !== 'failed' &&
    BUSINESS_INITIATED.has(category) &&
    e.pricing.type !== 'free_customer_service'
  ) {
    if (at > c.now - DAY_MS)
      recipients.push({ hash, businessId, wabaId: l.wabaId, phoneNumberId: l.phoneNumberId, at });
    if (MARKETING.has(category) && c.capWindowMs !== undefined && at > c.now - c.capWindowMs)
      marketing.push({ hash, businessId, messageId: e.messageId, at });
  }
  const aliases = phoneHash && userHash ? [{ alias: userHash, hash: phoneHash, at: c.now }] : [];
  if (phoneHash && userHash) c.learn?.(userHash, phoneHash);
  const units: Unit[] = [{ key: e.key, at: c.now, counters, recipients, marketing, aliases }];
  if (isBillable(e)) {
    const billed: CounterInc[] = [
      { family: COUNTER.billable, labels: { ...ids, pricing_category: categoryLabel }, value: 1 },
    ];
    const country = e.recipient !== undefined && c.priceFor ? countryOf(e.recipient) : undefined;
    const price = country ? c.priceFor?.(country, category) : undefined;
    if (price && Number.isFinite(price.price) && price.price >= 0) {
      billed.push({
        family: COUNTER.estimatedCost,
        labels: {
          business_id: businessId,
          waba_id: l.wabaId,
          pricing_category: categoryLabel,
          currency: price.currency,
        },
        value: price.price,
      });
    }
    units.push({ key: `b\u0000${e.messageId}`, at: c.now, counters: billed });
  }
  return units;
}

/**
 * Billable when pricing.type is `regular`, or on payloads without a type (before per-message
 * pricing) when billable is true. Meta says `billable` will be deprecated (META-API §4.1).
 */
export function isBillable(e: StatusEvent): boolean {
  const p = e.pricing;
  if (!p || e.status === 'failed') return false;
  return p.type === 'regular' || (p.type === undefined && p.billable === true);
}

/** {field, event} labels, folded into "other" once the family holds MAX_EVENT_SERIES series. */
function boundedEvents(counters: CounterSet): (field: string, event: string) => { field: string; event: string } {
  const added = new Set<string>();
  return (field, event) => {
    const labels = { field, event };
    const k = `${field}\u0000${event}`;
    if (added.has(k) || counters.has(COUNTER.events, labels)) return labels;
    if (counters.size(COUNTER.events) + added.size >= MAX_EVENT_SERIES) return { field: OTHER, event: OTHER };
    added.add(k);
    return labels;
  };
}
