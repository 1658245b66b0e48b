/** Plain data the Graph sources return. No prom-client here: collectors turn these into metrics. */

export interface PhoneRecord {
  readonly id: string;
  readonly wabaId: string;
  readonly businessId: string;
  readonly displayPhoneNumber: string;
  readonly verifiedName: string;
  readonly platformType: string;
  readonly status?: string;
  readonly nameStatus?: string;
  readonly qualityRating?: string;
  readonly health?: string;
  readonly throughput?: string;
  /** Deprecated per-number tier (fallback for the portfolio limit). */
  readonly legacyTier?: string;
  /** whatsapp_business_manager_messaging_limit as seen on the number (v24.0+). */
  readonly portfolioTier?: string;
  /** LIVE or SANDBOX (a sandbox number cannot reach real customers). */
  readonly accountMode?: string;
  readonly codeVerificationStatus?: string;
  /** Display name and business verification together (APPROVED, NAME_NOT_APPROVED, LIMITED_ACCESS…). */
  readonly unifiedCertStatus?: string;
  readonly officialBusinessAccount?: boolean;
  /** CLOUD_API or ON_PREMISE (the spec's name for what platform_type said). */
  readonly hostPlatform?: string;
}

/** How a WABA was found: through a portfolio's owned or client edge, or listed by id. */
export type Via = 'owned' | 'client' | 'waba';

/** Where a WABA's owner came from; `unresolved`: nowhere (business_id "unknown", counted). */
export type OwnerSource = 'owner_business_info' | 'on_behalf_of_business_info' | 'owned_listing' | 'unresolved';

/** business_id of a WABA whose owner cannot be resolved (never "", which reads as "no label"). */
export const UNKNOWN_OWNER = 'unknown';

export interface WabaRecord {
  readonly id: string;
  /** The owning portfolio (UNKNOWN_OWNER when `owner` is unresolved). */
  readonly businessId: string;
  /** Where the owner came from; absent in records built by hand (tests, bench): resolved. */
  readonly owner?: OwnerSource;
  /** The partner portfolio that lists it as a client WABA, when that is not its owner. */
  readonly sharedWithBusinessId?: string;
  readonly businessVerificationStatus?: string;
  readonly ownershipType?: string;
  /** The owning portfolio's name (owner_business_info.name); '' when Graph does not say. */
  readonly businessName?: string;
  readonly name: string;
  readonly currency: string;
  readonly timezoneId: string;
  readonly reviewStatus?: string;
  readonly portfolioTier?: string;
  /** Apps subscribed to its webhooks (subscribed_apps); undefined when Graph was not asked (field rejected). */
  readonly subscribedApps?: number;
  readonly phones: readonly PhoneRecord[];
}

export interface AccountsData {
  readonly wabas: readonly WabaRecord[];
  /**
   * Sharded mode only, on portfolio listings: every WABA the listing returned, owned by this shard
   * or not. `wabas` holds only this shard's WABAs (what it exports); the directory is identity
   * (webhook ownership and labels) and never exported. See docs/sharding-and-budget.md, "Sharding".
   */
  readonly directory?: readonly DirectoryEntry[];
  /** Sharded mode: the portfolio tier per business seen on all listed WABAs (the limit fallback). */
  readonly portfolioTiers?: Readonly<Record<string, string>>;
}

export interface DirectoryEntry {
  readonly wabaId: string;
  readonly businessId: string;
  readonly phones: ReadonlyArray<{ readonly id: string; readonly displayPhoneNumber: string }>;
}

export interface LimitData {
  readonly businessId: string;
  /** The portfolio tier; undefined when the field is not available (old API version). */
  readonly tier?: string;
}

export interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly status?: string;
  readonly category?: string;
  readonly quality?: string;
}

export interface TemplatesData {
  readonly wabaId: string;
  readonly businessId: string;
  readonly templates: readonly TemplateRecord[];
}

export interface TokenData {
  readonly credential: string;
  readonly valid: boolean;
  /** Unix seconds; +Inf for a token that never expires. Undefined when Meta does not say. */
  readonly expiresAt?: number;
}

export interface PricingPoint {
  readonly category: string;
  readonly type: string;
  readonly volume: number;
  /** Undefined when Meta hides cost (WABAs paid through a partner's credit line). */
  readonly cost?: number;
}

export interface PricingData {
  readonly wabaId: string;
  readonly businessId: string;
  readonly currency: string;
  readonly last24h: readonly PricingPoint[];
  readonly monthToDate: readonly PricingPoint[];
  /** Meta's answers had no pricing_analytics at all (logged once, not a failure). */
  readonly absent?: boolean;
}
