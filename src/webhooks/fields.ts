import type { EventOrigin, WebhookEvent } from './events.js';
import { obj, str, type Obj } from './json.js';
import { digits, idLabel, lowerEnum, OTHER, tier, upperEnum } from './labels.js';
import { parseMessages } from './parse-messages.js';

/** What every field parser receives: the change value and the envelope facts around it. */
export interface ChangeContext {
  readonly field: string;
  readonly wabaId: string;
  readonly atMs?: number;
  /** Content key of this change (field, entry id, entry time, value): equal for a redelivery. */
  readonly key: string;
}

type FieldParser = (value: Obj, c: ChangeContext) => WebhookEvent[];

const origin = (c: ChangeContext, event: string | undefined): EventOrigin => ({
  field: c.field,
  event: event ?? '',
  wabaId: c.wabaId,
  key: `c\u0000${c.key}`,
  atMs: c.atMs,
});

/** A template event is only applied to the snapshot when its new value is a plausible enum. */
const applicable = (v: string | undefined): string | undefined => (v === undefined || v === OTHER ? undefined : v);

const templateRef = (v: Obj) => ({
  templateId: idLabel(v.message_template_id) || undefined,
  name: str(v.message_template_name),
  language: str(v.message_template_language, 32),
});

/**
 * Field → parser, one explicit table (META-API §4). Fields not listed are counted by
 * `genericEvent` under their own name.
 */
export const FIELD_PARSERS: Readonly<Record<string, FieldParser>> = {
  messages: (v, c) => parseMessages(v, c.wabaId, c.atMs),

  // Identifies the number only by display_phone_number and carries no quality value (§4.2).
  phone_number_quality_update: (v, c) => [
    {
      kind: 'quality',
      ...origin(c, upperEnum(v.event)),
      displayPhoneNumber: digits(v.display_phone_number),
      tier: tier(v.max_daily_conversations_per_business) ?? tier(v.current_limit),
    },
  ],

  business_capability_update: (v, c) => [
    { kind: 'capability', ...origin(c, undefined), tier: tier(v.max_daily_conversations_per_business) },
  ],

  message_template_status_update: (v, c) => {
    const status = upperEnum(v.event);
    return [
      {
        kind: 'template',
        ...origin(c, status),
        ...templateRef(v),
        patch: { status: applicable(status), category: applicable(upperEnum(v.message_template_category)) },
      },
    ];
  },

  message_template_quality_update: (v, c) => {
    const quality = upperEnum(v.new_quality_score);
    return [{ kind: 'template', ...origin(c, quality), ...templateRef(v), patch: { quality: applicable(quality) } }];
  },

  // new_category = the change happened; correct_category = an impending change (not applied yet).
  template_category_update: (v, c) => {
    const category = upperEnum(v.new_category);
    return [
      {
        kind: 'template',
        ...origin(c, category ?? upperEnum(v.correct_category)),
        ...templateRef(v),
        patch: { category: applicable(category) },
      },
    ];
  },

  account_update: (v, c) => [{ kind: 'generic', ...origin(c, upperEnum(v.event)) }],
  account_alerts: (v, c) => [{ kind: 'generic', ...origin(c, upperEnum(obj(v.alert_info)?.alert_type)) }],
  account_review_update: (v, c) => [{ kind: 'generic', ...origin(c, upperEnum(v.decision)) }],
};

/** Any field we have no parser for: counted with the first enum-looking event name it carries. */
export function genericEvent(v: Obj | undefined, c: ChangeContext): WebhookEvent {
  const raw = v?.event ?? v?.status ?? obj(v?.alert_info)?.alert_type ?? v?.decision;
  const event = typeof raw === 'string' && raw === raw.toLowerCase() ? lowerEnum(raw) : upperEnum(raw);
  return { kind: 'generic', ...origin(c, event) };
}
