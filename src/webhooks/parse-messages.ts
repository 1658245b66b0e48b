import type { ErrorEvent, IncomingEvent, Pricing, StatusEvent, WebhookEvent } from './events.js';
import { arr, contentKey, obj, str, unixMs, type Obj } from './json.js';
import { digits, errorCode, idLabel, lowerEnum, pricingCategory } from './labels.js';

/**
 * The `messages` field (META-API §4.1): `statuses[]` of outgoing messages, `errors[]` for
 * account/app-level failures, and incoming `messages[]` (counted only). Contacts, message bodies
 * and profile names are never read.
 */
export function parseMessages(value: Obj, wabaId: string, atMs: number | undefined): WebhookEvent[] {
  const field = 'messages';
  const phoneNumberId = idLabel(obj(value.metadata)?.phone_number_id);
  const out: WebhookEvent[] = [];
  for (const raw of arr(value.statuses)) {
    const s = parseStatus(obj(raw), wabaId, phoneNumberId);
    if (s) out.push(s);
  }
  arr(value.errors).forEach((raw, i) => {
    const e = obj(raw);
    if (!e) return;
    const ev: ErrorEvent = {
      kind: 'error',
      field,
      event: 'error',
      wabaId,
      phoneNumberId,
      code: errorCode(e.code),
      atMs,
      key: `e\u0000${contentKey([wabaId, phoneNumberId, atMs, i, e])}`,
    };
    out.push(ev);
  });
  arr(value.messages).forEach((raw, i) => {
    const m = obj(raw);
    if (!m) return;
    const id = str(m.id);
    const ev: IncomingEvent = {
      kind: 'incoming',
      field,
      event: 'message',
      wabaId,
      phoneNumberId,
      atMs,
      key: id ? `m\u0000${id}` : `m\u0000${contentKey([wabaId, phoneNumberId, i, m])}`,
    };
    out.push(ev);
  });
  return out;
}

function parseStatus(s: Obj | undefined, wabaId: string, phoneNumberId: string): StatusEvent | undefined {
  if (!s) return undefined;
  const messageId = str(s.id);
  const status = lowerEnum(s.status);
  if (!messageId || !status) return undefined;
  const errorCodes = arr(s.errors)
    .map(obj)
    .filter((e): e is Obj => e !== undefined)
    .map((e) => errorCode(e.code));
  return {
    kind: 'status',
    field: 'messages',
    event: status,
    wabaId,
    phoneNumberId,
    messageId,
    status,
    // One webhook per status per message (META-API §4.1): (id, status) identifies a redelivery.
    key: `s\u0000${messageId}\u0000${status}`,
    recipient: recipientOf(s),
    recipientUserId: userIdOf(s),
    timestampMs: unixMs(s.timestamp),
    pricing: parsePricing(obj(s.pricing)),
    errorCodes,
  };
}

/**
 * The recipient's business-scoped user id: with usernames (Graph v25), a status may carry it next to
 * recipient_id, or instead of it. Bounded, so a hostile body cannot make a huge hash input.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
 */
function userIdOf(s: Obj): string | undefined {
  const id = str(s.recipient_type === 'group' ? undefined : s.recipient_user_id);
  return id && id.length <= 128 ? id : undefined;
}

/** Group messages name the group in recipient_id; the person is recipient_participant_id. */
function recipientOf(s: Obj): string | undefined {
  if (s.recipient_type === 'group') return digits(s.recipient_participant_id);
  return digits(s.recipient_id);
}

function parsePricing(p: Obj | undefined): Pricing | undefined {
  if (!p) return undefined;
  return {
    category: pricingCategory(p.category),
    type: lowerEnum(p.type),
    billable: typeof p.billable === 'boolean' ? p.billable : undefined,
  };
}
