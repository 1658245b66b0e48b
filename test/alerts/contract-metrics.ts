// Metric names of the exporter's metric contract (the project's copy; names only), and helpers to
// compare the names used in the alert rules with what the exporter really serves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTRACT_METRIC_NAMES: readonly string[] = [
  // account and phone numbers
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

/**
 * Metrics the rules use that the golden expositions do not contain. Empty: the golden scenario
 * (test/golden/sandbox-basic.prom) covers Graph, billing and webhooks, so every rule is checked
 * against the exporter's real output. Add a name here only with a reason.
 */
export const RULE_METRICS_PENDING_GOLDEN: readonly string[] = [];

export const GOLDEN_DIR = join(new URL('../golden', import.meta.url).pathname);

/** `whatsapp_*` metric names (not recording rules) used in PromQL / templates in a text. */
export function whatsappMetricNamesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const token = m[0];
    if (token.startsWith('whatsapp_') && !token.includes(':')) names.add(token);
  }
  return names;
}

/** Metric names in a Prometheus text exposition: from # HELP / # TYPE lines and from samples. */
export function metricNamesFromExposition(text: string): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const meta = /^#\s+(?:HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (meta?.[1] !== undefined) {
      names.add(meta[1]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (sample?.[1] !== undefined) names.add(sample[1]);
  }
  return names;
}

/** The golden exposition files (`test/golden/*.prom`, one level of sub-directories too). */
export function goldenExpositionFiles(dir: string = GOLDEN_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.prom'))
    .sort()
    .map((f) => join(dir, f));
}

/** Union of the metric names of all golden expositions. */
export function metricNamesFromGoldenExpositions(dir: string = GOLDEN_DIR): Set<string> {
  const names = new Set<string>();
  for (const f of goldenExpositionFiles(dir)) for (const n of metricNamesFromExposition(readFileSync(f, 'utf8'))) names.add(n);
  return names;
}

/**
 * What the rules are checked against: the golden expositions as soon as `test/golden/*.prom` files
 * exist (the exporter's real output), the contract list until then.
 */
export function referenceMetricNamesForRules(dir: string = GOLDEN_DIR): { source: 'golden' | 'contract'; names: Set<string> } {
  return goldenExpositionFiles(dir).length > 0
    ? { source: 'golden', names: metricNamesFromGoldenExpositions(dir) }
    : { source: 'contract', names: new Set(CONTRACT_METRIC_NAMES) };
}
