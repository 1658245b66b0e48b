/** Overview (`wa-overview`): the fleet in counts, the worst first, money, quality, limits and alerts on one screen. */
import { F, VARS, buildDashboard, runbook } from './common.js';
import {
  NUMBER_ID,
  QUALITY_COLORS,
  TOP_ROWS,
  TOP_SERIES,
  countOrZero,
  qualityChanges,
  statusChanges,
  templatesPaused,
  tierChanges,
  topUps,
} from './fleet.js';
import {
  MONEY_UNIT,
  barGauge,
  column,
  moneyOverrides,
  rangeMap,
  seriesMatching,
  stat,
  steps,
  table,
  timeseries,
  valueMap,
  type Override,
  metaCost24hByCategory,
} from './panels.js';
import { A, DISPLAY_BANDS, SPEND_WINDOW, VERB, capitalized, durationSeconds, durationWords, pct } from './policy.js';

const LIMIT_HIGH = A.WhatsAppMessagingLimitUsageHigh;
const LIMIT_CRITICAL = A.WhatsAppMessagingLimitUsageCritical;
const NOT_CONNECTED = A.WhatsAppPhoneNumberNotConnected;
const EXPIRY = A.WhatsAppAccessTokenExpiringSoon;
const FAILURES = A.WhatsAppMessageFailureRateHigh;

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
      'The fleet in counts, the worst numbers, portfolios and accounts first, credit balance and spend, quality and messaging-limit use, and active alerts for the WhatsApp Business Platform.',
    variables: [VARS.business_id, VARS.waba_id, VARS.phone_number_id, VARS.account],
    links: [{ title: 'Billing dashboard (top-up and payment links)', url: '/d/wa-billing' }],
    annotations: [
      qualityChanges(F.phone),
      statusChanges(F.phone),
      tierChanges(F.business),
      templatesPaused(F.waba),
      topUps(F.account),
    ],
    rows: [
      { title: 'Fleet', panels: fleetPanels() },
      { title: 'Worst first', panels: worstFirstPanels() },
      { title: 'Credit', panels: creditPanels() },
      {
        title: 'Quality and messaging limit',
        panels: [
          timeseries({
            title: 'Quality ratings over time',
            description: `Selected numbers per quality rating (whatsapp_phone_number_quality_rating), stacked: a wave of YELLOW or RED shows here before the tables. YELLOW for ${A.WhatsAppQualityRatingYellow.for} and RED for ${A.WhatsAppQualityRatingRed.for} alert per number; one number's history is on the Phone number dashboard.`,
            unit: 'short',
            queries: [
              {
                expr: `count by (rating) (whatsapp_phone_number_quality_rating{${F.phone}} == 1)`,
                legend: '{{rating}}',
              },
            ],
            overrides: QUALITY_COLORS,
            stack: true,
            decimals: 0,
            min: 0,
            w: 12,
            h: 8,
            links: [
              { title: 'Runbook: quality YELLOW', url: runbook('WhatsAppQualityRatingYellow') },
              { title: 'Runbook: quality RED', url: runbook('WhatsAppQualityRatingRed') },
            ],
          }),
          stat({
            title: 'Portfolios by messaging limit tier',
            description:
              "Selected business portfolios per messaging-limit tier (whatsapp_messaging_limit_tier state set): unique customers per rolling 24h, shared by all of a portfolio's numbers.",
            unit: 'short',
            queries: [
              {
                expr: `count by (tier) (max by (business_id, tier) (whatsapp_messaging_limit_tier{${F.business}}) == 1)`,
                legend: '{{tier}}',
              },
            ],
            text: 'value_and_name',
            color: 'none',
            w: 12,
            h: 8,
            links: [{ title: 'Runbook: limit decreased', url: runbook('WhatsAppMessagingLimitDecreased') }],
          }),
        ],
      },
      {
        title: 'Alerts',
        panels: [
          table({
            title: 'Active alerts',
            description:
              'WhatsApp alerts that are firing or pending (Prometheus ALERTS series; pending = condition true, waiting for its `for:` duration), counted per alert and state for the selected portfolios (alerts without a portfolio, such as billing and exporter alerts, always count). Firing rows first; the alert name links to its runbook section. Which numbers: the Worst first tables and the Phone number dashboard.',
            unit: 'short',
            queries: [
              {
                expr: 'count by (alertname, severity, alertstate) (ALERTS{alertname=~"WhatsApp.*", business_id=~"$business_id|"})',
              },
            ],
            rename: { Value: 'Alerts' },
            order: ['alertstate', 'severity', 'alertname', 'Alerts'],
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

const PHONE_LINK = {
  title: 'Phone number dashboard',
  url: '/d/wa-phone-number?var-business_id=${__data.fields.business_id}&var-waba_id=${__data.fields.waba_id}&var-phone_number_id=${__value.raw}&${__url_time_range}',
  targetBlank: false,
};

/** Columns of the per-number top-N tables, in this order; the value column is the sort key, hidden. */
const NUMBER_COLUMNS = ['display_phone_number', 'verified_name'];
const NUMBER_IDS = ['phone_number_id', 'waba_id', 'business_id'];
const NUMBER_RENAME = { display_phone_number: 'Number', verified_name: 'Name' };

/** Joins display number and verified name to a per-number vector (inside the topk: its order survives). */
function withNames(expr: string): string {
  return `${expr}\n* on (${NUMBER_ID}) group_left (display_phone_number, verified_name)\nmax by (${NUMBER_ID}, display_phone_number, verified_name) (whatsapp_phone_number_info{${F.phone}})`;
}

/** The fleet in numbers: each panel is a count or a minimum, a handful of series whatever the fleet's size. */
function fleetPanels() {
  const numbers = `whatsapp_phone_number_info{${F.phone}}`;
  const utilization = `business_id:whatsapp_messaging_limit_utilization:ratio{${F.business}}`;
  const balance = `max by (account, currency) (whatsapp_credit_balance{${F.account}})`;
  const below = (level: string) =>
    countOrZero(
      `${balance}\n  < on (account, currency)\n  max by (account, currency) (whatsapp_credit_balance_alert_threshold{${F.account}, level="${level}"})`,
      `whatsapp_credit_balance{${F.account}}`,
    );
  const templates = (status: string) =>
    `sum(whatsapp_message_templates{${F.wabaSum}, status="${status}"})\nor\n0 * sum(whatsapp_message_templates{${F.wabaSum}})`;
  const zeroRed = steps(['green', null], ['red', 1]);
  const zeroOrange = steps(['green', null], ['orange', 1]);
  return [
    stat({
      title: 'Numbers by quality rating',
      description:
        "Selected numbers per current quality rating (whatsapp_phone_number_quality_rating). UNKNOWN = not rated yet (Meta's NA); other names are values this exporter version does not know. Which numbers: Worst first › Numbers not GREEN.",
      unit: 'short',
      queries: [
        { expr: `count by (rating) (whatsapp_phone_number_quality_rating{${F.phone}} == 1)`, legend: '{{rating}}' },
      ],
      overrides: QUALITY_COLORS,
      thresholds: steps(['text', null]),
      text: 'value_and_name',
      w: 8,
      h: 4,
      links: [{ title: 'Runbook: quality RED', url: runbook('WhatsAppQualityRatingRed') }],
    }),
    stat({
      title: 'Numbers not connected',
      description: `Selected numbers whose status is not ${NOT_CONNECTED.okStatuses.join(' or ')} (whatsapp_phone_number_status); for ${NOT_CONNECTED.for} ${VERB[NOT_CONNECTED.severity]} per number. Which: Worst first › Numbers that cannot send.`,
      unit: 'short',
      queries: [
        {
          expr: countOrZero(
            `max by (${NUMBER_ID}) (whatsapp_phone_number_status{${F.phone}, status!~"${NOT_CONNECTED.okStatuses.join('|')}"} == 1)`,
            numbers,
          ),
          legend: 'not connected',
        },
      ],
      thresholds: zeroRed,
      w: 4,
      h: 4,
      links: [{ title: 'Runbook: not connected', url: runbook('WhatsAppPhoneNumberNotConnected') }],
    }),
    stat({
      title: 'Numbers that cannot send freely',
      description:
        'Selected numbers whose sending health (health_status.can_send_message, whatsapp_phone_number_health) is LIMITED or BLOCKED. Which: Worst first › Numbers that cannot send.',
      unit: 'short',
      queries: ['BLOCKED', 'LIMITED'].map((state) => ({
        expr: countOrZero(
          `max by (${NUMBER_ID}) (whatsapp_phone_number_health{${F.phone}, state="${state}"} == 1)`,
          numbers,
        ),
        legend: state,
      })),
      thresholds: zeroOrange,
      text: 'value_and_name',
      w: 4,
      h: 4,
      links: [{ title: 'Runbook: sending blocked', url: runbook('WhatsAppSendingBlocked') }],
    }),
    stat({
      title: 'Portfolios near their messaging limit',
      description: `Selected business portfolios above ${pct(LIMIT_HIGH.ratio)} of their messaging limit (business_id:whatsapp_messaging_limit_utilization:ratio), where WhatsAppMessagingLimitUsageHigh ${VERB[LIMIT_HIGH.severity]}. Which: Worst first › Messaging-limit utilization, highest.`,
      unit: 'short',
      queries: [{ expr: countOrZero(`${utilization} > ${LIMIT_HIGH.ratio}`, utilization), legend: 'portfolios' }],
      thresholds: zeroOrange,
      w: 4,
      h: 4,
      links: [{ title: 'Runbook: messaging limit', url: runbook('WhatsAppMessagingLimitUsageHigh') }],
    }),
    stat({
      title: 'Templates paused or disabled',
      description:
        'Message templates of the selected portfolios that are PAUSED or DISABLED (whatsapp_message_templates): sends with them fail (132015 / 132016). Which: the Delivery dashboard.',
      unit: 'short',
      queries: ['PAUSED', 'DISABLED'].map((status) => ({ expr: templates(status), legend: status })),
      thresholds: zeroOrange,
      text: 'value_and_name',
      w: 4,
      h: 4,
      links: [{ title: 'Runbook: template paused', url: runbook('WhatsAppTemplatePaused') }],
    }),
    stat({
      title: 'Accounts low on credit',
      description: `Selected billing accounts whose balance is below their configured low or critical threshold (whatsapp_credit_balance, whatsapp_credit_balance_alert_threshold); below low, WhatsAppCreditBalanceLow ${VERB[A.WhatsAppCreditBalanceLow.severity]}. Which: Credit › Headroom over low threshold.`,
      unit: 'short',
      queries: [
        { expr: below('low'), legend: 'below low' },
        { expr: below('critical'), legend: 'below critical' },
      ],
      thresholds: zeroRed,
      text: 'value_and_name',
      w: 6,
      h: 4,
      links: [{ title: 'Runbook: low balance', url: runbook('WhatsAppCreditBalanceLow') }],
    }),
    stat({
      title: 'Shortest runway',
      description: `The shortest time to zero credit of the selected billing accounts at the spend rate of the last ${SPEND_WINDOW} (account_currency:whatsapp_credit_runway:days, capped at ${RUNWAY_CAP_DAYS} days). Which account: Worst first › Lowest runway.`,
      unit: 'd',
      queries: [
        {
          expr: `min(clamp_max(account_currency:whatsapp_credit_runway:days{${F.account}}, ${RUNWAY_CAP_DAYS}))`,
          legend: 'shortest runway',
        },
      ],
      thresholds: RUNWAY_STEPS,
      mappings: RUNWAY_MAPPINGS,
      decimals: 1,
      w: 6,
      h: 4,
      links: [{ title: 'Runbook: runway short', url: runbook('WhatsAppCreditBalanceRunwayShort') }],
    }),
    stat({
      title: 'Access tokens expiring or invalid',
      description: `Access tokens that expire within ${durationWords(EXPIRY.within)} (whatsapp_access_token_expiry_timestamp_seconds) and tokens that introspection reports invalid (whatsapp_access_token_valid). Which: the Exporter dashboard.`,
      unit: 'short',
      queries: [
        {
          expr: countOrZero(
            `min by (credential) (whatsapp_access_token_expiry_timestamp_seconds) - time() < ${durationSeconds(EXPIRY.within)}`,
            'whatsapp_access_token_expiry_timestamp_seconds',
          ),
          legend: `expiring within ${EXPIRY.within}`,
        },
        {
          expr: countOrZero('min by (credential) (whatsapp_access_token_valid) == 0', 'whatsapp_access_token_valid'),
          legend: 'invalid',
        },
      ],
      thresholds: zeroRed,
      text: 'value_and_name',
      w: 6,
      h: 4,
      links: [{ title: 'Runbook: token expiring', url: runbook('WhatsAppAccessTokenExpiringSoon') }],
    }),
    stat({
      title: 'Source targets failing or stale',
      description:
        "The exporter's refresh targets (one per source and business, WABA or billing account) whose last refresh failed, or whose data is older than 2 refresh intervals (whatsapp_exporter_source_targets). Which: the Exporter dashboard.",
      unit: 'short',
      queries: [
        {
          expr: 'sum by (state) (whatsapp_exporter_source_targets{state=~"failing|stale"})',
          legend: '{{state}}',
        },
      ],
      thresholds: zeroOrange,
      text: 'value_and_name',
      w: 6,
      h: 4,
      links: [{ title: 'Runbook: source failing', url: runbook('WhatsAppExporterSourceFailing') }],
    }),
  ];
}

/** Top-N: each table or bar gauge is bounded by its query (topk/bottomk), not by a Grafana transform. */
function worstFirstPanels() {
  const failureRatio = `business_id:whatsapp_message_failure:ratio30m{${F.business}}`;
  const numberTable = (o: {
    title: string;
    description: string;
    expr: string;
    /** The label columns that say what is wrong, and their headers. */
    columns: string[];
    rename: Record<string, string>;
    mapping: Record<string, [string, string]>;
    /** Color of values the mapping does not name. */
    other: string;
    runbookLink: { title: string; url: string };
  }) =>
    table({
      title: o.title,
      description: o.description,
      unit: 'string',
      queries: [{ expr: o.expr }],
      hide: ['Value'],
      order: [...NUMBER_COLUMNS, ...o.columns, ...NUMBER_IDS],
      rename: { ...NUMBER_RENAME, ...o.rename },
      overrides: [
        ...o.columns.map((c) =>
          column(o.rename[c] ?? c, {
            custom: { cellOptions: { type: 'color-text' } },
            mappings: [valueMap(o.mapping)],
            color: { mode: 'fixed', fixedColor: o.other },
          }),
        ),
        column('phone_number_id', { links: [PHONE_LINK] }),
      ],
      w: 12,
      h: 9,
      links: [o.runbookLink],
    });
  return [
    table({
      title: 'Lowest runway',
      description: `The ${TOP_SERIES} selected billing accounts that run out of credit first at the spend rate of the last ${SPEND_WINDOW} (account_currency:whatsapp_credit_runway:days; "≥ 1 year" when nothing was spent; basis = what the rate comes from: statement, balance or estimate).`,
      unit: 'd',
      queries: [
        {
          expr: `sort(bottomk(${TOP_SERIES}, clamp_max(account_currency:whatsapp_credit_runway:days{${F.account}}, ${RUNWAY_CAP_DAYS})))`,
        },
      ],
      rename: { Value: 'Runway' },
      order: ['account', 'currency', 'Runway', 'basis'],
      overrides: [
        column('Runway', {
          decimals: 1,
          mappings: RUNWAY_MAPPINGS,
          thresholds: { mode: 'absolute', steps: RUNWAY_STEPS.map(([color, value]) => ({ color, value })) },
          custom: { cellOptions: { type: 'color-text' } },
        }),
        column('account', {
          links: [
            {
              title: 'Billing for ${__value.raw}',
              url: '/d/wa-billing?var-account=${__value.raw}&${__url_time_range}',
              targetBlank: false,
            },
          ],
        }),
      ],
      w: 8,
      h: 8,
      links: [{ title: 'Runbook: runway short', url: runbook('WhatsAppCreditBalanceRunwayShort') }],
    }),
    barGauge({
      title: 'Messaging-limit utilization, highest',
      description: `The ${TOP_SERIES} selected business portfolios that used the largest share of their messaging limit: unique customers messaged outside a service window in the rolling 24h (business_id:whatsapp_messaging_limit_utilization:ratio). ${capitalized(LIMIT_HIGH.severity)} at ${pct(LIMIT_HIGH.ratio)}, ${LIMIT_CRITICAL.severity} at ${pct(LIMIT_CRITICAL.ratio)}; 0 for unlimited portfolios.`,
      unit: 'percentunit',
      queries: [
        {
          expr: `sort_desc(topk(${TOP_SERIES}, business_id:whatsapp_messaging_limit_utilization:ratio{${F.business}}))`,
          legend: '{{business_id}}',
        },
      ],
      thresholds: steps(['green', null], ['orange', LIMIT_HIGH.ratio], ['red', LIMIT_CRITICAL.ratio]),
      min: 0,
      max: 1,
      w: 8,
      h: 8,
      links: [{ title: 'Runbook: messaging limit', url: runbook('WhatsAppMessagingLimitUsageHigh') }],
    }),
    barGauge({
      title: 'Failure ratio, highest',
      description: `The ${TOP_SERIES} selected business portfolios with the highest share of failed messages over 30 minutes (failed / (sent + failed), business_id:whatsapp_message_failure:ratio30m; portfolios without messages have no ratio). Above ${pct(FAILURES.ratio)} with at least ${FAILURES.minMessages} messages for ${FAILURES.for} ${VERB[FAILURES.severity]}.`,
      unit: 'percentunit',
      queries: [{ expr: `sort_desc(topk(${TOP_SERIES}, ${failureRatio} >= 0))`, legend: '{{business_id}}' }],
      thresholds: steps(['green', null], ['red', FAILURES.ratio]),
      min: 0,
      max: 1,
      w: 8,
      h: 8,
      links: [{ title: 'Runbook: failure rate high', url: runbook('WhatsAppMessageFailureRateHigh') }],
    }),
    numberTable({
      title: 'Numbers not GREEN',
      description: `Up to ${TOP_ROWS} selected numbers whose quality rating is not GREEN (whatsapp_phone_number_quality_rating): RED first, then YELLOW, then UNKNOWN (not rated yet) and values this exporter version does not know. How many there are: Fleet › Numbers by quality rating. The number id opens its dashboard.`,
      expr: `sort_desc(topk(${TOP_ROWS},\n${withNames(
        `max by (${NUMBER_ID}, rating) (\n    (whatsapp_phone_number_quality_rating{${F.phone}, rating="RED"} == 1) * 3\n  or (whatsapp_phone_number_quality_rating{${F.phone}, rating="YELLOW"} == 1) * 2\n  or whatsapp_phone_number_quality_rating{${F.phone}, rating!~"GREEN|YELLOW|RED"} == 1\n)`,
      )}\n))`,
      columns: ['rating'],
      rename: { rating: 'Quality' },
      mapping: { RED: ['RED', 'red'], YELLOW: ['YELLOW', 'yellow'], UNKNOWN: ['UNKNOWN', 'text'] },
      other: 'text',
      runbookLink: { title: 'Runbook: quality RED', url: runbook('WhatsAppQualityRatingRed') },
    }),
    numberTable({
      title: 'Numbers that cannot send',
      description: `Up to ${TOP_ROWS} selected numbers that are not connected (status other than ${NOT_CONNECTED.okStatuses.join(' or ')}), then those whose sending health is BLOCKED, then LIMITED (whatsapp_phone_number_status, whatsapp_phone_number_health); a number with both has a row for each. How many: Fleet › Numbers not connected, Numbers that cannot send freely. The number id opens its dashboard.`,
      expr: `sort_desc(topk(${TOP_ROWS},\n${withNames(
        `(\n    max by (${NUMBER_ID}, status) (whatsapp_phone_number_status{${F.phone}, status!~"${NOT_CONNECTED.okStatuses.join('|')}"} == 1) * 3\n  or max by (${NUMBER_ID}, state) (whatsapp_phone_number_health{${F.phone}, state="BLOCKED"} == 1) * 2\n  or max by (${NUMBER_ID}, state) (whatsapp_phone_number_health{${F.phone}, state="LIMITED"} == 1)\n)`,
      )}\n))`,
      columns: ['status', 'state'],
      rename: { status: 'Status', state: 'Health' },
      mapping: { BLOCKED: ['BLOCKED', 'red'], LIMITED: ['LIMITED', 'orange'] },
      other: 'red',
      runbookLink: { title: 'Runbook: not connected', url: runbook('WhatsAppPhoneNumberNotConnected') },
    }),
    table({
      title: 'Numbers failing most',
      description: `The ${TOP_SERIES} selected numbers with the most failed messages per second (whatsapp_message_errors_total, per number at every aggregate_by grain). The number id opens its dashboard, with the failures by error code.`,
      unit: 'cps',
      queries: [
        {
          expr: `sort_desc(topk(${TOP_SERIES},\n${withNames(
            `sum by (${NUMBER_ID}) (rate(whatsapp_message_errors_total{${F.phone}}[$__rate_interval]))`,
          )}\n))`,
        },
      ],
      rename: { ...NUMBER_RENAME, Value: 'Failures' },
      order: [...NUMBER_COLUMNS, 'Failures', ...NUMBER_IDS],
      overrides: [column('phone_number_id', { links: [PHONE_LINK] }), column('Failures', { decimals: 3 })],
      w: 24,
      h: 8,
      links: [{ title: 'Runbook: failure rate high', url: runbook('WhatsAppMessageFailureRateHigh') }],
    }),
  ];
}

/**
 * Money per billing account. A fleet may have an account per client, so each panel shows the
 * accounts that need a look first, per currency (money is never compared across currencies).
 */
function creditPanels() {
  const balance = `max by (account, currency) (whatsapp_credit_balance{${F.account}})`;
  const lowest = (n: number) => `bottomk by (currency) (${n}, ${balance})`;
  return [
    stat({
      title: 'Credit balance',
      description: `Prepaid messaging credit left (whatsapp_credit_balance): the ${TOP_SERIES} selected billing accounts with the least, per currency. Red below the account's configured low threshold is shown by "Headroom over low threshold"; the top-up and payment links are on the Billing dashboard.`,
      unit: MONEY_UNIT,
      queries: [{ expr: lowest(TOP_SERIES), legend: '{{account}} ({{currency}})' }],
      overrides: moneyOverrides(),
      sparkline: true,
      w: 8,
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
      description: `Balance minus the account's configured \`low\` threshold (whatsapp_credit_balance_alert_threshold{level="low"}): the ${TOP_SERIES} selected accounts with the least, per currency. Below zero, WhatsAppCreditBalanceLow ${VERB[A.WhatsAppCreditBalanceLow.severity]}.`,
      unit: MONEY_UNIT,
      queries: [
        {
          expr: `bottomk by (currency) (${TOP_SERIES},\n  ${balance}\n  - on (account, currency)\n  max by (account, currency) (whatsapp_credit_balance_alert_threshold{${F.account}, level="low"})\n)`,
          legend: '{{account}} ({{currency}})',
        },
      ],
      overrides: moneyOverrides(),
      thresholds: steps(['red', null], ['green', 0]),
      color: 'background',
      w: 8,
      h: 6,
      links: [{ title: 'Runbook: low balance', url: runbook('WhatsAppCreditBalanceLow') }],
    }),
    stat({
      title: 'Spend rate (per day)',
      description: `Money spent per day at the average rate of the last ${SPEND_WINDOW} (account_currency:whatsapp_credit_spend:rate6h × 86400), from statement debits, balance falls or the delivery estimate: the ${TOP_SERIES} selected accounts that spend most, per currency.`,
      unit: MONEY_UNIT,
      queries: [
        {
          expr: `topk by (currency) (${TOP_SERIES}, account_currency:whatsapp_credit_spend:rate6h{${F.account}} * 86400)`,
          legend: '{{account}} ({{currency}})',
        },
      ],
      overrides: moneyOverrides(),
      sparkline: true,
      w: 8,
      h: 6,
    }),
    timeseries({
      title: 'Balance and alert thresholds',
      description: `Credit balance with its configured low and critical thresholds (dashed) for the ${BALANCE_GRAPH_ACCOUNTS} selected accounts with the least credit, per currency. Each currency is its own series; money is never added across currencies.`,
      unit: MONEY_UNIT,
      queries: [
        { expr: lowest(BALANCE_GRAPH_ACCOUNTS), legend: '{{account}} ({{currency}})' },
        {
          expr: `max by (account, currency, level) (whatsapp_credit_balance_alert_threshold{${F.account}})\nand on (account, currency)\n${lowest(BALANCE_GRAPH_ACCOUNTS)}`,
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
    metaCost24hByCategory({
      description:
        'Cost of the last 24h per pricing category from Meta pricing analytics (whatsapp_pricing_cost_24h), summed over the selected WABAs per currency. Approximate and delayed by Meta.',
      filter: F.wabaSum,
    }),
  ];
}

/** Accounts in the balance graph: each brings its two threshold lines. */
const BALANCE_GRAPH_ACCOUNTS = 5;
