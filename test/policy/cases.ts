// The input table of the agreement test: one state per row, described twice, once as the page
// sees it (a snapshot) and once as Prometheus does (series). Rows sit on both sides of every
// threshold and on it exactly, where `<` and `<=` differ.
import type { Severity } from '../../src/policy/index.js';
import { HEALTH, PHONE_STATUS, QUALITY, REVIEW_STATUS, TIER_LIMIT } from '../../src/sources/graph/enums.js';
import {
  pageBalanceRunway,
  pageBilling,
  pageCreditLine,
  pageLimit,
  pagePhone,
  pageReload,
  pageReview,
  pageSubscription,
  pageSource,
  pageToken,
  type SourceState,
  type Thresholds,
} from './page.js';
import { constant, counter, EVAL_SECONDS, type RulesProbe, type Series } from './promtool.js';

export interface AgreementCase {
  readonly category: string;
  readonly name: string;
  readonly page: () => Severity | null;
  readonly rules: RulesProbe;
}

const DAY_S = 86_400;
const ACCOUNT = 'account="wallet",currency="USD"';
const PHONE_IDS = 'business_id="B1",waba_id="W1",phone_number_id="0001"';

function balanceSeries(balance: number, t: Thresholds): Series[] {
  const levels = Object.entries(t).filter(([, v]) => v !== undefined);
  return [
    { series: `whatsapp_credit_balance{${ACCOUNT}}`, values: constant(balance) },
    ...levels.map(([level, v]) => ({
      series: `whatsapp_credit_balance_alert_threshold{${ACCOUNT},level="${level}"}`,
      values: constant(v),
    })),
  ];
}

function balance(amount: number, t: Thresholds): AgreementCase {
  return {
    category: 'balance',
    name: `${amount} USD with thresholds ${JSON.stringify(t)}`,
    page: () => pageBilling('balance', amount, t),
    rules: { alerts: ['WhatsAppCreditBalanceLow', 'WhatsAppCreditBalanceExhausted'], series: balanceSeries(amount, t) },
  };
}

function runway(amount: number, spendPerDay: number, t: Thresholds): AgreementCase {
  const debits = {
    series: `whatsapp_credit_debits_total{${ACCOUNT},category="marketing"}`,
    values: counter(spendPerDay / DAY_S),
  };
  // Statement rows as they arrive: the newest row's time moves with the clock.
  const rowTime = {
    series: 'whatsapp_credit_statement_last_debit_timestamp_seconds{account="wallet"}',
    values: counter(1),
  };
  return {
    category: 'runway',
    name: `${amount} USD spending ${spendPerDay} per day, thresholds ${JSON.stringify(t)}`,
    page: () => pageBilling('runway', amount, t, spendPerDay),
    rules: { alerts: ['WhatsAppCreditBalanceRunwayShort'], series: [...balanceSeries(amount, t), debits, rowTime] },
  };
}

/**
 * The runway from the balance's falls, sampled every STEP like the rules' input: `fallAt(t)` is the
 * cumulative fall and `clockAt(t)` the time the balance last moved, t in seconds from 0 to EVAL_SECONDS.
 */
function balanceRunway(
  name: string,
  amount: number,
  t: Thresholds,
  fallAt: (t: number) => number,
  clockAt: (t: number) => number,
): AgreementCase {
  const times = Array.from({ length: EVAL_SECONDS / 900 + 1 }, (_, i) => i * 900);
  const series = (f: (t: number) => number) => times.map(f).join(' ');
  return {
    category: 'runway from the balance',
    name,
    page: () =>
      pageBalanceRunway(
        amount,
        t,
        times.map((x) => [EVAL_SECONDS - x, fallAt(x), EVAL_SECONDS - clockAt(x)] as const),
      ),
    rules: {
      alerts: ['WhatsAppCreditBalanceRunwayShort'],
      series: [
        ...balanceSeries(amount, t),
        { series: `whatsapp_credit_balance_decreases_total{${ACCOUNT}}`, values: series(fallAt) },
        { series: `whatsapp_credit_balance_timestamp_seconds{${ACCOUNT}}`, values: series(clockAt) },
      ],
    },
  };
}

/** A balance the provider updates once, at `stepAt`: the day's fall of `perDay`, and the clock jumps a day. */
const dailyStep = (perDay: number, stepAt: number) => ({
  fall: (x: number) => (x >= stepAt ? perDay : 0),
  clock: (x: number) => (x >= stepAt ? stepAt : stepAt - DAY_S),
});

function limit(tier: string, usage: number): AgreementCase {
  const max = TIER_LIMIT[tier];
  if (max === undefined) throw new Error(`unknown tier ${tier}`);
  return {
    category: 'messaging limit',
    name: `${usage} unique recipients on ${tier}`,
    page: () => pageLimit(tier, usage),
    rules: {
      alerts: ['WhatsAppMessagingLimitUsageHigh', 'WhatsAppMessagingLimitUsageCritical'],
      series: [
        { series: 'whatsapp_unique_recipients_24h{business_id="B1"}', values: constant(usage) },
        { series: 'whatsapp_messaging_limit{business_id="B1"}', values: constant(max) },
      ],
    },
  };
}

/** A state-set metric: one series per known state, 1 for the current one. */
function stateSet(metric: string, label: string, states: readonly string[], current: string): Series[] {
  return states.map((s) => ({
    series: `${metric}{${PHONE_IDS},${label}="${s}"}`,
    values: constant(s === current ? 1 : 0),
  }));
}

function quality(rating: string): AgreementCase {
  return {
    category: 'quality rating',
    name: rating,
    page: () => pagePhone({ qualityRating: rating }),
    rules: {
      alerts: ['WhatsAppQualityRatingYellow', 'WhatsAppQualityRatingRed'],
      series: stateSet('whatsapp_phone_number_quality_rating', 'rating', QUALITY, rating),
    },
  };
}

function status(s: string): AgreementCase {
  return {
    category: 'phone number status',
    name: s,
    page: () => pagePhone({ status: s }),
    rules: {
      alerts: ['WhatsAppPhoneNumberNotConnected'],
      series: stateSet('whatsapp_phone_number_status', 'status', PHONE_STATUS, s),
    },
  };
}

function health(state: string): AgreementCase {
  return {
    category: 'sending health',
    name: state,
    page: () => pagePhone({ health: state }),
    rules: {
      alerts: ['WhatsAppSendingLimited', 'WhatsAppSendingBlocked'],
      series: stateSet('whatsapp_phone_number_health', 'state', HEALTH, state),
    },
  };
}

function review(status: string): AgreementCase {
  return {
    category: 'WABA review status',
    name: status,
    page: () => pageReview(status),
    rules: {
      alerts: ['WhatsAppBusinessAccountRestricted'],
      series: REVIEW_STATUS.map((s) => ({
        series: `whatsapp_business_account_review_status{business_id="B1",waba_id="W1",status="${s}"}`,
        values: constant(s === status ? 1 : 0),
      })),
    },
  };
}

function subscription(apps: number | undefined, webhooksConfigured: boolean): AgreementCase {
  return {
    category: 'webhook subscription',
    name: `${apps ?? 'unknown'} apps, webhooks ${webhooksConfigured ? 'configured' : 'not configured'}`,
    page: () => pageSubscription(apps, webhooksConfigured),
    rules: {
      alerts: ['WhatsAppWebhookSubscriptionMissing'],
      series: [
        { series: 'whatsapp_webhooks_configured', values: constant(webhooksConfigured ? 1 : 0) },
        ...(apps === undefined
          ? []
          : [
              {
                series: 'whatsapp_business_account_subscribed_apps{business_id="B1",waba_id="W1"}',
                values: constant(apps),
              },
            ]),
      ],
    },
  };
}

function creditLine(revoked: boolean | undefined): AgreementCase {
  const flag =
    revoked === undefined
      ? []
      : [{ series: 'whatsapp_credit_line_access_revoked{account="wallet"}', values: constant(revoked ? 1 : 0) }];
  return {
    category: 'credit line',
    name: revoked === undefined ? 'is_access_revoked not reported' : `is_access_revoked ${revoked}`,
    page: () => pageCreditLine(revoked),
    rules: {
      alerts: ['WhatsAppCreditLineRevoked'],
      series: [{ series: `whatsapp_credit_balance{${ACCOUNT}}`, values: constant(500) }, ...flag],
    },
  };
}

function reload(ok: boolean): AgreementCase {
  return {
    category: 'config reload',
    name: ok ? 'succeeded' : 'failed',
    page: () => pageReload(ok),
    rules: {
      alerts: ['WhatsAppExporterConfigReloadFailed'],
      series: [
        { series: 'whatsapp_exporter_config_last_reload_successful{instance="a:9912"}', values: constant(ok ? 1 : 0) },
      ],
    },
  };
}

function token(valid: boolean, expiresInSeconds: number | null): AgreementCase {
  const expiry = expiresInSeconds === null ? Number.POSITIVE_INFINITY : EVAL_SECONDS + expiresInSeconds;
  const when = expiresInSeconds === null ? 'never expires' : `expires in ${expiresInSeconds / 3600} h`;
  return {
    category: 'token',
    name: `${valid ? 'valid' : 'invalid'}, ${when}`,
    page: () => pageToken(valid, expiresInSeconds),
    rules: {
      alerts: ['WhatsAppAccessTokenExpiringSoon', 'WhatsAppAccessTokenInvalid'],
      series: [
        { series: 'whatsapp_access_token_valid{credential="default"}', values: constant(valid ? 1 : 0) },
        { series: 'whatsapp_access_token_expiry_timestamp_seconds{credential="default"}', values: constant(expiry) },
      ],
    },
  };
}

function source(s: SourceState): AgreementCase {
  const labels = `source="${s.source}",target="t1"`;
  const lastSuccess =
    s.ageIntervals === null
      ? []
      : [
          {
            series: `whatsapp_exporter_source_last_success_timestamp_seconds{${labels}}`,
            values: constant(EVAL_SECONDS - s.ageIntervals * s.intervalSeconds),
          },
        ];
  const age = s.ageIntervals === null ? 'never succeeded' : `last success ${s.ageIntervals} intervals ago`;
  return {
    category: 'source freshness',
    name: `${s.source}, ${age}, ${s.up ? 'up' : 'failing'}`,
    page: () => pageSource(s),
    rules: {
      alerts: ['WhatsAppExporterDataStale', 'WhatsAppExporterSourceFailing'],
      series: [
        { series: `whatsapp_exporter_source_refresh_interval_seconds{${labels}}`, values: constant(s.intervalSeconds) },
        { series: `whatsapp_exporter_source_up{${labels}}`, values: constant(s.up ? 1 : 0) },
        ...lastSuccess,
      ],
    },
  };
}

const LOW_AND_CRITICAL = { low: 100, critical: 25 };
const H = 3600;

export const CASES: readonly AgreementCase[] = [
  ...[150, 100, 99.5, 60, 25, 20, 0.01, 0, -5].map((a) => balance(a, LOW_AND_CRITICAL)),
  balance(60, { low: 100 }),
  // Only a critical threshold configured: below it pages.
  balance(20, { critical: 25 }),
  balance(30, { critical: 25 }),
  balance(20, {}),
  balance(0, {}),

  runway(500, 250, LOW_AND_CRITICAL), // 2 days
  runway(500, 450, LOW_AND_CRITICAL), // 1.1 days
  runway(500, 600, LOW_AND_CRITICAL), // 0.83 days
  runway(500, 0, LOW_AND_CRITICAL), // no spend
  runway(120, 400, LOW_AND_CRITICAL), // 0.3 days, above the low threshold
  runway(100, 400, LOW_AND_CRITICAL), // at the low threshold: the balance alerts speak
  runway(90, 400, LOW_AND_CRITICAL), // below it
  runway(0, 400, {}), // used up
  runway(50, 400, {}), // no thresholds
  // From the balance: a steady fall, and a balance updated once a day (its fall over a day, not over
  // the minutes since the poll before: 5,000 at 1,440 a day is 3.5 days, not a short runway).
  balanceRunway(
    'steady 600 a day from 500',
    500,
    LOW_AND_CRITICAL,
    (x) => (x * 600) / DAY_S,
    (x) => x,
  ),
  balanceRunway(
    'steady 250 a day from 500',
    500,
    LOW_AND_CRITICAL,
    (x) => (x * 250) / DAY_S,
    (x) => x,
  ),
  balanceRunway(
    'daily update, 1,440 a day, 5,000 left',
    5000,
    LOW_AND_CRITICAL,
    dailyStep(1440, 3 * H).fall,
    dailyStep(1440, 3 * H).clock,
  ),
  balanceRunway(
    'daily update, 7,200 a day, 5,000 left',
    5000,
    LOW_AND_CRITICAL,
    dailyStep(7200, 3 * H).fall,
    dailyStep(7200, 3 * H).clock,
  ),

  ...[0, 199, 200, 201, 237, 238, 250, 300].map((u) => limit('TIER_250', u)),
  ...[800, 801, 950, 951].map((u) => limit('TIER_1K', u)),
  limit('TIER_UNLIMITED', 5_000),

  ...QUALITY.map(quality),
  ...PHONE_STATUS.map(status),
  ...HEALTH.map(health),
  ...REVIEW_STATUS.map(review),
  subscription(0, true),
  subscription(1, true),
  subscription(0, false),
  subscription(undefined, true),
  reload(true),
  reload(false),
  creditLine(true),
  creditLine(false),
  creditLine(undefined),

  token(true, null),
  token(true, 30 * DAY_S),
  token(true, 7 * DAY_S + 2 * H),
  token(true, 7 * DAY_S - 2 * H),
  token(true, 2 * DAY_S),
  token(true, 12 * H),
  token(true, -DAY_S),
  token(false, null),
  token(false, 2 * DAY_S),

  ...['graph_accounts', 'billing', 'billing_statement'].flatMap((name) => [
    source({ source: name, intervalSeconds: H, ageIntervals: 1, up: true }),
    source({ source: name, intervalSeconds: H, ageIntervals: 2.5, up: false }),
    source({ source: name, intervalSeconds: H, ageIntervals: 3.5, up: true }),
    source({ source: name, intervalSeconds: H, ageIntervals: 3.5, up: false }),
    source({ source: name, intervalSeconds: H, ageIntervals: 6, up: false }),
    source({ source: name, intervalSeconds: H, ageIntervals: null, up: false }),
  ]),
];
