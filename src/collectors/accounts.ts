import { BUSINESS_VERIFICATION, OWNERSHIP_TYPE, REVIEW_STATUS } from '../sources/graph/enums.js';
import { infoEnum } from './info-enum.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { uniqueAccounts } from './accounts-view.js';
import type { Collector } from './types.js';
import { ACCOUNTS } from '../sources/keys.js';

const ID = ['business_id', 'waba_id'];
export const WABA_INFO = gauge(
  metric('business_account_info'),
  'WhatsApp Business Account metadata (value is always 1).',
  [
    ...ID,
    'name',
    'business_name',
    'currency',
    'timezone_id',
    'business_verification_status',
    'ownership_type',
    'shared_with_business_id',
  ],
);
export const WABA_REVIEW = gauge(
  metric('business_account_review_status'),
  'Account review status of the WABA as a state set (1 = current).',
  [...ID, 'status'],
);

export const WABA_SUBSCRIBED_APPS = gauge(
  metric('business_account_subscribed_apps'),
  "Apps subscribed to the WABA's webhooks (subscribed_apps). 0 means Meta sends this WABA's webhooks to no app: the first thing to check when webhooks go silent.",
  ID,
);

export const accountsCollector: Collector = {
  name: 'accounts',
  sources: [ACCOUNTS],
  collect(view, out) {
    for (const w of uniqueAccounts(view).wabas) {
      const id = { business_id: w.businessId, waba_id: w.id };
      const businessName = w.businessName ?? '';
      const info = {
        ...id,
        name: w.name,
        business_name: businessName,
        currency: w.currency,
        timezone_id: w.timezoneId,
        business_verification_status: infoEnum(w.businessVerificationStatus, BUSINESS_VERIFICATION),
        ownership_type: infoEnum(w.ownershipType, OWNERSHIP_TYPE),
        shared_with_business_id: w.sharedWithBusinessId ?? '',
      };
      out.group(w.id, `${JSON.stringify(info)}|${w.reviewStatus}|${w.subscribedApps}`, () => {
        out.add(WABA_INFO, info, 1);
        if (w.subscribedApps !== undefined) out.add(WABA_SUBSCRIBED_APPS, id, w.subscribedApps);
        out.stateSet(WABA_REVIEW, id, 'status', REVIEW_STATUS, w.reviewStatus);
      });
    }
  },
};
