import type { ParseResult, WebhookEvent } from './events.js';
import { FIELD_PARSERS, genericEvent, type ChangeContext } from './fields.js';
import { arr, contentKey, obj, unixMs } from './json.js';
import { fieldName, idLabel } from './labels.js';

export const WHATSAPP_OBJECT = 'whatsapp_business_account';

/**
 * Parsed JSON body → typed events. Pure and total: it never throws, ignores fields it does not
 * know, and reads wrong types as absent. Envelope (META-API §4.0):
 *   { object, entry: [ { id: <WABA id>, time?, changes: [ { field, value } ] } ] }
 * A body that is not an object is `malformed`; an object for another product (Instagram, Page …)
 * is `unknown_object`; a WhatsApp envelope with odd entries yields whatever events are readable.
 */
export function parseWebhook(body: unknown): ParseResult {
  const root = obj(body);
  if (!root) return { ok: false, reason: 'malformed' };
  if (root.object !== WHATSAPP_OBJECT) return { ok: false, reason: 'unknown_object' };
  const events: WebhookEvent[] = [];
  for (const rawEntry of arr(root.entry)) {
    const entry = obj(rawEntry);
    if (!entry) continue;
    const wabaId = idLabel(entry.id);
    const atMs = unixMs(entry.time);
    for (const rawChange of arr(entry.changes)) {
      const change = obj(rawChange);
      if (!change) continue;
      events.push(...parseChange(change, wabaId, atMs));
    }
  }
  return { ok: true, events };
}

function parseChange(
  change: Readonly<Record<string, unknown>>,
  wabaId: string,
  atMs: number | undefined,
): WebhookEvent[] {
  const field = fieldName(change.field);
  const value = obj(change.value);
  let key: string;
  try {
    key = contentKey([field, wabaId, atMs, change.value]);
  } catch {
    // JSON.stringify overflows the stack on absurdly deep junk; such a change is counted, not parsed.
    return [genericEvent(undefined, { field, wabaId, atMs, key: contentKey([field, wabaId, atMs, 'unserialisable']) })];
  }
  const c: ChangeContext = { field, wabaId, atMs, key };
  const parser = Object.hasOwn(FIELD_PARSERS, field) ? FIELD_PARSERS[field] : undefined;
  if (!value) return [genericEvent(undefined, c)];
  return parser ? parser(value, c) : [genericEvent(value, c)];
}
