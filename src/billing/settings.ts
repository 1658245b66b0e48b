import type { Secret } from '../config/secret.js';

/**
 * The plain settings the billing sources run on, after config validation: provider options are
 * gone, a balance API is a URL with headers and JSON paths, secrets are Secret objects. A leaf
 * module: providers produce these, so it imports none of them.
 */

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
  /**
   * One answer listing many wallets (a BSP's own billing system): the accounts are the items at
   * `itemsPath`, each named by `namePath`; balancePath and currencyPath are then per item.
   */
  readonly bulk?: BulkSettings;
}

export interface BulkSettings {
  readonly itemsPath: string;
  readonly namePath: string;
  readonly businessIdPath?: string;
  /** More items than this fails the refresh with a clear error (nothing is silently cut). */
  readonly maxItems: number;
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

/**
 * A Meta credit line, read through the Graph client (provider `meta_credit_line`): the business
 * that owns it, optionally which of its lines, and the Graph credential the calls use.
 */
export interface CreditLineSettings {
  /** The business portfolio whose `extendedcredits` edge lists the line. */
  readonly businessId: string;
  /** The line to read; without it, the business's only line (several lines: a failure asking for it). */
  readonly creditLineId?: string;
  /** Name of the configured Graph credential (`credentials[].name`). */
  readonly credential: string;
}
