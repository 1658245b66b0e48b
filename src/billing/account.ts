import type { ProviderName } from './providers/index.js';
import type { CreditLineSettings, HttpBalanceSettings, StatementSettings } from './settings.js';

/** Every provider with an implementation in src/billing/providers, and no other. */
export type BillingProvider = ProviderName;

/** One billing account as the billing sources, collectors and the overview page see it. */
export interface BillingAccount {
  readonly name: string;
  readonly provider: BillingProvider;
  readonly intervalMs: number;
  readonly maxStalenessMs: number;
  readonly currency?: string;
  readonly thresholds: { readonly low?: number; readonly critical?: number };
  readonly links: { readonly topUp: string; readonly payment: string; readonly rateCard: string };
  /** The business portfolios the account pays for (config `business_ids`; may be empty). */
  readonly businessIds: readonly string[];
  /** The WABAs the account pays for (config `waba_ids`; may be empty). */
  readonly wabaIds: readonly string[];
  /** Polled by the `billing` source; set for every provider with a balance API. */
  readonly http?: HttpBalanceSettings;
  /** Polled by the `billing` source through the Graph client; set for `meta_credit_line`. */
  readonly creditLine?: CreditLineSettings;
  /** Polled by the `billing_statement` source; required for the `statement` provider. */
  readonly statement?: StatementSettings;
}
