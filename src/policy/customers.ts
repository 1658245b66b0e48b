import type { AlertName } from './alerts.js';

/**
 * The alerts a BSP's customer receives itself (docs/customers.md), and the label the rules join
 * the `customer` on: `account` from whatsapp_billing_account_info, `business_id` from
 * whatsapp_customer_business_info. These are what the settings page the project replaces tells a
 * business about: its balance and runway (with the payment link), a RED number, the messaging
 * limit, a paused template. Everything else (exporter health, tokens, sources) stays the
 * operator's. The rules generator and `alertmanager-config` both read this table.
 */
export const CUSTOMER_ALERTS: Readonly<Partial<Record<AlertName, 'account' | 'business_id'>>> = {
  WhatsAppCreditBalanceLow: 'account',
  WhatsAppCreditBalanceExhausted: 'account',
  WhatsAppCreditBalanceRunwayShort: 'account',
  WhatsAppQualityRatingRed: 'business_id',
  WhatsAppMessagingLimitUsageHigh: 'business_id',
  WhatsAppMessagingLimitUsageCritical: 'business_id',
  WhatsAppTemplatePaused: 'business_id',
};

export const CUSTOMER_ALERT_NAMES = Object.keys(CUSTOMER_ALERTS) as AlertName[];
