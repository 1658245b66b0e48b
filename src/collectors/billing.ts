import type { Config } from '../config/config.js';
import { toNumber } from '../billing/money.js';
import { counter, gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { bulkAccounts, bulkWallets } from '../billing/bulk.js';
import { BULK_SKIPS } from '../billing/data.js';
import { BALANCE as BALANCE_SOURCE, BULK_BALANCE, STATEMENT } from '../sources/keys.js';
import type { Collector } from './types.js';

export const BALANCE = gauge(metric('credit_balance'), "Prepaid messaging credit left, in the account's currency.", [
  'account',
  'currency',
]);
export const THRESHOLD = gauge(
  metric('credit_balance_alert_threshold'),
  'Configured low-balance thresholds (level = low, critical); the low-balance alert compares against it.',
  ['account', 'currency', 'level'],
);
export const ACCOUNT_INFO = gauge(
  metric('billing_account_info'),
  'Billing account links and owner for alerts and dashboards (value is always 1; empty label = not configured): customer is the config customer the account belongs to.',
  ['account', 'provider', 'currency', 'top_up_url', 'payment_link_url', 'rate_card_url', 'customer'],
);
export const TOPUPS = counter(metric('credit_topups_total'), 'Money added to the account (statement credit rows).', [
  'account',
  'currency',
]);
export const DEBITS = counter(metric('credit_debits_total'), 'Money spent (statement debit rows), by category.', [
  'account',
  'currency',
  'category',
]);
export const DECREASES = counter(
  metric('credit_balance_decreases_total'),
  'Every fall of the polled balance added up (money spent as the balance shows it); rises are not subtracted.',
  ['account', 'currency'],
);
export const INCREASES = counter(
  metric('credit_balance_increases_total'),
  'Every rise of the polled balance added up (top-ups, refunds, adjustments).',
  ['account', 'currency'],
);
export const BALANCE_AT = gauge(
  metric('credit_balance_timestamp_seconds'),
  'When the balance last moved; the spend rate from the balance is Δdecreases / Δthis.',
  ['account', 'currency'],
);
export const ACCOUNT_BUSINESS = gauge(
  metric('billing_account_business_info'),
  'The business portfolios a billing account pays for (config business_ids; value is always 1).',
  ['account', 'currency', 'business_id'],
);
export const ACCOUNT_WABA = gauge(
  metric('billing_account_waba_info'),
  'The WABAs a billing account pays for (config waba_ids; value is always 1).',
  ['account', 'currency', 'waba_id'],
);
export const BULK_ITEMS = gauge(
  metric('billing_bulk_items'),
  'Wallets of a bulk billing endpoint (http_json with items_path) by state: ok (exported as accounts), invalid (no valid name or balance), duplicate (a name already taken). Skipped items are logged.',
  ['account', 'state'],
);
export const LAST_DEBIT = gauge(
  metric('credit_statement_last_debit_timestamp_seconds'),
  "Time of the newest debit row seen: the statement's clock for the spend rate (top-ups do not move it).",
  ['account'],
);
export const LAST_ENTRY = gauge(
  metric('credit_statement_last_entry_timestamp_seconds'),
  'Time of the newest statement row seen.',
  ['account'],
);

/**
 * Balance, thresholds, links and statement counters per billing account. The currency of the
 * thresholds and links is the one the balance is reported in (else the configured one), so the
 * low-balance alert joins on (account, currency) without mixing currencies.
 */
export function billingCollector(config: () => Config): Collector {
  return {
    name: 'billing',
    sources: [BALANCE_SOURCE, BULK_BALANCE, STATEMENT, 'config'],
    collect(view, out) {
      const c = config();
      const owner = new Map<string, string>();
      const businessOwner = new Map<string, string>();
      for (const cu of c.customers) {
        for (const a of cu.accounts) owner.set(a, cu.name);
        for (const b of cu.businessIds) businessOwner.set(b, cu.name);
      }
      const fresh = view.fresh(BALANCE_SOURCE);
      const balances = new Map(fresh.map((b) => [b.data.account, b.data.reading]));
      const movements = new Map(fresh.map((b) => [b.data.account, b.data.movements]));
      const statements = new Map(view.fresh(STATEMENT).map((s) => [s.data.account, s.data.totals]));
      // A bulk endpoint's wallets are accounts like the configured ones; a wallet's customer is the
      // owner of the portfolio it names (customers cannot list wallets that appear at run time).
      const accounts = c.billing.accounts.filter((a) => !a.http?.bulk);
      for (const { group, items, skipped } of bulkWallets(c.billing.accounts, view.fresh(BULK_BALANCE))) {
        out.add(BULK_ITEMS, { account: group.name, state: 'ok' }, items.length);
        for (const state of BULK_SKIPS) out.add(BULK_ITEMS, { account: group.name, state }, skipped[state]);
        for (const i of items) {
          balances.set(i.account, i.reading);
          movements.set(i.account, i.movements);
          const customer = i.businessId === undefined ? undefined : businessOwner.get(i.businessId);
          if (customer) owner.set(i.account, customer);
        }
        accounts.push(...bulkAccounts(group, items));
      }
      for (const a of accounts) {
        const st = statements.get(a.name);
        const reading = balances.get(a.name) ?? (a.provider === 'statement' ? st?.lastBalance : undefined);
        const currency = reading?.currency ?? a.currency;
        if (reading) out.add(BALANCE, { account: a.name, currency: reading.currency }, toNumber(reading.micros));
        const m = movements.get(a.name);
        if (m) {
          const id = { account: a.name, currency: m.currency };
          out.add(DECREASES, id, toNumber(m.decreasesMicros));
          out.add(INCREASES, id, toNumber(m.increasesMicros));
          out.add(BALANCE_AT, id, m.at / 1000);
        }
        if (currency) {
          out.add(
            ACCOUNT_INFO,
            {
              account: a.name,
              provider: a.provider,
              currency,
              top_up_url: a.links.topUp,
              payment_link_url: a.links.payment,
              rate_card_url: a.links.rateCard,
              customer: owner.get(a.name) ?? '',
            },
            1,
          );
          for (const business_id of a.businessIds)
            out.add(ACCOUNT_BUSINESS, { account: a.name, currency, business_id }, 1);
          for (const waba_id of a.wabaIds) out.add(ACCOUNT_WABA, { account: a.name, currency, waba_id }, 1);
          for (const level of ['low', 'critical'] as const) {
            const v = a.thresholds[level];
            if (v !== undefined) out.add(THRESHOLD, { account: a.name, currency, level }, v);
          }
        }
        if (!st) continue;
        for (const [cur, micros] of st.topups) out.add(TOPUPS, { account: a.name, currency: cur }, toNumber(micros));
        for (const [k, micros] of st.debits) {
          const [cur, category] = k.split('\u0000') as [string, string];
          out.add(DEBITS, { account: a.name, currency: cur, category }, toNumber(micros));
        }
        if (st.lastEntryAt !== undefined) out.add(LAST_ENTRY, { account: a.name }, st.lastEntryAt / 1000);
        if (st.lastDebitAt !== undefined) out.add(LAST_DEBIT, { account: a.name }, st.lastDebitAt / 1000);
      }
    },
  };
}
