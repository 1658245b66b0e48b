/** Delivery (`wa-delivery`): statuses, failures and error codes, templates, webhooks, marketing cap. */
import { F, VARS, buildDashboard, runbook } from './common.js';
import { colorByName, column, stat, steps, table, timeseries, valueMap, messageStatusRates } from './panels.js';
import { TOP_ROWS, TOP_SERIES } from './fleet.js';
import { A, FAILURE_WINDOW, VERB, durationSeconds, durationWords, pct } from './policy.js';

const FAILURES = A.WhatsAppMessageFailureRateHigh;
const MARKETING = A.WhatsAppMarketingPerUserLimitHit;
const SILENT = A.WhatsAppWebhooksSilent;

export function delivery(): unknown {
  return buildDashboard({
    uid: 'wa-delivery',
    title: 'WhatsApp Business / Delivery',
    description:
      'Message delivery from Meta status webhooks (sent, delivered, read, failed, error codes), template health, webhook intake and the marketing frequency cap.',
    variables: [VARS.business_id, VARS.waba_id, VARS.phone_number_id],
    rows: [
      {
        title: 'Messages',
        panels: [
          messageStatusRates({
            title: 'Message statuses',
            description:
              "Status updates per second by status (whatsapp_message_statuses_total), from Meta's status webhooks; each (message, status) is counted once even when Meta redelivers.",
            filter: F.phoneSum,
          }),
          timeseries({
            title: 'Failure ratio (30m)',
            description: `failed / (sent + failed) over ${durationWords(FAILURE_WINDOW)} (recording rule business_id:whatsapp_message_failure:ratio30m) of the ${TOP_SERIES} selected business portfolios with the highest ratio. Above ${pct(FAILURES.ratio)} with at least ${FAILURES.minMessages} messages for ${FAILURES.for} ${VERB[FAILURES.severity]}.`,
            unit: 'percentunit',
            queries: [
              {
                expr: `topk(${TOP_SERIES}, business_id:whatsapp_message_failure:ratio30m{${F.business}} >= 0)`,
                legend: '{{business_id}}',
              },
            ],
            thresholds: steps(['green', null], ['red', FAILURES.ratio]),
            thresholdLines: true,
            min: 0,
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: failure rate high', url: runbook('WhatsAppMessageFailureRateHigh') }],
          }),
          timeseries({
            title: 'Errors by code',
            description:
              'Failed messages per second by error code (whatsapp_message_errors_total): 131049 per-user marketing limit, 131042 payment issue, 131048 spam rate limit, 131026 undeliverable, 131047 outside the 24h window, 130429 throughput, 132015/132016 template paused/disabled; everything else is `other`.',
            unit: 'cps',
            queries: [
              {
                expr: `sum by (code) (rate(whatsapp_message_errors_total{${F.phone}}[$__rate_interval]))`,
                legend: '{{code}}',
              },
            ],
            overrides: colorByName({ '131042': 'red', '131049': 'orange', '131048': 'purple' }),
            stack: true,
            bars: true,
            w: 12,
            h: 8,
            links: [
              { title: 'Runbook: per-user marketing limit (131049)', url: runbook('WhatsAppMarketingPerUserLimitHit') },
              { title: 'Runbook: payment issue (131042)', url: runbook('WhatsAppPaymentIssue') },
            ],
          }),
          timeseries({
            title: 'Per-user marketing limit hits',
            description: `Share of marketing template sends that failed with 131049 (Meta's per-user marketing limit): errors{code="131049"} / (marketing sent + those errors), for the ${TOP_SERIES} selected business portfolios with the highest share. Above ${pct(MARKETING.ratio)} ${VERB[MARKETING.severity]}.`,
            unit: 'percentunit',
            queries: [
              {
                expr: `topk(${TOP_SERIES},\nsum by (business_id) (rate(whatsapp_message_errors_total{${F.phone}, code="131049"}[$__rate_interval]))\n/\nsum by (business_id) (\n    rate(whatsapp_message_statuses_total{${F.phoneSum}, status="sent", pricing_category="marketing"}[$__rate_interval])\n  or\n    rate(whatsapp_message_errors_total{${F.phone}, code="131049"}[$__rate_interval])\n)\n)`,
                legend: '{{business_id}}',
              },
            ],
            thresholds: steps(['green', null], ['red', MARKETING.ratio]),
            thresholdLines: true,
            min: 0,
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: per-user marketing limit', url: runbook('WhatsAppMarketingPerUserLimitHit') }],
          }),
        ],
      },
      {
        title: 'Templates',
        panels: [
          timeseries({
            title: 'Templates by status',
            description: 'Number of message templates per status over the selected WABAs (whatsapp_message_templates).',
            unit: 'short',
            queries: [{ expr: `sum by (status) (whatsapp_message_templates{${F.wabaSum}})`, legend: '{{status}}' }],
            overrides: colorByName({
              APPROVED: 'green',
              PENDING: 'blue',
              PAUSED: 'orange',
              DISABLED: 'red',
              REJECTED: 'dark-red',
            }),
            stack: true,
            decimals: 0,
            w: 10,
            h: 8,
          }),
          table({
            title: 'Paused and disabled templates',
            description: `Up to ${TOP_ROWS} templates whose current status is DISABLED or PAUSED, in that order (whatsapp_message_template_status): sends with them fail (132015 / 132016). A RED template is paused for 3h, then 6h, then disabled. How many: Templates by status.`,
            unit: 'string',
            queries: [
              {
                expr: `sort_desc(topk(${TOP_ROWS},\n    ${template('DISABLED')} * 2\n  or ${template('PAUSED')}\n))`,
              },
            ],
            hide: ['Value'],
            order: ['status', 'template_name', 'language', 'category', 'waba_id', 'business_id'],
            overrides: [
              column('status', {
                custom: { cellOptions: { type: 'color-background' } },
                mappings: [valueMap({ PAUSED: ['PAUSED', 'orange'], DISABLED: ['DISABLED', 'red'] })],
              }),
            ],
            w: 14,
            h: 8,
            links: [
              { title: 'Runbook: template paused', url: runbook('WhatsAppTemplatePaused') },
              { title: 'Runbook: template disabled', url: runbook('WhatsAppTemplateDisabled') },
            ],
          }),
        ],
      },
      {
        title: 'Webhooks',
        panels: [
          timeseries({
            title: 'Webhook requests',
            description:
              'Webhook POSTs per second (whatsapp_webhook_requests_total) and those refused, by reason (whatsapp_webhook_request_failures_total: bad_signature, malformed, too_large, unknown_object).',
            unit: 'reqps',
            queries: [
              { expr: 'sum(rate(whatsapp_webhook_requests_total[$__rate_interval]))', legend: 'requests' },
              {
                expr: 'sum by (reason) (rate(whatsapp_webhook_request_failures_total[$__rate_interval]))',
                legend: 'refused: {{reason}}',
              },
            ],
            overrides: colorByName({ requests: 'green' }),
            w: 8,
            h: 8,
            links: [{ title: 'Runbook: webhooks silent', url: runbook('WhatsAppWebhooksSilent') }],
          }),
          timeseries({
            title: 'Webhook events by field',
            description:
              'Webhook events per second by field and event (whatsapp_webhook_events_total), e.g. phone_number_quality_update DOWNGRADE, message_template_status_update PAUSED.',
            unit: 'cps',
            queries: [
              {
                expr: 'sum by (field, event) (rate(whatsapp_webhook_events_total[$__rate_interval]))',
                legend: '{{field}} {{event}}',
              },
            ],
            stack: true,
            w: 8,
            h: 8,
          }),
          stat({
            title: 'Time since last webhook',
            description: `Time since the last webhook of each field arrived (whatsapp_webhook_last_received_timestamp_seconds). Nothing for ${SILENT.silentFor} after a busy day ${VERB[SILENT.severity]} (WhatsAppWebhooksSilent).`,
            unit: 's',
            queries: [
              {
                expr: 'time() - max by (field) (whatsapp_webhook_last_received_timestamp_seconds)',
                legend: '{{field}}',
              },
            ],
            thresholds: steps(['green', null], ['orange', durationSeconds(SILENT.silentFor)]),
            w: 8,
            h: 8,
          }),
        ],
      },
      {
        title: 'Marketing frequency cap',
        panels: [
          timeseries({
            title: 'Recipients at the marketing frequency cap',
            description: `Recipients who already got the configured maximum of marketing messages in the configured window (whatsapp_marketing_recipients_at_frequency_cap), over the selected business portfolios and for the ${TOP_SERIES} portfolios with the most; further marketing messages to them are skipped.`,
            unit: 'short',
            queries: [
              {
                expr: `sum(max by (business_id) (whatsapp_marketing_recipients_at_frequency_cap{${F.business}}))`,
                legend: 'selected portfolios',
              },
              {
                expr: `topk(${TOP_SERIES}, max by (business_id) (whatsapp_marketing_recipients_at_frequency_cap{${F.business}}))`,
                legend: '{{business_id}}',
              },
            ],
            w: 12,
            h: 6,
          }),
          stat({
            title: 'Cap: messages per recipient',
            description:
              "Configured marketing frequency cap: at most this many marketing messages per recipient per window (whatsapp_marketing_frequency_cap_messages). One setting of the exporter's configuration, exported per portfolio: the panel shows the largest.",
            unit: 'short',
            queries: [
              {
                expr: `max(whatsapp_marketing_frequency_cap_messages{${F.business}})`,
                legend: 'messages per recipient',
              },
            ],
            w: 6,
            h: 6,
          }),
          stat({
            title: 'Cap: window',
            description:
              "Configured marketing frequency cap window (whatsapp_marketing_frequency_cap_window_seconds). One setting of the exporter's configuration, exported per portfolio: the panel shows the longest.",
            unit: 's',
            queries: [
              {
                expr: `max(whatsapp_marketing_frequency_cap_window_seconds{${F.business}})`,
                legend: 'window',
              },
            ],
            w: 6,
            h: 6,
          }),
        ],
      },
    ],
  });
}

/** One row per template in `status` (a table row: the labels the table shows). */
function template(status: string): string {
  return `max by (business_id, waba_id, template_name, language, category, status) (whatsapp_message_template_status{${F.waba}, status="${status}"})`;
}
