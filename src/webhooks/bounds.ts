import { OTHER } from './labels.js';

/**
 * Every label value a webhook brings is either from a known set or one of the first few unknown
 * ones; later unknown values become "other" and are counted (#19, D3). The enum-shape check in
 * labels.ts keeps values printable but not few: one signed POST with 31,000 distinct field names
 * made 31,000 series, and they were persisted. Unknown values still show (Meta adds statuses and
 * categories), up to the limit; the counter says when values were folded.
 */

/** The WhatsApp Business Account webhook fields (Meta's App Dashboard list, META-API §4). */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'messages',
  'message_echoes',
  'message_template_status_update',
  'message_template_quality_update',
  'message_template_components_update',
  'template_category_update',
  'phone_number_quality_update',
  'phone_number_name_update',
  'business_capability_update',
  'account_update',
  'account_alerts',
  'account_review_update',
  'account_settings_update',
  'business_status_update',
  'security',
  'flows',
  'history',
  'smb_app_state_sync',
  'smb_message_echoes',
  'user_preferences',
  'partner_solutions',
  'payment_configuration_update',
  'calls',
  'automatic_events',
  OTHER,
]);

/** Message statuses (webhooks reference, messages → statuses[].status). */
export const KNOWN_STATUSES: ReadonlySet<string> = new Set([
  'sent',
  'delivered',
  'read',
  'failed',
  'deleted',
  'warning',
  'played',
  OTHER,
]);

/** pricing.category values ("" = no pricing on the status). */
export const KNOWN_CATEGORIES: ReadonlySet<string> = new Set([
  '',
  'marketing',
  'marketing_lite',
  'utility',
  'authentication',
  'authentication_international',
  'service',
  'referral_conversion',
  OTHER,
]);

/** Unknown values of an enum label that keep their name (as for Graph enums: the first 5). */
export const UNKNOWN_ENUM_VALUES = 5;
/**
 * Ids of WABAs and numbers the accounts snapshot does not know (yet: webhooks can arrive before
 * the first poll, and events for WABAs the exporter does not poll are counted too).
 */
export const UNKNOWN_IDS = 100;

export const BOUNDED_LABELS = ['field', 'status', 'pricing_category', 'waba_id', 'phone_number_id'] as const;
export type BoundedLabel = (typeof BOUNDED_LABELS)[number];

/**
 * The admitted values per label: known ones always, unknown ones while there is room. Seeded from
 * what the state DB holds at start, so the same values keep their names across restarts.
 */
export class LabelBounds {
  private readonly admitted = new Map<BoundedLabel, Set<string>>(BOUNDED_LABELS.map((l) => [l, new Set()]));
  private readonly foldedCount = new Map<BoundedLabel, number>(BOUNDED_LABELS.map((l) => [l, 0]));

  /** `knownId`: whether the accounts snapshot knows this WABA or number id. */
  constructor(private readonly knownId: (label: 'waba_id' | 'phone_number_id', id: string) => boolean = () => false) {}

  /** The label value to use for `value`; counts a fold. */
  label(label: BoundedLabel, value: string): string {
    const v = this.fold(label, value);
    if (v !== value) this.foldedCount.set(label, (this.foldedCount.get(label) ?? 0) + 1);
    return v;
  }

  /** The same without counting (re-reading persisted labels at start). */
  fold(label: BoundedLabel, value: string): string {
    if (this.known(label, value)) return value;
    const seen = this.admitted.get(label) as Set<string>;
    if (seen.has(value)) return value;
    if (seen.size >= limitOf(label)) return OTHER;
    seen.add(value);
    return value;
  }

  /**
   * A persisted id at start: admitted whatever the room, because the accounts snapshot that would
   * say it is known is not loaded yet and a fleet's ids must keep their names across restarts.
   * Only this version wrote them, and it admits at most UNKNOWN_IDS unknown ones besides the fleet.
   */
  seedId(label: 'waba_id' | 'phone_number_id', value: string): void {
    if (!this.known(label, value)) (this.admitted.get(label) as Set<string>).add(value);
  }

  /** Values folded into "other" per label since start. */
  folded(): ReadonlyMap<BoundedLabel, number> {
    return this.foldedCount;
  }

  private known(label: BoundedLabel, value: string): boolean {
    switch (label) {
      case 'field':
        return KNOWN_FIELDS.has(value);
      case 'status':
        return KNOWN_STATUSES.has(value);
      case 'pricing_category':
        return KNOWN_CATEGORIES.has(value);
      default:
        // "" (no id in the payload) and "other" are values of their own, never using up room.
        return value === '' || value === OTHER || this.knownId(label, value);
    }
  }
}

const limitOf = (label: BoundedLabel): number =>
  label === 'waba_id' || label === 'phone_number_id' ? UNKNOWN_IDS : UNKNOWN_ENUM_VALUES;

/** A counter's labels with every bounded label passed through `f` (labels it does not carry stay). */
export function boundLabels(
  labels: Readonly<Record<string, string>>,
  f: (label: BoundedLabel, value: string) => string,
): Record<string, string> {
  const out: Record<string, string> = { ...labels };
  for (const l of BOUNDED_LABELS) if (l in out) out[l] = f(l, out[l] as string);
  return out;
}
