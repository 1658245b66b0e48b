import type { AggregateBy } from '../metrics/family.js';
import type { BillingAccount } from '../billing/account.js';
import type { RawConfig } from './schema.js';
import type { Secret } from './secret.js';

// Billing's own types live with billing; re-exported because every component reads them off Config.
export type { BillingAccount, BillingProvider } from '../billing/account.js';
export type { CreditLineSettings, HttpBalanceSettings, StatementSettings } from '../billing/settings.js';

export interface Credential {
  readonly name: string;
  readonly accessToken: Secret;
  /** Token used to call debug_token; falls back to accessToken. */
  readonly appToken?: Secret;
}

export type WebAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: Secret }
  | { readonly kind: 'bearer'; readonly token: Secret };

/**
 * Keys of the config file's `sources:` section (one setting per Graph source; billing sources are
 * configured per account, graph_pricing under billing.meta_pricing). Each source reads its own
 * section in its `settings()`; these are config keys, not source identities (sources/keys.ts).
 */
export type GraphSourceName = keyof RawConfig['sources'];

export type StateSetMode = 'active' | 'full';

export interface SourceSettings {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly maxStalenessMs: number;
}

/** The validated, frozen configuration every component receives. Secrets are Secret objects. */
export interface Config {
  /** 'sandbox' when no Meta credential is configured: the exporter then polls its built-in simulator. */
  readonly mode: 'meta' | 'sandbox';
  readonly graph: Readonly<RawConfig['graph']>;
  readonly credentials: readonly Credential[];
  readonly businesses: RawConfig['businesses'];
  readonly wabas: RawConfig['wabas'];
  readonly sources: Readonly<Record<GraphSourceName, SourceSettings>>;
  readonly templates: { readonly perTemplateSeries: boolean };
  /** `active`: state sets export their current state only; `full`: every known state, 0 or 1. */
  readonly metrics: {
    readonly stateSets: StateSetMode;
    /** The finest identity of message, money and template counts (summed by the exporter). */
    readonly aggregateBy: AggregateBy;
    /** Family-name patterns (anchored): allow (empty = all), deny (wins), opt_in (opt-in families). */
    readonly allow: readonly string[];
    readonly deny: readonly string[];
    readonly optIn: readonly string[];
  };
  readonly poller: Readonly<RawConfig['poller']>;
  readonly web: {
    readonly listenAddress: string;
    readonly telemetryPath: string;
    /** Negotiate OpenMetrics when the scraper asks for it (else always the text format). */
    readonly enableOpenMetrics: boolean;
    /** Slow clients: headers within headerTimeoutMs, the whole request within requestTimeoutMs. */
    readonly headerTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly maxConnections: number;
    readonly auth: WebAuth;
  };
  readonly storage: Readonly<RawConfig['storage']>;
  readonly webhooks: WebhookSettings;
  readonly billing: BillingSettings;
  /** A BSP's customers and where their alerts go (empty: every alert is the operator's). */
  readonly customers: readonly Customer[];
  readonly log: Readonly<RawConfig['log']>;
  readonly sandbox: Readonly<RawConfig['sandbox']>;
  /** This replica's shard (1-based); {1, 1} unsharded. See docs/sharding-and-budget.md, "Sharding". */
  readonly shard: { readonly index: number; readonly count: number };
}

export interface WebhookSettings {
  readonly enabled: boolean;
  readonly path: string;
  /** Every accepted app secret (several while rotating); empty = signatures cannot be verified, POSTs get 401. */
  readonly appSecrets: readonly Secret[];
  readonly verifyToken?: Secret;
  readonly maxBodyBytes: number;
  readonly dedupeRetentionMs: number;
  readonly marketingFrequencyCap?: { readonly messages: number; readonly windowMs: number };
}

export interface Customer {
  readonly name: string;
  readonly businessIds: readonly string[];
  readonly accounts: readonly string[];
  readonly email: readonly string[];
  readonly webhookUrl?: Secret;
}

export interface BillingSettings {
  readonly accounts: readonly BillingAccount[];
  /** Bytes of one provider answer read at most (billing.max_response_size). */
  readonly maxResponseBytes: number;
  readonly rateCardFile?: string;
  readonly metaPricing: SourceSettings;
}
