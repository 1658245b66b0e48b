import type { RateCard } from '../../billing/rate-card.js';
import type { Config } from '../../config/config.js';
import type { SnapshotStore } from '../../poller/store.js';
import type { Severity, SpendBasis } from '../../policy/index.js';
import type { Clock } from '../../util/clock.js';

export interface OverviewDeps {
  store: SnapshotStore;
  clock: Clock;
  config: () => Config;
  rateCard: () => RateCard | undefined;
  /** Distinct recipients of business-initiated messages in the rolling 24 h per business id, from the webhook module (may be absent). */
  uniqueRecipients24h?: () => ReadonlyMap<string, number> | undefined;
  /** The same per number (phone_number_id → recipients); undefined without a webhook feed. */
  uniqueRecipients24hByPhone?: () => ReadonlyMap<string, number> | undefined;
  /** The marketing frequency cap and who is at it (webhooks); undefined when no cap is configured or no feed. */
  frequencyCap?: () => FrequencyCapInput | undefined;
  /**
   * Error 131049 (per-user marketing limit) per business id, cumulative since the webhook state
   * began (counters in memory, no query): sampled for "in the last 24 h". Undefined without a cap or feed.
   */
  capRejections?: () => ReadonlyMap<string, number> | undefined;
  /** Estimated cost so far per business id and currency (webhooks × rate card), for the runway's last basis. */
  estimatedCost?: () => ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The last config reload's outcome (undefined before the first reload). */
  lastReload?: () => { readonly ok: boolean; readonly at: number } | undefined;
  /** Whether a webhook feed is configured (a WABA without a subscribed app is then a problem). */
  webhooksConfigured?: () => boolean;
  version: string;
}

/**
 * The view model of the overview page, which is also the JSON of GET /api/v1/overview: only
 * JSON-safe values (no bigint, no Infinity: "unlimited" and "never expires" are flags), money as
 * a number plus its currency, timestamps as ISO 8601 strings, ages in seconds.
 */
/** What the webhook module knows about the marketing frequency cap (Meta's error 131049 is the per-user limit). */
export interface FrequencyCapInput {
  readonly messages: number;
  readonly windowMs: number;
  /** Recipients who got `messages` marketing messages within the window, per business id. */
  readonly atCap: ReadonlyMap<string, number>;
}

export interface Overview {
  readonly generatedAt: string;
  readonly version: string;
  readonly mode: 'meta' | 'sandbox';
  /** Relative links (the page may sit behind a path prefix). */
  readonly links: { readonly metrics: string; readonly api: string };
  /** Worst first. */
  readonly problems: readonly Problem[];
  readonly businesses: readonly BusinessView[];
  readonly billing: readonly BillingAccountView[];
  readonly rateCard: RateCardView | null;
  readonly tokens: readonly TokenView[];
  readonly sources: readonly SourceFreshness[];
  /** The configured marketing frequency cap; null when none is configured. */
  readonly frequencyCap: { readonly messages: number; readonly windowSeconds: number } | null;
}

/** The alert severities of src/policy: a problem has the severity of the alert it mirrors. */
export type { Severity };

export interface Problem {
  readonly severity: Severity;
  readonly kind: 'phone' | 'waba' | 'limit' | 'balance' | 'runway' | 'template' | 'token' | 'source' | 'exporter';
  /** One sentence in plain words. */
  readonly text: string;
  /**
   * What it is about and how bad, `kind/.../severity` (a number's id and aspect, an account, a
   * source/target): stable while it lasts; a change of severity is a new problem.
   */
  readonly id: string;
  /** The business portfolio it concerns, when it concerns one. */
  readonly business_id: string | null;
  /**
   * How many customers it touches, for ordering within a severity: a number's or portfolio's
   * unique recipients in 24 h (webhooks), an account's numbers; null when unknown.
   */
  readonly impact: number | null;
  /** The page about the thing (relative link), when it has one. */
  readonly href: string | null;
}

export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** How old the data behind a section is. */
export interface DataAge {
  readonly source: string;
  readonly target: string;
  readonly lastSuccess: string | null;
  readonly ageSeconds: number | null;
  /** Older than STALE_INTERVALS × the source's interval (still shown, marked). */
  readonly stale: boolean;
}

export interface BusinessView {
  readonly id: string;
  /** The portfolio's name as Graph reports it (owner_business_info); '' when unknown. */
  readonly name: string;
  readonly limit: LimitView;
  /** The marketing frequency cap's effect here; null when no cap is configured or no webhook feed. */
  readonly frequencyCap: FrequencyCapView | null;
  readonly wabas: readonly WabaView[];
}

export interface LimitView {
  /** e.g. TIER_10K; null while unknown. */
  readonly tier: string | null;
  /** Unique recipients per rolling 24 h; null when unlimited or unknown. */
  readonly limit: number | null;
  readonly unlimited: boolean;
  /** Distinct recipients in the last 24 h (webhooks); null = unknown. */
  readonly usage: number | null;
  readonly usageRatio: number | null;
}

export interface FrequencyCapView {
  /** Recipients who got the cap's number of marketing messages within its window. */
  readonly recipientsAtCap: number;
  /** Error 131049 rejections in the last 24 h, counted since `since` when the exporter has seen less than 24 h. */
  readonly rejections24h: number | null;
  readonly since: string | null;
}

export interface WabaView {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly reviewStatus: string | null;
  /** Apps subscribed to its webhooks; null when Graph did not say. */
  readonly subscribedApps: number | null;
  readonly phones: readonly PhoneView[];
  readonly templates: TemplatesView | null;
  /** Meta's own approximate cost of the last 24 h (pricing_analytics), when reported. */
  readonly metaCost24h: (Money & { readonly billedMessages: number }) | null;
  readonly freshness: DataAge;
}

export interface PhoneView {
  readonly id: string;
  readonly displayNumber: string;
  readonly verifiedName: string;
  /** GREEN, YELLOW, RED, UNKNOWN (or a new value Meta added, passed through). */
  readonly quality: string;
  readonly status: string | null;
  readonly health: string | null;
  readonly throughput: string | null;
  readonly nameStatus: string | null;
  /** LIVE or SANDBOX, and the spec's certification, verification and platform facts (docs/graph-fields.md). */
  readonly accountMode?: string | null;
  readonly unifiedCertStatus?: string | null;
  readonly codeVerificationStatus?: string | null;
  readonly hostPlatform?: string | null;
  readonly officialBusinessAccount?: boolean | null;
  /** Distinct recipients in the last 24 h (webhooks); null = unknown. */
  readonly recipients24h: number | null;
}

export interface TemplatesView {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Templates that need a look: paused, disabled, rejected, flagged, or RED quality. */
  readonly attention: readonly TemplateView[];
  readonly freshness: DataAge;
}

export interface TemplateView {
  readonly name: string;
  readonly language: string;
  readonly category: string | null;
  readonly status: string | null;
  readonly quality: string | null;
}

export type BalanceLevel = 'ok' | 'low' | 'critical' | 'empty' | 'unknown';

export interface BillingAccountView {
  readonly name: string;
  readonly provider: string;
  readonly balance: Money | null;
  readonly thresholds: { readonly low: number | null; readonly critical: number | null };
  readonly level: BalanceLevel;
  /** The severity the balance alerts have for this balance (src/policy); null = none fires. */
  readonly severity: Severity | null;
  /** Only http(s) links are kept; null = not configured. */
  readonly links: { readonly topUp: string | null; readonly payment: string | null; readonly rateCard: string | null };
  readonly runway: RunwayView;
  /** The business portfolios this account pays for (its `business_ids`). */
  readonly businessIds: readonly string[];
  /** The WABAs it pays for (its `waba_ids`). */
  readonly wabaIds: readonly string[];
  readonly statement: StatementView | null;
  readonly freshness: DataAge | null;
  /** A Meta credit line (provider meta_credit_line), whose headroom is `balance`; null for other providers or no data. */
  readonly creditLine: CreditLineView | null;
}

export interface CreditLineView {
  readonly id: string;
  /** The line's limit (max_balance); null = Meta did not say. */
  readonly maxBalance: Money | null;
  /** Shared with client businesses (allocated_amount); null = Meta did not say. */
  readonly allocated: Money | null;
  /** is_access_revoked; null = Meta did not say. WhatsAppCreditLineRevoked fires on true. */
  readonly accessRevoked: boolean | null;
  /** Active shares with client businesses (up to the exporter's bound). */
  readonly shares: number;
  /** More shares exist than the bound. */
  readonly sharesCut: boolean;
}

export interface RunwayView {
  /** Days until the balance reaches zero at the recent spend rate; null = unknown or no spend. */
  readonly days: number | null;
  readonly spendPerDay: Money | null;
  /** Start of the window the rate was measured over. */
  readonly since: string | null;
  /** Where the spend rate comes from (src/policy SPEND_BASES); null = unknown. */
  readonly basis: SpendBasis | null;
  /** Why the runway is what it is, in plain words. */
  readonly note: string;
}

/**
 * Cumulative totals from the on-disk statement ledger. The ledger keeps totals, not rows (each
 * row id is counted once), so the page shows per-category debits and top-ups since the ledger
 * began, plus the newest row's time and the balance it reported.
 */
export interface StatementView {
  readonly topups: readonly Money[];
  readonly debits: ReadonlyArray<Money & { readonly category: string }>;
  readonly lastEntryAt: string | null;
  readonly lastBalance: Money | null;
  readonly freshness: DataAge;
}

export interface RateCardView {
  readonly categories: readonly string[];
  readonly rows: ReadonlyArray<{
    readonly market: string;
    readonly currency: string;
    readonly prices: Readonly<Record<string, number | null>>;
  }>;
}

export interface TokenView {
  readonly credential: string;
  readonly valid: boolean;
  readonly expiresAt: string | null;
  readonly neverExpires: boolean;
  readonly expiresInDays: number | null;
}

export type SourceState = 'ok' | 'pending' | 'failing' | 'throttled' | 'stale' | 'dropped';

export interface SourceFreshness {
  readonly source: string;
  readonly target: string;
  /** The worst that applies: dropped > stale > throttled > failing > pending > ok. */
  readonly state: SourceState;
  readonly up: boolean | null;
  readonly lastSuccess: string | null;
  readonly lastAttempt: string | null;
  readonly ageSeconds: number | null;
  readonly intervalSeconds: number;
  readonly maxStalenessSeconds: number;
  readonly error: { readonly reason: string; readonly code: number | null } | null;
  readonly pausedUntil: string | null;
}
