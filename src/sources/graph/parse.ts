import { normEnum, type UnknownEnum } from './enums.js';
import {
  type LimitData,
  type OwnerSource,
  type PhoneRecord,
  type TemplateRecord,
  type TokenData,
  UNKNOWN_OWNER,
  type Via,
  type WabaRecord,
} from './model.js';

/**
 * Pure parsers from Graph JSON to plain records. They never throw on odd input: a missing
 * field becomes undefined (the collector then exports nothing for it rather than a made-up
 * value) and an unknown enum value passes through and is recorded in `unknown`.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

export function parsePhone(
  raw: unknown,
  wabaId: string,
  businessId: string,
  unknown: UnknownEnum[],
): PhoneRecord | undefined {
  const p = obj(raw);
  const id = str(p?.id);
  if (!p || !id) return undefined;
  return {
    id,
    wabaId,
    businessId,
    displayPhoneNumber: str(p.display_phone_number) ?? '',
    verifiedName: str(p.verified_name) ?? '',
    platformType: str(p.platform_type) ?? '',
    status: normEnum('status', p.status, unknown, id),
    nameStatus: normEnum('name_status', p.name_status, unknown, id),
    qualityRating: normEnum('quality_rating', p.quality_rating ?? obj(p.quality_score)?.score, unknown, id),
    health: normEnum('health_status', obj(p.health_status)?.can_send_message, unknown, id),
    throughput: normEnum('throughput_level', obj(p.throughput)?.level, unknown, id),
    legacyTier: normEnum('messaging_limit_tier', p.messaging_limit_tier, unknown, id),
    portfolioTier: normEnum('messaging_limit_tier', p.whatsapp_business_manager_messaging_limit, unknown, id),
    accountMode: normEnum('account_mode', p.account_mode, unknown, id),
    codeVerificationStatus: normEnum('code_verification_status', p.code_verification_status, unknown, id),
    unifiedCertStatus: normEnum('unified_cert_status', p.unified_cert_status, unknown, id),
    officialBusinessAccount:
      typeof p.is_official_business_account === 'boolean' ? p.is_official_business_account : undefined,
    hostPlatform: normEnum('host_platform', p.host_platform, unknown, id),
  };
}

/** The portfolio that listed a WABA, and through which edge (absent for a WABA listed by id). */
export interface ListedBy {
  readonly businessId: string;
  readonly via: Via;
}

/**
 * A WABA node; `phones` are the already-collected items of its phone_numbers edge. The owner is,
 * in order: `owner_business_info` (the live API), `on_behalf_of_business_info` (the spec's field,
 * for a WABA a partner operates on behalf of a client), the portfolio whose *owned* listing
 * returned it. A client WABA with neither field has no resolvable owner: `business_id` is
 * UNKNOWN_OWNER and `owner` says so, rather than attributing it to the partner that listed it.
 */
export function parseWaba(
  raw: unknown,
  phones: unknown[],
  listedBy: ListedBy | undefined,
  unknown: UnknownEnum[],
  appsAsked = false,
): WabaRecord | undefined {
  const w = obj(raw);
  const id = str(w?.id);
  if (!w || !id) return undefined;
  const ownerInfo = obj(w.owner_business_info);
  const behalfInfo = obj(w.on_behalf_of_business_info);
  const [owner, businessId, businessName]: [OwnerSource, string, string] = str(ownerInfo?.id)
    ? ['owner_business_info', str(ownerInfo?.id) as string, str(ownerInfo?.name) ?? '']
    : str(behalfInfo?.id)
      ? ['on_behalf_of_business_info', str(behalfInfo?.id) as string, str(behalfInfo?.name) ?? '']
      : listedBy?.via === 'owned'
        ? ['owned_listing', listedBy.businessId, '']
        : ['unresolved', UNKNOWN_OWNER, ''];
  const seen = new Set<string>();
  const parsed: PhoneRecord[] = [];
  for (const p of phones) {
    const rec = parsePhone(p, id, businessId, unknown);
    if (rec && !seen.has(rec.id)) {
      seen.add(rec.id);
      parsed.push(rec);
    }
  }
  const partner = listedBy?.via === 'client' && listedBy.businessId !== businessId ? listedBy.businessId : undefined;
  return {
    id,
    businessId,
    owner,
    ...(partner ? { sharedWithBusinessId: partner } : {}),
    businessName,
    name: str(w.name) ?? '',
    currency: (str(w.currency) ?? '').toUpperCase(),
    timezoneId: str(w.timezone_id) ?? '',
    reviewStatus: normEnum('account_review_status', w.account_review_status, unknown, id),
    businessVerificationStatus: normEnum('business_verification_status', w.business_verification_status, unknown, id),
    ownershipType: normEnum('ownership_type', w.ownership_type, unknown, id),
    portfolioTier: normEnum('messaging_limit_tier', w.whatsapp_business_manager_messaging_limit, unknown, id),
    // Graph leaves an expanded edge out when it is empty: asked and absent is 0 apps, not unknown.
    subscribedApps: appsAsked ? subscribedApps(w.subscribed_apps) : undefined,
    phones: parsed,
  };
}

/** Apps subscribed to the WABA's webhooks: the expanded edge `{data: [...]}` or the spec's plain array. */
function subscribedApps(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  const data = obj(v)?.data;
  return Array.isArray(data) ? data.length : 0;
}

export function parseBusinessLimit(raw: unknown, businessId: string, unknown: UnknownEnum[]): LimitData {
  const b = obj(raw);
  return {
    businessId,
    tier: normEnum('messaging_limit_tier', b?.whatsapp_business_manager_messaging_limit, unknown, businessId),
  };
}

export function parseTemplate(raw: unknown, unknown: UnknownEnum[]): TemplateRecord | undefined {
  const t = obj(raw);
  const name = str(t?.name);
  if (!t || !name) return undefined;
  const id = str(t.id) ?? '';
  // A template without an id is named by its name and language (once per listing, not per object).
  const object = id || `${name}/${str(t.language) ?? ''}`;
  return {
    id,
    name,
    language: str(t.language) ?? '',
    status: normEnum('template_status', t.status, unknown, object),
    category: normEnum('template_category', t.category, unknown, object),
    quality: normEnum('template_quality', obj(t.quality_score)?.score, unknown, object),
  };
}

/**
 * debug_token → validity and expiry. `expires_at: 0` is how Meta reports a token that never
 * expires (system-user tokens): exported as +Inf so expiry alerts keep a series to evaluate.
 */
export function parseDebugToken(raw: unknown, credential: string): TokenData | undefined {
  const d = obj(obj(raw)?.data);
  if (!d || typeof d.is_valid !== 'boolean') return undefined;
  const exp = typeof d.expires_at === 'number' ? d.expires_at : undefined;
  return {
    credential,
    valid: d.is_valid,
    expiresAt: exp === undefined ? undefined : exp === 0 ? Number.POSITIVE_INFINITY : exp,
  };
}
