import type { Config } from '../config/config.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { ACCOUNTS } from '../sources/keys.js';
import type { Collector } from './types.js';

/**
 * The portfolios each customer owns (config `customers[].business_ids`). The customer-facing alert
 * rules join `customer` from here onto portfolio alerts (quality, messaging limit, templates);
 * billing alerts take it from whatsapp_billing_account_info. Never a label on every series.
 */
export const CUSTOMER_BUSINESS = gauge(
  metric('customer_business_info'),
  'The business portfolios of each configured customer (value is always 1): joined onto its alerts for routing.',
  ['customer', 'business_id'],
);

/** References in the config that the snapshot cannot resolve (yet), by what refers to what. */
export const UNRESOLVED = gauge(
  metric('exporter_unresolved_references'),
  'Ids the config names that the snapshot does not know: a customer portfolio (kind=customer_business) or a portfolio or WABA a billing account pays for (kind=account_business, account_waba); and WABAs whose owning portfolio Graph does not say (kind=waba_owner, exported with business_id="unknown").',
  ['kind'],
);

export function customersCollector(config: () => Config): Collector {
  return {
    name: 'customers',
    sources: [ACCOUNTS, 'config'],
    collect(view, out) {
      const c = config();
      for (const cu of c.customers)
        for (const business_id of cu.businessIds) out.add(CUSTOMER_BUSINESS, { customer: cu.name, business_id }, 1);
      // Only once the accounts are known: before the first listing every id would be "unresolved".
      const listings = view.fresh(ACCOUNTS);
      if (listings.length === 0) return;
      const businesses = new Set<string>();
      const wabas = new Set<string>();
      /** WABAs some listing knows the owner of; the others are unresolved (business_id="unknown", src/sources/graph/parse.ts). */
      const owned = new Set<string>();
      for (const l of listings)
        for (const w of l.data.wabas) {
          businesses.add(w.businessId);
          wabas.add(w.id);
          if (w.owner !== 'unresolved') owned.add(w.id);
        }
      const missing = (ids: Iterable<string>, known: Set<string>) => [...ids].filter((id) => !known.has(id)).length;
      out.add(
        UNRESOLVED,
        { kind: 'customer_business' },
        missing(new Set(c.customers.flatMap((cu) => cu.businessIds)), businesses),
      );
      const accounts = c.billing.accounts;
      out.add(
        UNRESOLVED,
        { kind: 'account_business' },
        missing(new Set(accounts.flatMap((a) => a.businessIds)), businesses),
      );
      out.add(UNRESOLVED, { kind: 'account_waba' }, missing(new Set(accounts.flatMap((a) => a.wabaIds)), wabas));
      out.add(UNRESOLVED, { kind: 'waba_owner' }, wabas.size - owned.size);
    },
  };
}
