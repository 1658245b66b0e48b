/** Phone number (`wa-phone-number`): one number's state, history, delivery funnel and errors. */
import { F, SINGLE_PHONE, VARS, buildDashboard, runbook } from './common.js';
import { QUALITY_COLORS, qualityChanges, statusChanges, templatesPaused, tierChanges, topUps } from './fleet.js';
import { ALERTS_TABLE_OVERRIDES, QUALITY_MAPPING, qualityScore } from './overview.js';
import {
  colorByName,
  stat,
  stateTimeline,
  steps,
  table,
  timeseries,
  valueMap,
  type Override,
  messageStatusRates,
} from './panels.js';
import { A, DISPLAY_BANDS, VERB } from './policy.js';

const NOT_CONNECTED = A.WhatsAppPhoneNumberNotConnected;

/** State-set lanes: 1 = the state the number is in, 0 = not (drawn transparent). */
const LANE_MAPPING = valueMap({ 1: ['current', 'green'], 0: ['', 'transparent'] });

export const STATUS_COLORS: Override[] = colorByName({ CONNECTED: 'green', PENDING: 'orange' });
export const HEALTH_COLORS: Override[] = colorByName({ AVAILABLE: 'green', LIMITED: 'orange', BLOCKED: 'red' });

/** The number's own series: its portfolio, WABA and paying account are found through it. */
const THIS_NUMBER = `whatsapp_phone_number_info{${F.phone}}`;

export function phoneNumber(): unknown {
  return buildDashboard({
    uid: 'wa-phone-number',
    title: 'WhatsApp Business / Phone number',
    description:
      'One phone number: status, quality and sending health now and over time, its delivery funnel and its error codes.',
    variables: [VARS.business_id, VARS.waba_id, SINGLE_PHONE],
    // The number's events, and those of its portfolio, WABA and the billing account paying for it.
    annotations: [
      qualityChanges(F.phone),
      statusChanges(F.phone),
      tierChanges(F.business, `\nand on (business_id) ${THIS_NUMBER}`),
      templatesPaused(F.waba, `\nand on (business_id, waba_id) ${THIS_NUMBER}`),
      topUps('', `\nand on (account)\n(whatsapp_billing_account_business_info and on (business_id) ${THIS_NUMBER})`),
    ],
    rows: [
      {
        title: 'Now',
        panels: [
          stat({
            title: 'Number',
            description:
              'Display number and verified business name (whatsapp_phone_number_info) and the platform (CLOUD_API or ON_PREMISE).',
            unit: 'none',
            queries: [
              {
                expr: `max by (display_phone_number, verified_name, platform_type) (whatsapp_phone_number_info{${F.phone}})`,
                legend: '{{display_phone_number}} · {{verified_name}} · {{platform_type}}',
              },
            ],
            text: 'name',
            color: 'none',
            w: 8,
            h: 4,
          }),
          stat({
            title: 'Status',
            description: `Connection status (whatsapp_phone_number_status state set). Anything but ${NOT_CONNECTED.okStatuses.join(' or ')} for ${NOT_CONNECTED.for} ${VERB[NOT_CONNECTED.severity]} (WhatsAppPhoneNumberNotConnected).`,
            unit: 'none',
            queries: [
              { expr: `max by (status) (whatsapp_phone_number_status{${F.phone}}) == 1`, legend: '{{status}}' },
            ],
            text: 'name',
            color: 'background',
            thresholds: steps(['red', null]),
            overrides: STATUS_COLORS,
            w: 4,
            h: 4,
            links: [{ title: 'Runbook: not connected', url: runbook('WhatsAppPhoneNumberNotConnected') }],
          }),
          stat({
            title: 'Quality rating',
            description:
              "Quality rating from the last 7 days of user feedback (whatsapp_phone_number_quality_rating state set). UNKNOWN = not rated yet (Meta's NA).",
            unit: 'none',
            queries: [
              { expr: `max by (rating) (whatsapp_phone_number_quality_rating{${F.phone}}) == 1`, legend: '{{rating}}' },
            ],
            text: 'name',
            color: 'background',
            thresholds: steps(['text', null]),
            overrides: QUALITY_COLORS,
            w: 4,
            h: 4,
            links: [{ title: 'Runbook: quality RED', url: runbook('WhatsAppQualityRatingRed') }],
          }),
          stat({
            title: 'Sending health',
            description:
              'health_status.can_send_message of the number (whatsapp_phone_number_health state set): AVAILABLE, LIMITED or BLOCKED.',
            unit: 'none',
            queries: [{ expr: `max by (state) (whatsapp_phone_number_health{${F.phone}}) == 1`, legend: '{{state}}' }],
            text: 'name',
            color: 'background',
            thresholds: steps(['text', null]),
            overrides: HEALTH_COLORS,
            w: 4,
            h: 4,
            links: [{ title: 'Runbook: sending blocked', url: runbook('WhatsAppSendingBlocked') }],
          }),
        ],
      },
      {
        title: 'History',
        panels: [
          stateTimeline({
            title: 'Quality history',
            description:
              'Quality rating over time (whatsapp_phone_number_quality_rating as GREEN 3, YELLOW 2, RED 1, UNKNOWN 0).',
            unit: 'none',
            queries: [{ expr: qualityScore(F.phone), legend: 'quality' }],
            mappings: [QUALITY_MAPPING],
            w: 12,
            h: 5,
          }),
          timeseries({
            title: 'Quality score',
            description:
              'Quality score as a number (3 GREEN, 2 YELLOW, 1 RED, 0 UNKNOWN), for spotting drops; the dashed lines are the YELLOW and RED levels.',
            unit: 'none',
            queries: [
              {
                expr: qualityScore(F.phone),
                legend: 'quality score',
              },
            ],
            thresholds: steps(['red', null], ['yellow', 2], ['green', 3]),
            thresholdLines: true,
            min: 0,
            max: 3,
            decimals: 0,
            w: 12,
            h: 5,
          }),
          stateTimeline({
            title: 'Status history',
            description:
              'One lane per connection status the number has had (whatsapp_phone_number_status); the lane is filled while that status is current.',
            unit: 'none',
            queries: [
              { expr: `max by (status) (whatsapp_phone_number_status{${F.phone}}) == 1`, legend: '{{status}}' },
            ],
            mappings: [LANE_MAPPING],
            hideValues: true,
            w: 8,
            h: 6,
          }),
          stateTimeline({
            title: 'Health history',
            description: `One lane per sending-health state the number has had (whatsapp_phone_number_health); LIMITED for ${A.WhatsAppSendingLimited.for} ${VERB[A.WhatsAppSendingLimited.severity]}, BLOCKED for ${A.WhatsAppSendingBlocked.for} ${VERB[A.WhatsAppSendingBlocked.severity]}.`,
            unit: 'none',
            queries: [{ expr: `max by (state) (whatsapp_phone_number_health{${F.phone}}) == 1`, legend: '{{state}}' }],
            mappings: [LANE_MAPPING],
            hideValues: true,
            w: 8,
            h: 6,
            links: [{ title: 'Runbook: sending limited', url: runbook('WhatsAppSendingLimited') }],
          }),
          table({
            title: 'Alerts for this number',
            description:
              "WhatsApp alerts about this number that are firing or pending (Prometheus ALERTS; pending = condition true, waiting for its `for:` duration). Alerts of its portfolio (messaging limit, failure ratio) are on the Overview's Active alerts. The alert name links to its runbook section.",
            unit: 'string',
            queries: [
              {
                expr: `max by (alertname, severity, alertstate) (ALERTS{alertname=~"WhatsApp.*", phone_number_id=~"$phone_number_id"})`,
              },
            ],
            hide: ['Value'],
            order: ['alertstate', 'severity', 'alertname'],
            sortBy: { displayName: 'alertstate' },
            overrides: ALERTS_TABLE_OVERRIDES,
            w: 8,
            h: 6,
            links: [{ title: 'Alert runbook', url: runbook() }],
          }),
        ],
      },
      {
        title: 'Delivery',
        panels: [
          messageStatusRates({
            title: 'Delivery funnel',
            description:
              "Message status updates per second from Meta's status webhooks (whatsapp_message_statuses_total): sent → delivered → read, and failed. Each (message, status) is counted once.",
            filter: F.phoneSum,
          }),
          timeseries({
            title: 'Errors by code',
            description:
              'Failed messages per second by Graph error code (whatsapp_message_errors_total). 131049 = per-user marketing limit, 131042 = payment issue, 131048 = spam rate limit, 130429 = throughput, 132015/132016 = template paused/disabled; other codes are `other`.',
            unit: 'cps',
            queries: [
              {
                expr: `sum by (code) (rate(whatsapp_message_errors_total{${F.phone}}[$__rate_interval]))`,
                legend: '{{code}}',
              },
            ],
            stack: true,
            bars: true,
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: payment issue (131042)', url: runbook('WhatsAppPaymentIssue') }],
          }),
          stat({
            title: 'Delivered / sent',
            description:
              'Share of sent messages that were delivered over the rate interval (whatsapp_message_statuses_total).',
            unit: 'percentunit',
            queries: [
              {
                expr: `sum(rate(whatsapp_message_statuses_total{${F.phoneSum}, status="delivered"}[$__rate_interval]))\n/\nsum(rate(whatsapp_message_statuses_total{${F.phoneSum}, status="sent"}[$__rate_interval]))`,
                legend: 'delivered / sent',
              },
            ],
            thresholds: steps(
              ['red', null],
              ['orange', DISPLAY_BANDS.deliveredRatio.low],
              ['green', DISPLAY_BANDS.deliveredRatio.good],
            ),
            decimals: 1,
            w: 6,
            h: 5,
          }),
          stat({
            title: 'Read / delivered',
            description:
              "Share of delivered messages that were read over the rate interval (whatsapp_message_statuses_total); depends on recipients' read receipts.",
            unit: 'percentunit',
            queries: [
              {
                expr: `sum(rate(whatsapp_message_statuses_total{${F.phoneSum}, status="read"}[$__rate_interval]))\n/\nsum(rate(whatsapp_message_statuses_total{${F.phoneSum}, status="delivered"}[$__rate_interval]))`,
                legend: 'read / delivered',
              },
            ],
            decimals: 1,
            w: 6,
            h: 5,
          }),
          timeseries({
            title: 'Billable messages by category',
            description:
              'Billable (charged) messages per second by pricing category (whatsapp_billable_messages_total); free service and entry-point messages are not counted.',
            unit: 'cps',
            queries: [
              {
                expr: `sum by (pricing_category) (rate(whatsapp_billable_messages_total{${F.phoneSum}}[$__rate_interval]))`,
                legend: '{{pricing_category}}',
              },
            ],
            stack: true,
            w: 6,
            h: 5,
          }),
        ],
      },
    ],
  });
}
