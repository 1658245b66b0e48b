import {
  ACCOUNT_MODE,
  CODE_VERIFICATION,
  HEALTH,
  HOST_PLATFORM,
  NAME_STATUS,
  PHONE_STATUS,
  QUALITY,
  QUALITY_SCORE,
  THROUGHPUT,
  UNIFIED_CERT,
} from '../sources/graph/enums.js';
import { infoEnum } from './info-enum.js';
import { gauge, type Samples } from '../metrics/family.js';
import type { PhoneRecord } from '../sources/graph/model.js';
import { metric } from '../metrics/names.js';
import { uniqueAccounts } from './accounts-view.js';
import type { Collector } from './types.js';
import { ACCOUNTS } from '../sources/keys.js';

const ID = ['business_id', 'waba_id', 'phone_number_id'];
export const PHONE_INFO = gauge(metric('phone_number_info'), 'Connected phone number metadata (value is always 1).', [
  ...ID,
  'display_phone_number',
  'verified_name',
  'platform_type',
  'host_platform',
  'account_mode',
  'code_verification_status',
  'unified_cert_status',
  'is_official_business_account',
]);
export const PHONE_STATUS_F = gauge(
  metric('phone_number_status'),
  'Phone number status as a state set (1 = current); must be CONNECTED to send.',
  [...ID, 'status'],
);
// Opt-in: the display-name review status changes rarely, no alert or dashboard reads it, and it is one
// series per number (six per number in full state-set mode).
export const PHONE_NAME_STATUS = gauge(
  metric('phone_number_name_status'),
  'Display name review status as a state set (1 = current).',
  [...ID, 'status'],
  { optIn: true },
);
export const PHONE_QUALITY = gauge(
  metric('phone_number_quality_rating'),
  "Quality rating as a state set (1 = current); Meta's NA (not rated yet) is UNKNOWN.",
  [...ID, 'rating'],
);
// Opt-in: the same fact as whatsapp_phone_number_quality_rating, as a number for graphs; one series per
// number. Rules and dashboards read the rating.
export const PHONE_QUALITY_SCORE = gauge(
  metric('phone_number_quality_score'),
  'Quality rating as a number: GREEN 3, YELLOW 2, RED 1, UNKNOWN 0.',
  ID,
  { optIn: true },
);
// A subset family: at fleet scale almost every number is AVAILABLE, and 10,000 rows saying so cost
// more than every portfolio-level family together. Rows for numbers that cannot send freely are
// always exported (the sending alerts read them); every number when opted in.
export const PHONE_HEALTH = gauge(
  metric('phone_number_health'),
  'Overall health_status.can_send_message as a state set (1 = current).',
  [...ID, 'state'],
  { subset: 'numbers whose health is not AVAILABLE' },
);
// Opt-in: changes only when Meta upgrades a number, no alert reads it; one series per number.
export const PHONE_THROUGHPUT = gauge(
  metric('phone_number_throughput_level'),
  'Throughput level as a state set (STANDARD 80 msg/s, HIGH up to 1,000 msg/s).',
  [...ID, 'level'],
  { optIn: true },
);

export const phoneNumbersCollector: Collector = {
  name: 'phone_numbers',
  sources: [ACCOUNTS],
  collect(view, out) {
    // One cacheable group per WABA: a refresh that changes nothing re-renders nothing.
    const byWaba = new Map<string, PhoneRecord[]>();
    for (const p of uniqueAccounts(view).phones) {
      let list = byWaba.get(p.wabaId);
      if (!list) byWaba.set(p.wabaId, (list = []));
      list.push(p);
    }
    // The opt-ins shape a group's text too; a change of them clears the group cache (fragments.ts).
    for (const [waba, phones] of byWaba) out.group(waba, JSON.stringify(phones), () => emit(phones, out));
  },
};

function emit(phones: readonly PhoneRecord[], out: Samples): void {
  for (const p of phones) {
    const id = { business_id: p.businessId, waba_id: p.wabaId, phone_number_id: p.id };
    out.add(
      PHONE_INFO,
      {
        ...id,
        display_phone_number: p.displayPhoneNumber,
        verified_name: p.verifiedName,
        platform_type: p.platformType,
        host_platform: infoEnum(p.hostPlatform, HOST_PLATFORM),
        account_mode: infoEnum(p.accountMode, ACCOUNT_MODE),
        code_verification_status: infoEnum(p.codeVerificationStatus, CODE_VERIFICATION),
        unified_cert_status: infoEnum(p.unifiedCertStatus, UNIFIED_CERT),
        is_official_business_account: p.officialBusinessAccount === undefined ? '' : String(p.officialBusinessAccount),
      },
      1,
    );
    out.stateSet(PHONE_STATUS_F, id, 'status', PHONE_STATUS, p.status);
    out.stateSet(PHONE_NAME_STATUS, id, 'status', NAME_STATUS, p.nameStatus);
    out.stateSet(PHONE_QUALITY, id, 'rating', QUALITY, p.qualityRating);
    const score = p.qualityRating !== undefined ? QUALITY_SCORE[p.qualityRating] : undefined;
    if (score !== undefined) out.add(PHONE_QUALITY_SCORE, id, score);
    if (p.health !== 'AVAILABLE' || out.completes(PHONE_HEALTH))
      out.stateSet(PHONE_HEALTH, id, 'state', HEALTH, p.health);
    out.stateSet(PHONE_THROUGHPUT, id, 'level', THROUGHPUT, p.throughput);
  }
}
