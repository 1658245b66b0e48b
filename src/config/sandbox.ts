import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE_CARD } from '../billing/rate-card.js';
import type { BillingAccount, Config, GraphSourceName } from './config.js';
import { SANDBOX_INTERVALS, SANDBOX_TOKEN } from './defaults.js';
import { parseDuration } from './duration.js';
import { Secret } from './secret.js';

/**
 * The configuration the exporter runs with in sandbox mode: the given config pointed at the
 * in-process simulator, with one credential, its businesses, and short demo intervals (unless
 * the user set intervals in the file, which win).
 */
export function sandboxConfig(
  base: Config,
  sandboxUrl: string,
  businessIds: string[],
  userSetIntervals: boolean,
): Config {
  const sources = { ...base.sources };
  if (!userSetIntervals) {
    for (const name of Object.keys(SANDBOX_INTERVALS) as GraphSourceName[]) {
      const intervalMs = parseDuration(SANDBOX_INTERVALS[name as keyof typeof SANDBOX_INTERVALS]) as number;
      sources[name] = { ...sources[name], intervalMs, maxStalenessMs: intervalMs * base.poller.staleness_intervals };
    }
  }
  return Object.freeze({
    ...base,
    // The simulator signs its webhooks with the configured secret, or one made up for this run.
    webhooks: Object.freeze({
      ...base.webhooks,
      appSecrets: base.webhooks.appSecrets.length > 0 ? base.webhooks.appSecrets : [SANDBOX_APP_SECRET],
      // The settings page's marketing frequency capping, on in the demo: 4 marketing messages per 7 days.
      marketingFrequencyCap: base.webhooks.marketingFrequencyCap ?? { messages: 4, windowMs: 7 * 86_400_000 },
    }),
    billing: Object.freeze({
      ...base.billing,
      accounts: base.billing.accounts.length > 0 ? base.billing.accounts : sandboxAccounts(sandboxUrl, businessIds),
      rateCardFile: base.billing.rateCardFile ?? fileURLToPath(SAMPLE_RATE_CARD),
      metaPricing: userSetIntervals
        ? base.billing.metaPricing
        : { ...base.billing.metaPricing, intervalMs: 60_000, maxStalenessMs: 300_000 },
    }),
    graph: Object.freeze({ ...base.graph, url: sandboxUrl }),
    credentials: Object.freeze([Object.freeze({ name: 'default', accessToken: new Secret(SANDBOX_TOKEN) })]),
    businesses: Object.freeze(
      businessIds.map((id) =>
        Object.freeze({ id, credential: 'default', discover: ['owned', 'client'] as ('owned' | 'client')[] }),
      ),
    ),
    wabas: Object.freeze([]),
    sources: Object.freeze(sources),
  }) as unknown as Config;
}

const SANDBOX_APP_SECRET = new Secret(randomBytes(24).toString('hex'));

/** The demo wallet's thresholds; the sandbox's demo timeline crosses both once per cycle. */
export const SANDBOX_WALLET_THRESHOLDS = Object.freeze({ low: 100, critical: 25 });

/** The demo credit line's thresholds: its headroom (8,479.65 USD, src/sandbox/credit-lines.ts) is far above both. */
export const SANDBOX_CREDIT_LINE_THRESHOLDS = Object.freeze({ low: 2_000, critical: 500 });

/** The demo's billing accounts: the wallet, and the Meta credit line of the first business (when there is one). */
function sandboxAccounts(url: string, businessIds: readonly string[]): BillingAccount[] {
  const [first] = businessIds;
  return [sandboxWallet(url, businessIds), ...(first === undefined ? [] : [sandboxCreditLine(first)])];
}

/**
 * The first business's credit line, read through the Graph API like a real one. It pays for the
 * sandbox's client businesses, not for the simulated portfolios, so it has no `businessIds`.
 */
function sandboxCreditLine(businessId: string): BillingAccount {
  return {
    businessIds: [],
    wabaIds: [],
    name: 'sandbox-credit-line',
    provider: 'meta_credit_line',
    intervalMs: 15_000,
    maxStalenessMs: 75_000,
    thresholds: { ...SANDBOX_CREDIT_LINE_THRESHOLDS },
    // Meta invoices a credit line monthly: there is nothing to top up.
    links: { topUp: '', payment: '', rateCard: '' },
    creditLine: { businessId, credential: 'default' },
  };
}

/** The demo's billing account: the sandbox wallet, with thresholds and links, and its statement. */
function sandboxWallet(url: string, businessIds: readonly string[]): BillingAccount {
  return {
    // The sandbox wallet pays for every simulated portfolio.
    businessIds: [...businessIds],
    wabaIds: [],
    name: 'sandbox-wallet',
    provider: 'http_json',
    intervalMs: 15_000,
    maxStalenessMs: 75_000,
    currency: 'USD',
    thresholds: { ...SANDBOX_WALLET_THRESHOLDS },
    links: {
      topUp: 'https://example.com/billing/top-up',
      payment: 'https://example.com/pay/sandbox-wallet',
      rateCard: 'https://example.com/billing/rate-card',
    },
    http: {
      url: `${url}/wallet/v1/balance`,
      method: 'GET',
      headers: {},
      balancePath: 'balance',
      currencyPath: 'currency',
      timeoutMs: 5_000,
    },
    statement: {
      url: `${url}/wallet/v1/statement`,
      headers: {},
      format: 'json',
      intervalMs: 30_000,
      maxStalenessMs: 150_000,
      timeoutMs: 5_000,
    },
  };
}
