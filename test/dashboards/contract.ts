// The metric contract's names (the project's copy, names only, from the METRICS.md table), the
// money metrics among them, and the other series a dashboard may read.
import { recordingRuleNames } from './dashboards.js';

export const CONTRACT_METRICS: readonly string[] = [
  // account and phone numbers (Graph API)
  'whatsapp_business_account_info',
  'whatsapp_business_account_review_status',
  'whatsapp_phone_number_info',
  'whatsapp_phone_number_status',
  'whatsapp_phone_number_name_status',
  'whatsapp_phone_number_quality_rating',
  'whatsapp_phone_number_quality_score',
  'whatsapp_phone_number_health',
  'whatsapp_phone_number_throughput_level',
  'whatsapp_messaging_limit',
  'whatsapp_messaging_limit_tier',
  'whatsapp_access_token_expiry_timestamp_seconds',
  'whatsapp_access_token_valid',
  'whatsapp_message_templates',
  'whatsapp_message_template_status',
  'whatsapp_message_template_quality_score',
  // billing
  'whatsapp_credit_balance',
  'whatsapp_credit_balance_alert_threshold',
  'whatsapp_billing_account_info',
  'whatsapp_credit_topups_total',
  'whatsapp_credit_debits_total',
  'whatsapp_credit_statement_last_entry_timestamp_seconds',
  'whatsapp_rate_card_price',
  'whatsapp_pricing_cost_24h',
  'whatsapp_pricing_cost_month_to_date',
  'whatsapp_pricing_volume_24h',
  // webhooks
  'whatsapp_message_statuses_total',
  'whatsapp_message_errors_total',
  'whatsapp_billable_messages_total',
  'whatsapp_estimated_cost_total',
  'whatsapp_unique_recipients_24h',
  'whatsapp_phone_number_unique_recipients_24h',
  'whatsapp_marketing_recipients_at_frequency_cap',
  'whatsapp_marketing_frequency_cap_messages',
  'whatsapp_marketing_frequency_cap_window_seconds',
  'whatsapp_webhook_events_total',
  'whatsapp_webhook_requests_total',
  'whatsapp_webhook_request_failures_total',
  'whatsapp_webhook_last_received_timestamp_seconds',
  // exporter self-metrics
  'whatsapp_exporter_source_up',
  'whatsapp_exporter_source_last_success_timestamp_seconds',
  'whatsapp_exporter_source_last_attempt_timestamp_seconds',
  'whatsapp_exporter_source_refresh_duration_seconds',
  'whatsapp_exporter_source_refresh_interval_seconds',
  'whatsapp_exporter_graph_api_requests_total',
  'whatsapp_exporter_graph_api_request_failures_total',
  'whatsapp_exporter_graph_api_usage_ratio',
  'whatsapp_exporter_billing_requests_total',
  'whatsapp_exporter_billing_request_failures_total',
  'whatsapp_exporter_unknown_enum_values_total',
  'whatsapp_exporter_config_last_reload_successful',
  'whatsapp_exporter_config_last_reload_success_timestamp_seconds',
  'whatsapp_exporter_build_info',
];

/** Series Prometheus itself makes that dashboards may read. */
export const PROMETHEUS_SERIES: readonly string[] = ['ALERTS', 'up'];

/** Every name a dashboard query or variable may select. */
export function knownMetricNames(): Set<string> {
  return new Set([...CONTRACT_METRICS, ...PROMETHEUS_SERIES, ...recordingRuleNames()]);
}

/** Metrics whose values are money: they always carry `currency` and are never combined across currencies. */
export const MONEY_METRICS: ReadonlySet<string> = new Set([
  'whatsapp_credit_balance',
  'whatsapp_credit_balance_alert_threshold',
  'whatsapp_credit_topups_total',
  'whatsapp_credit_debits_total',
  'whatsapp_rate_card_price',
  'whatsapp_pricing_cost_24h',
  'whatsapp_pricing_cost_month_to_date',
  'whatsapp_estimated_cost_total',
  'account_currency:whatsapp_credit_spend:rate6h',
]);

/** Aggregations that combine sample values (count, group, topk, … keep or ignore them). */
export const VALUE_COMBINING_AGGREGATIONS: ReadonlySet<string> = new Set(['sum', 'avg', 'min', 'max', 'stddev', 'stdvar', 'quantile']);

/** Functions a counter may appear under. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'increase', 'irate', 'resets']);

/**
 * Fixed range windows a dashboard may use instead of `$__rate_interval`. Empty on purpose: the
 * fixed 6h and 30m windows live in the recording rules (account_currency:whatsapp_credit_spend:rate6h,
 * waba_id:whatsapp_message_failure:ratio30m), which dashboards read instead of repeating them.
 */
export const ALLOWED_FIXED_WINDOWS: ReadonlySet<string> = new Set<string>();
