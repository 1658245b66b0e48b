/** Overview (`wa-overview`): money, quality, limits and alerts on one screen. */
import { F, VARS, buildDashboard, runbook } from './common.js';
import {
  MONEY_UNIT,
  barGauge,
  column,
  moneyOverrides,
  rangeMap,
  seriesMatching,
  stat,
  stateTimeline,
  steps,
  table,
  timeseries,
  valueMap,
  type Override,
} from './panels.js';
import { A, DISPLAY_BANDS, SPEND_WINDOW, VERB, capitalized, pct } from './policy.js';

const LIMIT_HIGH = A.WhatsAppMessagingLimitUsageHigh;
const LIMIT_CRITICAL = A.WhatsAppMessagingLimitUsageCritical;

/** Runway colours: red under the WhatsAppCreditBalanceRunwayShort line, orange up to the watch band. */
export const RUNWAY_STEPS = steps(
  ['red', null],
  ['orange', A.WhatsAppCreditBalanceRunwayShort.runwayDays],
  ['green', DISPLAY_BANDS.runwayWatchDays],
);

/**
 * The quality rating as a number (GREEN 3, YELLOW 2, RED 1, UNKNOWN 0) from the rating state set, so
 * graphs work without the opt-in whatsapp_phone_number_quality_score; `== 1` works in both state-set modes.
 */
export function qualityScore(filter: string): string {
  const r = (rating: string, times: string) =>
    `(whatsapp_phone_number_quality_rating{${filter}, rating="${rating}"} == 1)${times}`;
  return `max by (phone_number_id) (\n  ${r('GREEN', ' * 3')}\n  or ${r('YELLOW', ' * 2')}\n  or ${r('RED', '')}\n  or ${r('UNKNOWN', ' * 0')}\n)`;
}

/** qualityScore()'s encoding: GREEN 3, YELLOW 2, RED 1, UNKNOWN 0. */
export const QUALITY_MAPPING = valueMap({
  3: ['GREEN', 'green'],
  2: ['YELLOW', 'yellow'],
  1: ['RED', 'red'],
  0: ['UNKNOWN', 'text'],
});

/** Runway of accounts that spend nothing is +Inf (x / 0); the query clamps it to a year and this names it. */
export const RUNWAY_CAP_DAYS = 365;
export const RUNWAY_MAPPINGS = [
  rangeMap(RUNWAY_CAP_DAYS, RUNWAY_CAP_DAYS, '≥ 1 year', 'green'),
  { type: 'special', options: { match: 'nan', result: { text: 'no spend', color: 'text' } } } as never,
];

export const ALERTS_TABLE_OVERRIDES: Override[] = [
  column('alertstate', {
    custom: { cellOptions: { type: 'color-background' } },
    mappings: [valueMap({ firing: ['firing', 'red'], pending: ['pending', 'orange'] })],
  }),
  column('severity', {
    mappings: [valueMap({ critical: ['critical', 'red'], warning: ['warning', 'orange'], info: ['info', 'blue'] })],
    custom: { cellOptions: { type: 'color-text' } },
  }),
  column('alertname', {
    links: [{ title: 'Runbook for ${__value.raw}', url: `${runbook()}#\${__value.raw}`, targetBlank: true }],
  }),
];

export function overview(): unknown {
  return buildDashboard({
    uid: 'wa-overview',
    title: 'WhatsApp Business / Overview',
    description:
      'Credit balance and runway, spend, quality per number, messaging-limit use and active alerts for the WhatsApp Business Platform.',
    variables: [VARS.business_id, VARS.waba_id, VARS.phone_number_id, VARS.account],
    links: [{ title: 'Billing dashboard (top-up and payment links)', url: '/d/wa-billing' }],
    rows: [
      {
        title: 'Credit',
        panels: [
          stat({
            title: 'Credit balance',
            description:
              'Prepaid messaging credit left per billing account, in the account currency (whatsapp_credit_balance). Red below the account\'s configured low threshold is shown by "Headroom over low threshold"; the top-up and payment links are on the Billing dashboard.',
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `max by (account, currency) (whatsapp_credit_balance{${F.account}})`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            sparkline: true,
            w: 6,
            h: 6,
            links: [{ title: 'Runbook: low balance', url: runbook('WhatsAppCreditBalanceLow') }],
            dataLinks: [
              {
                title: 'Billing for ${__field.labels.account}',
                url: '/d/wa-billing?var-account=${__field.labels.account}&${__url_time_range}',
              },
            ],
          }),
          stat({
            title: 'Headroom over low threshold',
            description: `Balance minus the account's configured \`low\` threshold (whatsapp_credit_balance_alert_threshold{level="low"}). Below zero, WhatsAppCreditBalanceLow ${VERB[A.WhatsAppCreditBalanceLow.severity]}.`,
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `max by (account, currency) (whatsapp_credit_balance{${F.account}})\n- on (account, currency)\nmax by (account, currency) (whatsapp_credit_balance_alert_threshold{${F.account}, level="low"})`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            thresholds: steps(['red', null], ['green', 0]),
            color: 'background',
            w: 6,
            h: 6,
            links: [{ title: 'Runbook: low balance', url: runbook('WhatsAppCreditBalanceLow') }],
          }),
          stat({
            title: 'Runway (time to zero)',
            description: `Days until the balance reaches zero at the spend rate of the last ${SPEND_WINDOW} (recording rule account_currency:whatsapp_credit_runway:days). Accounts that spent nothing in ${SPEND_WINDOW} show "≥ 1 year" (the rule gives +Inf; the query caps it at ${RUNWAY_CAP_DAYS} days).`,
            unit: 'd',
            queries: [
              {
                expr: `clamp_max(account_currency:whatsapp_credit_runway:days{${F.account}}, ${RUNWAY_CAP_DAYS})`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            thresholds: RUNWAY_STEPS,
            mappings: RUNWAY_MAPPINGS,
            decimals: 1,
            w: 6,
            h: 6,
            links: [{ title: 'Runbook: runway short', url: runbook('WhatsAppCreditBalanceRunwayShort') }],
          }),
          stat({
            title: 'Spend rate (per day)',
            description: `Money spent per day at the average rate of the last ${SPEND_WINDOW}, per billing account and currency, from statement debits (account_currency:whatsapp_credit_spend:rate6h × 86400).`,
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `account_currency:whatsapp_credit_spend:rate6h{${F.account}} * 86400`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            sparkline: true,
            w: 6,
            h: 6,
          }),
          timeseries({
            title: 'Balance and alert thresholds',
            description:
              'Credit balance per account with its configured low and critical thresholds (dashed). Each currency is its own series; money is never added across currencies.',
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `max by (account, currency) (whatsapp_credit_balance{${F.account}})`,
                legend: '{{account}} ({{currency}})',
              },
              {
                expr: `max by (account, currency, level) (whatsapp_credit_balance_alert_threshold{${F.account}})`,
                legend: '{{account}} {{level}} threshold ({{currency}})',
              },
            ],
            overrides: [
              ...moneyOverrides(),
              seriesMatching('.* threshold .*', {
                'custom.lineStyle': { fill: 'dash', dash: [10, 10] },
                'custom.fillOpacity': 0,
              }),
            ],
            w: 12,
            h: 8,
          }),
          barGauge({
            title: 'Meta cost by category (last 24h)',
            description:
              'Cost of the last 24h per pricing category from Meta pricing analytics (whatsapp_pricing_cost_24h), summed over the selected WABAs per currency. Approximate and delayed by Meta.',
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `sum by (currency, pricing_category) (whatsapp_pricing_cost_24h{${F.wabaSum}})`,
                legend: '{{pricing_category}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            w: 12,
            h: 8,
          }),
        ],
      },
      {
        title: 'Quality and messaging limit',
        panels: [
          stateTimeline({
            title: 'Quality rating per number',
            description: `Quality rating history of each phone number (whatsapp_phone_number_quality_rating as GREEN 3, YELLOW 2, RED 1, UNKNOWN 0 = not rated yet). YELLOW for ${A.WhatsAppQualityRatingYellow.for} and RED for ${A.WhatsAppQualityRatingRed.for} alert.`,
            unit: 'none',
            queries: [
              {
                expr: qualityScore(F.phone),
                legend: '{{phone_number_id}}',
              },
            ],
            mappings: [QUALITY_MAPPING],
            w: 12,
            h: 8,
            links: [
              { title: 'Runbook: quality YELLOW', url: runbook('WhatsAppQualityRatingYellow') },
              { title: 'Runbook: quality RED', url: runbook('WhatsAppQualityRatingRed') },
            ],
            dataLinks: [
              {
                title: 'Phone number ${__field.labels.phone_number_id}',
                url: '/d/wa-phone-number?var-phone_number_id=${__field.labels.phone_number_id}&${__url_time_range}',
              },
            ],
          }),
          barGauge({
            title: 'Messaging-limit utilization',
            description: `Unique customers messaged outside a service window in the rolling 24h, as a share of the portfolio's messaging limit (business_id:whatsapp_messaging_limit_utilization:ratio). ${capitalized(LIMIT_HIGH.severity)} at ${pct(LIMIT_HIGH.ratio)}, ${LIMIT_CRITICAL.severity} at ${pct(LIMIT_CRITICAL.ratio)}; 0 for unlimited portfolios.`,
            unit: 'percentunit',
            queries: [
              {
                expr: `business_id:whatsapp_messaging_limit_utilization:ratio{${F.business}}`,
                legend: '{{business_id}}',
              },
            ],
            thresholds: steps(['green', null], ['orange', LIMIT_HIGH.ratio], ['red', LIMIT_CRITICAL.ratio]),
            min: 0,
            max: 1,
            w: 6,
            h: 8,
            links: [{ title: 'Runbook: messaging limit', url: runbook('WhatsAppMessagingLimitUsageHigh') }],
          }),
          stat({
            title: 'Messaging limit tier',
            description:
              "Current messaging-limit tier of each business portfolio (whatsapp_messaging_limit_tier state set): unique customers per rolling 24h, shared by all of the portfolio's numbers.",
            unit: 'none',
            queries: [
              {
                expr: `max by (business_id, tier) (whatsapp_messaging_limit_tier{${F.business}}) == 1`,
                legend: '{{tier}}',
              },
            ],
            text: 'name',
            color: 'none',
            w: 6,
            h: 8,
            links: [{ title: 'Runbook: limit decreased', url: runbook('WhatsAppMessagingLimitDecreased') }],
          }),
          table({
            title: 'Phone numbers',
            description:
              'Every selected number with its current status, quality rating and sending health (health_status.can_send_message), from the state-set metrics (the row shows the state whose value is 1). Health is exported only for numbers that cannot send freely (empty = AVAILABLE or not reported; every number with metrics.opt_in whatsapp_phone_number_health).',
            unit: 'string',
            queries: [
              {
                expr: `max by (business_id, waba_id, phone_number_id, display_phone_number, verified_name) (whatsapp_phone_number_info{${F.phone}})`,
              },
              {
                expr: `max by (business_id, waba_id, phone_number_id, status) (whatsapp_phone_number_status{${F.phone}} == 1)`,
              },
              {
                expr: `max by (business_id, waba_id, phone_number_id, rating) (whatsapp_phone_number_quality_rating{${F.phone}} == 1)`,
              },
              {
                expr: `max by (business_id, waba_id, phone_number_id, state) (whatsapp_phone_number_health{${F.phone}} == 1)`,
              },
            ],
            merge: true,
            hide: ['Value #A', 'Value #B', 'Value #C', 'Value #D'],
            order: [
              'display_phone_number',
              'verified_name',
              'status',
              'rating',
              'state',
              'phone_number_id',
              'waba_id',
              'business_id',
            ],
            rename: {
              display_phone_number: 'Number',
              verified_name: 'Name',
              status: 'Status',
              rating: 'Quality',
              state: 'Health',
            },
            overrides: [
              column('Status', {
                custom: { cellOptions: { type: 'color-text' } },
                mappings: [valueMap({ CONNECTED: ['CONNECTED', 'green'], PENDING: ['PENDING', 'orange'] })],
                color: { mode: 'fixed', fixedColor: 'red' },
              }),
              column('Quality', {
                custom: { cellOptions: { type: 'color-text' } },
                mappings: [
                  valueMap({
                    GREEN: ['GREEN', 'green'],
                    YELLOW: ['YELLOW', 'yellow'],
                    RED: ['RED', 'red'],
                    UNKNOWN: ['UNKNOWN', 'text'],
                  }),
                ],
              }),
              column('Health', {
                custom: { cellOptions: { type: 'color-text' } },
                mappings: [
                  valueMap({
                    AVAILABLE: ['AVAILABLE', 'green'],
                    LIMITED: ['LIMITED', 'orange'],
                    BLOCKED: ['BLOCKED', 'red'],
                  }),
                ],
              }),
              column('phone_number_id', {
                links: [
                  {
                    title: 'Phone number dashboard',
                    url: '/d/wa-phone-number?var-business_id=${__data.fields.business_id}&var-waba_id=${__data.fields.waba_id}&var-phone_number_id=${__value.raw}&${__url_time_range}',
                    targetBlank: false,
                  },
                ],
              }),
            ],
            w: 24,
            h: 8,
            links: [{ title: 'Runbook: number not connected', url: runbook('WhatsAppPhoneNumberNotConnected') }],
          }),
        ],
      },
      {
        title: 'Alerts',
        panels: [
          table({
            title: 'Active alerts',
            description:
              'WhatsApp alerts that are firing or pending (Prometheus ALERTS series; pending = condition true, waiting for its `for:` duration). Firing rows first; the alert name links to its runbook section.',
            unit: 'string',
            queries: [{ expr: 'ALERTS{alertname=~"WhatsApp.*"}' }],
            hide: ['Value', '__name__'],
            order: ['alertstate', 'severity', 'alertname'],
            sortBy: { displayName: 'alertstate' },
            overrides: ALERTS_TABLE_OVERRIDES,
            w: 24,
            h: 8,
            links: [{ title: 'Alert runbook', url: runbook() }],
          }),
        ],
      },
    ],
  });
}
