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
}

export interface WabaRecord {
  readonly id: string;
  readonly businessId: string;
  /** The owning portfolio's name (owner_business_info.name); '' when Graph does not say. */
  readonly businessName?: string;
  readonly name: string;
  readonly currency: string;
  readonly timezoneId: string;
  readonly reviewStatus?: string;
  readonly portfolioTier?: string;
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
}
