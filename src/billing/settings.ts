import type { Secret } from '../config/secret.js';
import type { SourceSettings } from '../config/config.js';
import type { ProviderName } from './providers/index.js';

/**
 * The plain settings the billing sources run on, after config validation: provider options are
 * gone, a balance API is a URL with headers and JSON paths, secrets are Secret objects.
 */

/** Every provider with an implementation in src/billing/providers, and no other. */
export type BillingProvider = ProviderName;

/** A wallet/balance endpoint, after a provider's options were turned into plain HTTP settings. */
export interface HttpBalanceSettings {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, Secret>>;
  readonly balancePath: string;
  readonly currencyPath?: string;
  readonly successPath?: string;
  readonly successValue?: string | number | boolean;
  readonly timeoutMs: number;
}

export interface StatementSettings {
  readonly file?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, Secret>>;
  readonly format: 'csv' | 'json';
  readonly intervalMs: number;
  readonly maxStalenessMs: number;
  readonly timeoutMs: number;
}

export interface BillingAccount {
  readonly name: string;
  readonly provider: BillingProvider;
  readonly intervalMs: number;
  readonly maxStalenessMs: number;
  readonly currency?: string;
  readonly thresholds: { readonly low?: number; readonly critical?: number };
  readonly links: { readonly topUp: string; readonly payment: string; readonly rateCard: string };
  /** Polled by the `billing` source; set for every provider with a balance API. */
  readonly http?: HttpBalanceSettings;
  /** Polled by the `billing_statement` source; required for the `statement` provider. */
  readonly statement?: StatementSettings;
}

export interface BillingSettings {
  readonly accounts: readonly BillingAccount[];
  readonly rateCardFile?: string;
  readonly metaPricing: SourceSettings;
}
