// The metric contract's names (from the metric table in docs/metrics.md), the money metrics among them, and
// the other series a dashboard may read.
import { contractMetricNames } from '../helpers/contract.js';
import { recordingRuleNames } from './dashboards.js';

/** The contract's names: the metric table in docs/metrics.md (see test/helpers/contract.ts). */
export const CONTRACT_METRICS: readonly string[] = contractMetricNames();

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
  'whatsapp_credit_line_max_balance',
  'whatsapp_credit_line_allocated_amount',
  'whatsapp_credit_topups_total',
  'whatsapp_credit_debits_total',
  'whatsapp_rate_card_price',
  'whatsapp_pricing_cost_24h',
  'whatsapp_pricing_cost_month_to_date',
  'whatsapp_estimated_cost_total',
  'account_currency:whatsapp_credit_spend:rate6h',
]);

/** Aggregations that combine sample values (count, group, topk, … keep or ignore them). */
export const VALUE_COMBINING_AGGREGATIONS: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'stdvar',
  'quantile',
]);

/** Functions a counter may appear under. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'increase', 'irate', 'resets']);

/**
 * Fixed range windows a dashboard may use instead of `$__rate_interval`. Empty on purpose: the
 * fixed 6h and 30m windows live in the recording rules (account_currency:whatsapp_credit_spend:rate6h,
 * business_id:whatsapp_message_failure:ratio30m), which dashboards read instead of repeating them.
 */
export const ALLOWED_FIXED_WINDOWS: ReadonlySet<string> = new Set<string>();
