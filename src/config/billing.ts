import { readFileSync } from 'node:fs';
import type { BillingAccount, BillingSettings, HttpBalanceSettings } from './config.js';
import type { ConfigIssue } from './errors.js';
import type { RawConfig } from './schema.js';
import { Secret } from './secret.js';

type RawAccount = RawConfig['billing']['accounts'][number];

/**
 * Documented wallet APIs as presets of the generic JSON provider (shapes in the README's billing
 * section). `base_url` overrides the vendor host, for a proxy or a test server.
 */
const PRESETS: Record<string, (a: RawAccount, key: Secret, p: string, issues: ConfigIssue[]) => Omit<HttpBalanceSettings, 'method' | 'timeoutMs'> | undefined> = {
  // https://www.twilio.com/docs/usage/api/account#balance: Basic AccountSid:AuthToken, {"balance":"12.29","currency":"USD"}
  twilio: (a, key, p, issues) => {
    if (!a.account_sid) return void issues.push({ path: `${p}.account_sid`, message: 'twilio needs account_sid (the main account: subaccounts carry no balance)' });
    const basic = Buffer.from(`${a.account_sid}:${key.reveal()}`).toString('base64');
    return { url: `${a.base_url ?? 'https://api.twilio.com'}/2010-04-01/Accounts/${a.account_sid}/Balance.json`, headers: { authorization: new Secret(`Basic ${basic}`) }, balancePath: 'balance', currencyPath: 'currency' };
  },
  // Gupshup partner app wallet: raw token in Authorization, {"walletResponse":{"currency":"USD","currentBalance":150.5}}
  gupshup_partner: (a, key, p, issues) => {
    if (!a.app_id) return void issues.push({ path: `${p}.app_id`, message: 'gupshup_partner needs app_id' });
    return { url: `${a.base_url ?? 'https://partner.gupshup.io'}/partner/app/${a.app_id}/wallet/balance`, headers: { authorization: key }, balancePath: 'walletResponse.currentBalance', currencyPath: 'walletResponse.currency' };
  },
  // Telnyx: Bearer key, {"data":{"balance":"300.00","currency":"USD"}}
  telnyx: (a, key) => ({ url: `${a.base_url ?? 'https://api.telnyx.com'}/v2/balance`, headers: { authorization: new Secret(`Bearer ${key.reveal()}`) }, balancePath: 'data.balance', currencyPath: 'data.currency' }),
  // YCloud: X-API-Key, {"amount":190.0765,"currency":"USD"}
  ycloud: (a, key) => ({ url: `${a.base_url ?? 'https://api.ycloud.com'}/v2/balance`, headers: { 'x-api-key': key }, balancePath: 'amount', currencyPath: 'currency' }),
  // Infobip: per-account host, "App <key>", {"balance":47.79,"currency":"EUR"}
  infobip: (a, key, p, issues) => {
    if (!a.base_url) return void issues.push({ path: `${p}.base_url`, message: 'infobip needs base_url (your account host, e.g. https://xxxxx.api.infobip.com)' });
    return { url: `${a.base_url}/account/1/balance`, headers: { authorization: new Secret(`App ${key.reveal()}`) }, balancePath: 'balance', currencyPath: 'currency' };
  },
};

export function buildBilling(c: RawConfig, issues: ConfigIssue[], secret: SecretResolver, stalenessIntervals: number): BillingSettings {
  const seen = new Set<string>();
  const accounts: BillingAccount[] = [];
  c.billing.accounts.forEach((a, i) => {
    const p = `billing.accounts[${i}]`;
    if (seen.has(a.name)) issues.push({ path: `${p}.name`, message: `duplicate billing account name "${a.name}"` });
    seen.add(a.name);
    const { low, critical } = a.thresholds;
    if (low !== undefined && critical !== undefined && critical > low) issues.push({ path: `${p}.thresholds.critical`, message: 'critical must not be above low' });
    const http = balanceHttp(a, p, issues, secret);
    if (a.provider === 'statement' && !a.statement) issues.push({ path: `${p}.statement`, message: 'provider statement needs a statement section (file or url)' });
    if (a.statement && !a.statement.file === !a.statement.url) issues.push({ path: `${p}.statement`, message: 'set exactly one of statement.file or statement.url' });
    if (http && !http.currencyPath && !a.currency) issues.push({ path: `${p}.currency`, message: 'this provider reports no currency: set currency (ISO 4217)' });
    const st = a.statement;
    accounts.push({
      name: a.name,
      provider: a.provider,
      intervalMs: a.interval,
      maxStalenessMs: a.max_staleness ?? a.interval * stalenessIntervals,
      currency: a.currency,
      thresholds: { low, critical },
      links: { topUp: a.top_up_url ?? '', payment: a.payment_link_url ?? '', rateCard: a.rate_card_url ?? '' },
      http,
      statement: st && {
        file: st.file,
        url: st.url,
        headers: secretHeaders(st.headers),
        format: st.format ?? (st.file?.toLowerCase().endsWith('.csv') ? 'csv' : 'json'),
        intervalMs: st.interval,
        maxStalenessMs: st.max_staleness ?? st.interval * stalenessIntervals,
        timeoutMs: a.timeout,
      },
    });
  });
  const mp = c.billing.meta_pricing;
  return {
    accounts,
    rateCardFile: c.billing.rate_card?.file,
    metaPricing: { enabled: mp.enabled, intervalMs: mp.interval, maxStalenessMs: mp.max_staleness ?? mp.interval * stalenessIntervals },
  };
}

export type SecretResolver = (value: string | undefined, file: string | undefined, path: string, issues: ConfigIssue[], required: boolean) => Secret | undefined;

function balanceHttp(a: RawAccount, p: string, issues: ConfigIssue[], secret: SecretResolver): HttpBalanceSettings | undefined {
  if (a.provider === 'statement') return undefined;
  const common = { method: a.method, timeoutMs: a.timeout, successPath: a.success_path, successValue: a.success_value };
  if (a.provider === 'http_json') {
    if (!a.url) issues.push({ path: `${p}.url`, message: 'http_json needs url' });
    if (!a.balance_path) issues.push({ path: `${p}.balance_path`, message: 'http_json needs balance_path (e.g. data.balance)' });
    const headers = { ...secretHeaders(a.headers), ...fileHeaders(a.headers_file, `${p}.headers_file`, issues) };
    if (a.basic_auth) {
      const pw = secret(a.basic_auth.password, a.basic_auth.password_file, `${p}.basic_auth.password`, issues, true);
      if (pw) headers.authorization = new Secret(`Basic ${Buffer.from(`${a.basic_auth.username}:${pw.reveal()}`).toString('base64')}`);
    }
    if (!a.url || !a.balance_path) return undefined;
    return { ...common, url: a.url, headers, balancePath: a.balance_path, currencyPath: a.currency_path };
  }
  const key = secret(a.api_key, a.api_key_file, `${p}.api_key`, issues, true);
  const preset = key && PRESETS[a.provider]?.(a, key, p, issues);
  return preset ? { ...common, ...preset, ...(a.balance_path ? { balancePath: a.balance_path } : {}) } : undefined;
}

function secretHeaders(h: Record<string, string> | undefined): Record<string, Secret> {
  const out: Record<string, Secret> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = new Secret(v);
  return out;
}

/** "Name: value" lines, like curl's -H @file: keeps API keys out of the config file. */
function fileHeaders(file: string | undefined, path: string, issues: ConfigIssue[]): Record<string, Secret> {
  if (!file) return {};
  try {
    const out: Record<string, Secret> = {};
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const i = line.indexOf(':');
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      if (i <= 0) {
        issues.push({ path, message: 'each line must be "Header-Name: value"' });
        return {};
      }
      out[line.slice(0, i).trim().toLowerCase()] = new Secret(line.slice(i + 1).trim());
    }
    return out;
  } catch (err) {
    issues.push({ path, message: `cannot read headers file: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
    return {};
  }
}
