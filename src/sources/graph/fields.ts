import { DEFAULT_PHONE_PAGE_LIMIT } from '../../config/defaults.js';

/** whatsapp_business_manager_messaging_limit exists from v24.0; asking for it earlier fails the whole call (code 100). */
export const hasPortfolioLimit = (apiVersion: string): boolean =>
  Number(apiVersion.replace(/^v/, '').split('.')[0]) >= 24;

const PHONE = [
  'id',
  'display_phone_number',
  'verified_name',
  'status',
  'quality_rating',
  'name_status',
  'platform_type',
  'throughput',
  'health_status',
  'messaging_limit_tier',
];
const WABA = ['id', 'name', 'currency', 'timezone_id', 'account_review_status', 'owner_business_info'];
const LIMIT = 'whatsapp_business_manager_messaging_limit';

export function phoneFields(apiVersion: string): string {
  return (hasPortfolioLimit(apiVersion) ? [...PHONE, LIMIT] : PHONE).join(',');
}

/** WABA fields with the phone numbers expanded in the same call (META-API §2.2). */
export function wabaFields(apiVersion: string): string {
  const waba = hasPortfolioLimit(apiVersion) ? [...WABA, LIMIT] : WABA;
  return [...waba, `phone_numbers.limit(${DEFAULT_PHONE_PAGE_LIMIT}){${phoneFields(apiVersion)}}`].join(',');
}

export const TEMPLATE_FIELDS = 'id,name,language,status,category,quality_score';
