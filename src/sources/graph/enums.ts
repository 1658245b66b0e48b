/**
 * The enum values we know, per Graph field (META-API §1–2). Anything else passes through
 * unchanged (never dropped, never mapped to a wrong state) and is reported as unknown so
 * whatsapp_exporter_unknown_enum_values_total shows that Meta added a value.
 */
// LINKED and UNLINKED are the status values of Meta's Business Messaging API spec (facebook/openapi,
// business-messaging-api_v23.0.yaml, WhatsAppPhoneNumberStatus: PENDING, LINKED, UNLINKED, DELETED,
// MIGRATED, BANNED, RESTRICTED), which has no CONNECTED or DISCONNECTED: they are the spec's names for
// a number linked to its WABA (it can send) and one that is not (it cannot). The live API answers
// CONNECTED/DISCONNECTED; both spellings are known, and the alert policy treats them alike.
export const PHONE_STATUS = [
  'CONNECTED',
  'LINKED',
  'UNLINKED',
  'DISCONNECTED',
  'PENDING',
  'FLAGGED',
  'RESTRICTED',
  'BANNED',
  'DELETED',
  'MIGRATED',
  'RATE_LIMITED',
  'UNVERIFIED',
  'UNKNOWN',
] as const;
export const NAME_STATUS = [
  'APPROVED',
  'AVAILABLE_WITHOUT_REVIEW',
  'DECLINED',
  'EXPIRED',
  'PENDING_REVIEW',
  'NONE',
] as const;
export const QUALITY = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export const HEALTH = ['AVAILABLE', 'LIMITED', 'BLOCKED'] as const;
export const THROUGHPUT = ['STANDARD', 'HIGH', 'NOT_APPLICABLE'] as const;
// RESTRICTED and LIMIT_REACHED are in Meta's Business Messaging API spec (facebook/openapi,
// WhatsAppBusinessAccount.account_review_status); both limit what the WABA may send.
export const REVIEW_STATUS = ['APPROVED', 'PENDING', 'REJECTED', 'RESTRICTED', 'LIMIT_REACHED'] as const;
export const LIMIT_TIERS = [
  'TIER_50',
  'TIER_250',
  'TIER_2K',
  'TIER_10K',
  'TIER_100K',
  'TIER_UNLIMITED',
  'UNTIERED',
] as const;
/** Legacy per-number tiers that still appear; they pass through as their own state. */
const LEGACY_TIERS = ['TIER_1K', 'TIER_NOT_SET'] as const;
export const TEMPLATE_STATUS = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'IN_APPEAL',
  'PENDING_DELETION',
  'DELETED',
  'ARCHIVED',
  'LIMIT_EXCEEDED',
  'FLAGGED',
  'LOCKED',
  'REINSTATED',
] as const;
export const TEMPLATE_CATEGORY = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

// Enums of Meta's Business Messaging API spec (facebook/openapi, business-messaging-api_v23.0.yaml):
// WhatsAppBusinessSandboxEligibility, WhatsAppCodeVerificationStatus (both spellings of "not
// verified" appear in the spec, EXPIRED in Meta's phone-number reference), WhatsAppBusinessUnifiedCertStatus,
// WhatsAppBusinessAccountHostPlatform, BusinessVerificationStatus and OwnershipType.
export const ACCOUNT_MODE = ['LIVE', 'SANDBOX'] as const;
export const CODE_VERIFICATION = ['VERIFIED', 'NOT_VERIFIED', 'UNVERIFIED', 'EXPIRED'] as const;
export const UNIFIED_CERT = [
  'APPROVED',
  'NAME_PENDING_REVIEW',
  'NAME_NOT_APPROVED',
  'ACCOUNT_REVIEW_NOT_STARTED',
  'LIMITED_ACCESS',
] as const;
export const HOST_PLATFORM = ['CLOUD_API', 'ON_PREMISE', 'NOT_APPLICABLE'] as const;
export const BUSINESS_VERIFICATION = ['VERIFIED', 'UNVERIFIED', 'PENDING', 'REJECTED', 'NOT_VERIFIED'] as const;
export const OWNERSHIP_TYPE = ['SELF_OWNED', 'CLIENT_OWNED', 'AGENCY_OWNED'] as const;

/** Unique recipients per rolling 24 h for each tier; undefined = no numeric limit known. */
export const TIER_LIMIT: Readonly<Record<string, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

export const QUALITY_SCORE: Readonly<Record<string, number>> = { GREEN: 3, YELLOW: 2, RED: 1, UNKNOWN: 0 };

export interface UnknownEnum {
  field: string;
  value: string;
  /** The object that carried it (a number, WABA, portfolio or template id): counted once per object. */
  object?: string;
}

const KNOWN: Record<string, ReadonlySet<string>> = {
  status: new Set(PHONE_STATUS),
  name_status: new Set(NAME_STATUS),
  quality_rating: new Set(QUALITY),
  health_status: new Set(HEALTH),
  throughput_level: new Set(THROUGHPUT),
  account_review_status: new Set(REVIEW_STATUS),
  messaging_limit_tier: new Set([...LIMIT_TIERS, ...LEGACY_TIERS]),
  template_status: new Set(TEMPLATE_STATUS),
  template_category: new Set(TEMPLATE_CATEGORY),
  template_quality: new Set(QUALITY),
  account_mode: new Set(ACCOUNT_MODE),
  code_verification_status: new Set(CODE_VERIFICATION),
  unified_cert_status: new Set(UNIFIED_CERT),
  host_platform: new Set(HOST_PLATFORM),
  business_verification_status: new Set(BUSINESS_VERIFICATION),
  ownership_type: new Set(OWNERSHIP_TYPE),
};
export type EnumField = keyof typeof KNOWN;

/** Every enum field whose unknown values are counted (initialised to 0 in the self-metrics). */
export const ENUM_FIELDS: readonly string[] = Object.keys(KNOWN);

/**
 * Normalises one enum value: upper-cases (Meta's casing varies by surface), maps the
 * not-rated-yet "NA" to UNKNOWN for quality fields, and records values we do not know.
 */
export function normEnum(field: EnumField, raw: unknown, unknown: UnknownEnum[], object?: string): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let v = raw.trim().toUpperCase();
  if ((field === 'quality_rating' || field === 'template_quality') && v === 'NA') v = 'UNKNOWN';
  if (!KNOWN[field]?.has(v)) unknown.push(object === undefined ? { field, value: v } : { field, value: v, object });
  return v;
}
