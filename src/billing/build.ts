import type { ConfigIssue } from '../config/errors.js';
import type { RawConfig } from '../config/schema.js';
import type { Secret } from '../config/secret.js';
import { secretHeaders } from './providers/headers.js';
import {
  balanceRequest,
  creditLineSettings,
  type BillingAccountOptions,
  type BuildContext,
} from './providers/index.js';
import type { BillingSettings } from '../config/config.js';
import type { BillingAccount } from './account.js';
import type { HttpBalanceSettings, StatementSettings } from './settings.js';

/** load.ts's inline-or-file secret resolution; `path` names the inline key, e.g. billing.accounts[0].api_key. */
export type SecretResolver = (
  value: string | undefined,
  file: string | undefined,
  path: string,
  issues: ConfigIssue[],
  required: boolean,
) => Secret | undefined;

/**
 * Validated billing options → the settings the billing sources run on. What every account shares
 * is checked here (unique names, threshold order); each provider turns its own options into a
 * balance request (src/billing/providers).
 */
export function buildBilling(
  c: RawConfig['billing'],
  issues: ConfigIssue[],
  secret: SecretResolver,
  stalenessIntervals: number,
  /** Names of the Graph credentials a credit-line account may use. */
  credentials: ReadonlySet<string>,
): BillingSettings {
  const seen = new Set<string>();
  const accounts = c.accounts.map((a, i): BillingAccount => {
    const path = `billing.accounts[${i}]`;
    if (seen.has(a.name)) issues.push({ path: `${path}.name`, message: `duplicate billing account name "${a.name}"` });
    seen.add(a.name);
    const { low, critical } = a.thresholds;
    if (low !== undefined && critical !== undefined && critical > low) {
      issues.push({ path: `${path}.thresholds.critical`, message: 'critical must not be above low' });
    }
    const ctx: BuildContext = {
      path,
      issues,
      secret: (key, value, file) => secret(value, file, `${path}.${key}`, issues, true),
      credential: (key, credential) => {
        if (credentials.has(credential)) return true;
        issues.push({ path: `${path}.${key}`, message: `no credential named "${credential}"` });
        return false;
      },
    };
    return {
      name: a.name,
      provider: a.provider,
      intervalMs: a.interval,
      maxStalenessMs: a.max_staleness ?? a.interval * stalenessIntervals,
      currency: a.currency,
      thresholds: { low, critical },
      links: { topUp: a.top_up_url ?? '', payment: a.payment_link_url ?? '', rateCard: a.rate_card_url ?? '' },
      businessIds: [...new Set(a.business_ids)],
      wabaIds: [...new Set(a.waba_ids)],
      http: balance(a, ctx),
      creditLine: creditLineSettings(a, ctx),
      statement: a.statement && statementSettings(a.statement, a.timeout, stalenessIntervals),
    };
  });
  const mp = c.meta_pricing;
  return {
    accounts,
    maxResponseBytes: c.max_response_size,
    rateCardFile: c.rate_card?.file,
    metaPricing: {
      enabled: mp.enabled,
      intervalMs: mp.interval,
      maxStalenessMs: mp.max_staleness ?? mp.interval * stalenessIntervals,
    },
  };
}

function balance(a: BillingAccountOptions, ctx: BuildContext): HttpBalanceSettings | undefined {
  const request = balanceRequest(a, ctx);
  return request && { ...request, timeoutMs: a.timeout };
}

type StatementOptions = NonNullable<BillingAccountOptions['statement']>;

function statementSettings(st: StatementOptions, timeoutMs: number, stalenessIntervals: number): StatementSettings {
  return {
    file: st.file,
    url: st.url,
    headers: secretHeaders(st.headers),
    // A file's extension says its format; a URL's answer is assumed JSON unless configured.
    format: st.format ?? (st.file?.toLowerCase().endsWith('.csv') ? 'csv' : 'json'),
    intervalMs: st.interval,
    maxStalenessMs: st.max_staleness ?? st.interval * stalenessIntervals,
    timeoutMs,
  };
}
