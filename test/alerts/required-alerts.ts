// The alert contract (names and severities), kept in the test on purpose: changing an alert's name
// or severity breaks silences and routing for users, so it has to be a deliberate edit here too.
export const REQUIRED_ALERTS: Record<string, ReadonlyArray<'critical' | 'warning' | 'info'>> = {
  // three rules: below critical, below low without a critical threshold (both page), below low only (warning)
  WhatsAppCreditBalanceLow: ['critical', 'critical', 'warning'],
  WhatsAppCreditBalanceExhausted: ['critical'],
  WhatsAppCreditBalanceRunwayShort: ['warning'],
  WhatsAppQualityRatingYellow: ['warning'],
  WhatsAppQualityRatingRed: ['critical'],
  WhatsAppPhoneNumberNotConnected: ['critical'],
  WhatsAppSendingLimited: ['warning'],
  WhatsAppSendingBlocked: ['critical'],
  WhatsAppMessagingLimitUsageHigh: ['warning'],
  WhatsAppMessagingLimitUsageCritical: ['critical'],
  WhatsAppMessagingLimitDecreased: ['warning'],
  WhatsAppTemplatePaused: ['warning'],
  WhatsAppTemplateDisabled: ['critical'],
  WhatsAppMessageFailureRateHigh: ['warning'],
  WhatsAppMarketingPerUserLimitHit: ['warning'],
  WhatsAppPaymentIssue: ['critical'],
  WhatsAppAccessTokenExpiringSoon: ['warning'],
  WhatsAppAccessTokenInvalid: ['critical'],
  WhatsAppGraphApiRateLimitNear: ['warning'],
  WhatsAppExporterDown: ['critical'],
  WhatsAppExporterSourceFailing: ['warning'],
  // critical for source="billing", warning for the other sources (two rules, one name)
  WhatsAppExporterDataStale: ['critical', 'warning'],
  WhatsAppWebhooksSilent: ['warning'],
  WhatsAppWebhookSubscriptionMissing: ['warning'],
  WhatsAppExporterConfigReloadFailed: ['warning'],
  WhatsAppBusinessAccountRestricted: ['critical'],
  WhatsAppCreditLineRevoked: ['critical'],
};

export const BILLING_ALERTS = [
  'WhatsAppCreditBalanceLow',
  'WhatsAppCreditBalanceExhausted',
  'WhatsAppCreditBalanceRunwayShort',
  'WhatsAppCreditLineRevoked',
] as const;

export const REQUIRED_RECORDING_RULES = [
  'business_id:whatsapp_messaging_limit_utilization:ratio',
  'account_currency:whatsapp_credit_spend:rate6h',
  'account_currency:whatsapp_credit_runway:days',
  'business_id:whatsapp_message_failure:ratio30m',
] as const;
