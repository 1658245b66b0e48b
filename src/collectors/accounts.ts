import { REVIEW_STATUS } from '../sources/graph/enums.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { uniqueAccounts } from './accounts-view.js';
import type { Collector } from './types.js';
import { ACCOUNTS } from '../sources/keys.js';

const ID = ['business_id', 'waba_id'];
export const WABA_INFO = gauge(
  metric('business_account_info'),
  'WhatsApp Business Account metadata (value is always 1).',
  [...ID, 'name', 'business_name', 'currency', 'timezone_id'],
);
export const WABA_REVIEW = gauge(
  metric('business_account_review_status'),
  'Account review status of the WABA as a state set (1 = current).',
  [...ID, 'status'],
);

export const accountsCollector: Collector = {
  name: 'accounts',
  sources: [ACCOUNTS],
  collect(view, out) {
    for (const w of uniqueAccounts(view).wabas) {
      const id = { business_id: w.businessId, waba_id: w.id };
      const businessName = w.businessName ?? '';
      const key = `${w.businessId}|${w.name}|${businessName}|${w.currency}|${w.timezoneId}|${w.reviewStatus}`;
      out.group(w.id, key, () => {
        out.add(
          WABA_INFO,
          { ...id, name: w.name, business_name: businessName, currency: w.currency, timezone_id: w.timezoneId },
          1,
        );
        out.stateSet(WABA_REVIEW, id, 'status', REVIEW_STATUS, w.reviewStatus);
      });
    }
  },
};
