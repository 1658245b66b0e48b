/** Exporter (`wa-exporter`): is the exporter healthy, fresh, within Graph limits, and its token alive. */
import { F, VARS, buildDashboard, runbook } from './common.js';
import { rangeMap, stat, stateTimeline, steps, table, timeseries, valueMap } from './panels.js';
import { TOP_ROWS, TOP_SERIES } from './fleet.js';
import { A, DISPLAY_BANDS, VERB, durationSeconds, durationWords, pct } from './policy.js';

const EXPIRY = A.WhatsAppAccessTokenExpiringSoon;
const STALE = A.WhatsAppExporterDataStale;
const GRAPH_USAGE = A.WhatsAppGraphApiRateLimitNear;

/**
 * A token that never expires has expiry +Inf. Grafana cannot map Infinity to text, so the query
 * caps "expires in" at ten years and this mapping names the cap "never".
 */
export const TOKEN_NEVER_SECONDS = 315_360_000;

export function exporter(): unknown {
  return buildDashboard({
    uid: 'wa-exporter',
    title: 'WhatsApp Business / Exporter',
    description:
      'Health of the whatsapp-business-exporter itself: scrape target, per-source refresh success and data age, Graph API traffic, failures and rate-limit usage, billing API traffic, token expiry, unknown enum values and build.',
    variables: [VARS.job, VARS.source],
    rows: [
      {
        title: 'Exporter',
        panels: [
          stat({
            title: 'Exporter up',
            description: `Whether Prometheus can scrape the exporter (up). Down or absent for ${A.WhatsAppExporterDown.for} ${VERB[A.WhatsAppExporterDown.severity]} (WhatsAppExporterDown).`,
            unit: 'none',
            queries: [{ expr: `up{${F.job}}`, legend: '{{instance}}' }],
            mappings: [valueMap({ 1: ['UP', 'green'], 0: ['DOWN', 'red'] })],
            color: 'background',
            w: 4,
            h: 5,
            links: [{ title: 'Runbook: exporter down', url: runbook('WhatsAppExporterDown') }],
          }),
          stat({
            title: 'Access token expires in',
            description: `Time until each configured access token expires (whatsapp_access_token_expiry_timestamp_seconds − now). Tokens that never expire export +Inf and show "never" (the query caps the value at ten years). Under ${durationWords(EXPIRY.within)} ${VERB[EXPIRY.severity]}.`,
            unit: 's',
            queries: [
              {
                expr: `clamp_max(min by (credential) (whatsapp_access_token_expiry_timestamp_seconds{${F.job}}) - time(), ${TOKEN_NEVER_SECONDS})`,
                legend: '{{credential}}',
              },
            ],
            mappings: [rangeMap(TOKEN_NEVER_SECONDS, TOKEN_NEVER_SECONDS, 'never', 'green')],
            thresholds: steps(
              ['red', null],
              ['orange', DISPLAY_BANDS.tokenUrgentSeconds],
              ['green', durationSeconds(EXPIRY.within)],
            ),
            w: 5,
            h: 5,
            links: [{ title: 'Runbook: token expiring', url: runbook('WhatsAppAccessTokenExpiringSoon') }],
          }),
          stat({
            title: 'Access token valid',
            description: `Whether token introspection reports each access token as valid (whatsapp_access_token_valid). Invalid for ${A.WhatsAppAccessTokenInvalid.for} ${VERB[A.WhatsAppAccessTokenInvalid.severity]}.`,
            unit: 'none',
            queries: [
              { expr: `min by (credential) (whatsapp_access_token_valid{${F.job}})`, legend: '{{credential}}' },
            ],
            mappings: [valueMap({ 1: ['valid', 'green'], 0: ['INVALID', 'red'] })],
            color: 'background',
            w: 5,
            h: 5,
            links: [{ title: 'Runbook: token invalid', url: runbook('WhatsAppAccessTokenInvalid') }],
          }),
          stat({
            title: 'Config reload',
            description:
              'Whether the last configuration reload (SIGHUP or POST /-/reload) succeeded (whatsapp_exporter_config_last_reload_successful).',
            unit: 'none',
            queries: [
              {
                expr: `min by (instance) (whatsapp_exporter_config_last_reload_successful{${F.job}})`,
                legend: '{{instance}}',
              },
            ],
            mappings: [valueMap({ 1: ['OK', 'green'], 0: ['FAILED', 'red'] })],
            color: 'background',
            w: 4,
            h: 5,
          }),
          table({
            title: 'Build',
            description:
              'Version, git revision and Node.js version of each running exporter (whatsapp_exporter_build_info) and the age of its last successful config load (whatsapp_exporter_config_last_reload_success_timestamp_seconds).',
            unit: 'string',
            queries: [
              { expr: `max by (instance, version, revision, nodejs_version) (whatsapp_exporter_build_info{${F.job}})` },
              {
                expr: `time() - max by (instance) (whatsapp_exporter_config_last_reload_success_timestamp_seconds{${F.job}})`,
              },
            ],
            merge: true,
            hide: ['Value #A'],
            rename: { 'Value #B': 'Config loaded' },
            overrides: [
              {
                matcher: { id: 'byName', options: 'Config loaded' },
                properties: [
                  { id: 'unit', value: 's' },
                  { id: 'decimals', value: 0 },
                ],
              },
            ],
            w: 6,
            h: 5,
          }),
        ],
      },
      {
        title: 'Sources',
        panels: [
          timeseries({
            title: 'Targets by state',
            description:
              'Targets of each source by state (whatsapp_exporter_source_targets): up, failing (the last refresh failed), stale (no success for 2 refresh intervals), pending (not tried yet). One series per source and state, however many targets.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (source, state) (whatsapp_exporter_source_targets{${F.source}})`,
                legend: '{{source}} {{state}}',
              },
            ],
            stack: true,
            min: 0,
            w: 8,
            h: 8,
          }),
          timeseries({
            title: 'Oldest data per source',
            description:
              'Age of the oldest data each source serves: time since the oldest last success among its targets (whatsapp_exporter_source_oldest_success_timestamp_seconds).',
            unit: 's',
            queries: [
              {
                expr: `time() - min by (source) (whatsapp_exporter_source_oldest_success_timestamp_seconds{${F.source}})`,
                legend: '{{source}}',
              },
            ],
            min: 0,
            w: 8,
            h: 8,
          }),
          timeseries({
            title: 'Refresh duration (p95)',
            description:
              '95th percentile of refresh durations per source, retries and backoff included (whatsapp_exporter_source_refresh_seconds histogram).',
            unit: 's',
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (source, le) (rate(whatsapp_exporter_source_refresh_seconds_bucket{${F.source}}[$__rate_interval])))`,
                legend: '{{source}}',
              },
            ],
            min: 0,
            w: 8,
            h: 8,
          }),
          stateTimeline({
            title: 'Failing or stale targets',
            description: `Up to ${TOP_ROWS} targets whose last refresh failed or whose data is older than 2 refresh intervals (whatsapp_exporter_source_up, exported per target only for those; for every target with metrics.opt_in), failing ones first. How many: Targets by state. A source failing for ${A.WhatsAppExporterSourceFailing.for} ${VERB[A.WhatsAppExporterSourceFailing.severity]}; the last good data stays until max_staleness.`,
            unit: 'none',
            queries: [
              {
                expr: `bottomk(${TOP_ROWS}, min by (source, target) (whatsapp_exporter_source_up{${F.source}}))`,
                legend: '{{source}} {{target}}',
              },
            ],
            mappings: [valueMap({ 1: ['up', 'green'], 0: ['failing', 'red'] })],
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: source failing', url: runbook('WhatsAppExporterSourceFailing') }],
          }),
          timeseries({
            title: 'Data age of those targets in refresh intervals',
            description: `Time since the last successful refresh divided by the configured refresh interval, for the ${TOP_ROWS} oldest of the failing or stale targets (whatsapp_exporter_source_last_success_timestamp_seconds, whatsapp_exporter_source_refresh_interval_seconds). Above ${STALE.intervals} the data is stale and alerts (${STALE.criticalSourcesSeverity} for ${STALE.criticalSources.join(', ')}).`,
            unit: 'short',
            queries: [
              {
                expr: `topk(${TOP_ROWS},\n  (time() - max by (source, target) (whatsapp_exporter_source_last_success_timestamp_seconds{${F.source}}))\n  / on (source, target)\n  max by (source, target) (whatsapp_exporter_source_refresh_interval_seconds{${F.source}})\n)`,
                legend: '{{source}} {{target}}',
              },
            ],
            thresholds: steps(['green', null], ['red', STALE.intervals]),
            thresholdLines: true,
            min: 0,
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: data stale', url: runbook('WhatsAppExporterDataStale') }],
          }),
        ],
      },
      {
        title: 'Upstream APIs',
        panels: [
          timeseries({
            title: 'Graph API requests',
            description:
              'HTTP requests to the Graph API per second by endpoint (whatsapp_exporter_graph_api_requests_total); a batch call counts once.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (endpoint) (rate(whatsapp_exporter_graph_api_requests_total{${F.job}}[$__rate_interval]))`,
                legend: '{{endpoint}}',
              },
            ],
            stack: true,
            w: 8,
            h: 8,
          }),
          timeseries({
            title: 'Graph API failures by reason',
            description:
              'Failed Graph API requests and batch sub-requests per second by endpoint and reason (whatsapp_exporter_graph_api_request_failures_total): auth, permission, rate_limited, timeout, http_5xx, http_4xx, parse.',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (endpoint, reason) (rate(whatsapp_exporter_graph_api_request_failures_total{${F.job}}[$__rate_interval]))`,
                legend: '{{endpoint}} {{reason}}',
              },
            ],
            stack: true,
            bars: true,
            w: 8,
            h: 8,
          }),
          timeseries({
            title: 'Graph API usage',
            description: `Share of Meta's rate-limit budget used, from the X-Business-Use-Case-Usage / X-App-Usage headers: the highest of any business object per kind (whatsapp_exporter_graph_api_usage_max_ratio), X-App-Usage, and the ${TOP_SERIES} busiest objects (whatsapp_exporter_graph_api_usage_ratio, per object from 50%). Above ${pct(GRAPH_USAGE.ratio)} for ${GRAPH_USAGE.for} ${VERB[GRAPH_USAGE.severity]}; at 100% Meta throttles.`,
            unit: 'percentunit',
            queries: [
              {
                expr: `max by (kind) (whatsapp_exporter_graph_api_usage_max_ratio{${F.job}})`,
                legend: 'highest {{kind}}',
              },
              {
                expr: `topk(${TOP_SERIES}, max by (business_id, kind) (whatsapp_exporter_graph_api_usage_ratio{${F.job}}))`,
                legend: '{{business_id}} {{kind}}',
              },
            ],
            thresholds: steps(['green', null], ['red', GRAPH_USAGE.ratio]),
            thresholdLines: true,
            min: 0,
            max: 1,
            w: 8,
            h: 8,
            links: [{ title: 'Runbook: Graph rate limit near', url: runbook('WhatsAppGraphApiRateLimitNear') }],
          }),
          timeseries({
            title: 'Billing API requests and failures',
            description:
              'Requests to the billing provider per second (whatsapp_exporter_billing_requests_total) and failed ones by reason (whatsapp_exporter_billing_request_failures_total).',
            unit: 'reqps',
            queries: [
              {
                expr: `sum by (provider) (rate(whatsapp_exporter_billing_requests_total{${F.job}}[$__rate_interval]))`,
                legend: '{{provider}}',
              },
              {
                expr: `sum by (provider, reason) (rate(whatsapp_exporter_billing_request_failures_total{${F.job}}[$__rate_interval]))`,
                legend: '{{provider}} failed: {{reason}}',
              },
            ],
            w: 12,
            h: 8,
          }),
          timeseries({
            title: 'Unknown enum values',
            description:
              'Objects seen with an enum value this exporter version does not know, per second by field (whatsapp_exporter_unknown_enum_values_total; each object counts once per value, and the counter has the value as a label). They are exported as-is; any rise means Meta added a value and the exporter needs an update.',
            unit: 'cps',
            queries: [
              {
                expr: `sum by (field) (rate(whatsapp_exporter_unknown_enum_values_total{${F.job}}[$__rate_interval]))`,
                legend: '{{field}}',
              },
            ],
            w: 12,
            h: 8,
          }),
          stat({
            title: 'Graph fields left out',
            description:
              'Optional Graph fields Graph currently rejects (error 100) on their node type (whatsapp_exporter_graph_field_unsupported == 1): each source runs without them, exports everything else, and asks again after graph.field_recheck. Which fields, and what is missing without them: docs/graph-fields.md.',
            unit: 'none',
            queries: [
              {
                expr: `count by (source, field) (max by (source, field) (whatsapp_exporter_graph_field_unsupported{${F.job}}) == 1) or on () vector(0)`,
                legend: '{{source}} {{field}}',
              },
            ],
            thresholds: steps(['green', null], ['orange', 1]),
            w: 6,
            h: 5,
          }),
          stat({
            title: 'WABAs with no webhook subscription',
            description: `WABAs polled here whose subscribed_apps is empty (whatsapp_business_account_subscribed_apps == 0): Meta sends their webhooks to no app. Where a webhook feed is configured, ${A.WhatsAppWebhookSubscriptionMissing.for} of it ${VERB[A.WhatsAppWebhookSubscriptionMissing.severity]} (WhatsAppWebhookSubscriptionMissing).`,
            unit: 'none',
            queries: [
              {
                expr: `count(max by (waba_id) (whatsapp_business_account_subscribed_apps{${F.job}}) == 0) or on () vector(0)`,
                legend: 'WABAs',
              },
            ],
            thresholds: steps(['green', null], ['orange', 1]),
            w: 6,
            h: 5,
            links: [{ title: 'Runbook: subscription missing', url: runbook('WhatsAppWebhookSubscriptionMissing') }],
          }),
        ],
      },
    ],
  });
}
