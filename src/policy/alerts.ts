import type { Severity } from './severity.js';

// The alert policy: severity, `for` duration and thresholds of every alert the project ships.
// alerts/generate.ts writes alerts/whatsapp.rules.yml from it, dashboards/src draws its lines and
// words from it, and the overview page (src/web/overview) classifies problems with the functions
// in classify.ts, which read the same numbers. Change a value here, run `npm run alerts:generate`
// and `npm run dashboards:generate`, and commit the regenerated files with it.
//
// Durations use Prometheus syntax ("30s", "5m", "1h", "1d"). A `for` of "0s" fires on the first
// evaluation where the condition holds. The page has no history, so it ignores `for` and shows a
// problem as soon as the condition holds: it can be early, never of a different severity.

/** Every alert the project ships. Names are a stable contract: people silence and route by them. */
export const ALERT_NAMES = [
  'WhatsAppCreditBalanceLow',
  'WhatsAppCreditBalanceExhausted',
  'WhatsAppCreditBalanceRunwayShort',
  'WhatsAppQualityRatingYellow',
  'WhatsAppQualityRatingRed',
  'WhatsAppPhoneNumberNotConnected',
  'WhatsAppSendingLimited',
  'WhatsAppSendingBlocked',
  'WhatsAppMessagingLimitUsageHigh',
  'WhatsAppMessagingLimitUsageCritical',
  'WhatsAppMessagingLimitDecreased',
  'WhatsAppTemplatePaused',
  'WhatsAppTemplateDisabled',
  'WhatsAppMessageFailureRateHigh',
  'WhatsAppMarketingPerUserLimitHit',
  'WhatsAppPaymentIssue',
  'WhatsAppAccessTokenExpiringSoon',
  'WhatsAppAccessTokenInvalid',
  'WhatsAppGraphApiRateLimitNear',
  'WhatsAppExporterDown',
  'WhatsAppExporterSourceFailing',
  'WhatsAppExporterDataStale',
  'WhatsAppWebhooksSilent',
  'WhatsAppWebhookSubscriptionMissing',
  'WhatsAppExporterConfigReloadFailed',
  'WhatsAppBusinessAccountRestricted',
  'WhatsAppCreditLineRevoked',
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];

/** What every alert has: who it reaches and how long its condition must hold first. */
export interface AlertBase {
  readonly severity: Severity;
  readonly for: string;
}

export interface AlertPolicy {
  /**
   * Balance below a configured threshold. `severity` is the account's paging line: below its
   * `critical` threshold, or below `low` when it has no `critical` one (the settings page's single
   * low-balance alert). Below `low` but not below `critical` is `aboveCriticalSeverity`.
   */
  WhatsAppCreditBalanceLow: AlertBase & { readonly aboveCriticalSeverity: Severity };
  /** Balance at or below `atOrBelow` (in the account's currency). */
  WhatsAppCreditBalanceExhausted: AlertBase & { readonly atOrBelow: number };
  /** Runway (balance / spend rate) below `runwayDays`, while the balance is still above the low threshold. */
  WhatsAppCreditBalanceRunwayShort: AlertBase & { readonly runwayDays: number };
  WhatsAppQualityRatingYellow: AlertBase;
  WhatsAppQualityRatingRed: AlertBase;
  /** Statuses that do not alert (CONNECTED, and PENDING while a number is being registered). */
  WhatsAppPhoneNumberNotConnected: AlertBase & { readonly okStatuses: readonly string[] };
  WhatsAppSendingLimited: AlertBase;
  WhatsAppSendingBlocked: AlertBase;
  /** Ratio 0..1 of unique recipients (24 h) to the portfolio messaging limit, strictly above `ratio`. */
  WhatsAppMessagingLimitUsageHigh: AlertBase & { readonly ratio: number };
  WhatsAppMessagingLimitUsageCritical: AlertBase & { readonly ratio: number };
  /** Current limit lower than the highest limit seen over `lookback`. */
  WhatsAppMessagingLimitDecreased: AlertBase & { readonly lookback: string };
  WhatsAppTemplatePaused: AlertBase;
  /** Template DISABLED now and had another status within `lookback`. */
  WhatsAppTemplateDisabled: AlertBase & { readonly lookback: string };
  /**
   * failed / (sent + failed) over the recording window above `ratio`, only when at least
   * `minMessages` messages were sent or failed in that window (a quiet WABA with 1 failure of 3
   * is noise, not an incident).
   */
  WhatsAppMessageFailureRateHigh: AlertBase & { readonly ratio: number; readonly minMessages: number };
  /**
   * Error 131049 / (marketing sends + 131049 errors) over `window` above `ratio`, with at least
   * `minMessages` marketing attempts in the window.
   */
  WhatsAppMarketingPerUserLimitHit: AlertBase & {
    readonly ratio: number;
    readonly window: string;
    readonly minMessages: number;
  };
  /** Any error 131042 within `window`. */
  WhatsAppPaymentIssue: AlertBase & { readonly window: string };
  /** Token expires in less than `within` (an expired token keeps firing until it is replaced). */
  WhatsAppAccessTokenExpiringSoon: AlertBase & { readonly within: string };
  WhatsAppAccessTokenInvalid: AlertBase;
  /** Any Graph API usage ratio (0..1) above `ratio`. */
  WhatsAppGraphApiRateLimitNear: AlertBase & { readonly ratio: number };
  WhatsAppExporterDown: AlertBase;
  WhatsAppExporterSourceFailing: AlertBase;
  /**
   * Last success older than `intervals` refresh intervals. Sources listed in `criticalSources` get
   * `criticalSourcesSeverity`; every other source gets `severity`.
   */
  WhatsAppExporterDataStale: AlertBase & {
    readonly intervals: number;
    readonly criticalSources: readonly string[];
    readonly criticalSourcesSeverity: Severity;
  };
  /** No webhook request for `silentFor`, although some arrived within `activeWithin`. */
  WhatsAppWebhooksSilent: AlertBase & { readonly silentFor: string; readonly activeWithin: string };
  /** Webhooks are configured and a polled WABA has no app subscribed to its webhooks. */
  WhatsAppWebhookSubscriptionMissing: AlertBase;
  /** whatsapp_exporter_config_last_reload_successful is 0: the running config is the previous one. */
  WhatsAppExporterConfigReloadFailed: AlertBase;
  /** The WABA's account_review_status is one of `statuses`, which stop it from sending. */
  WhatsAppBusinessAccountRestricted: AlertBase & { readonly statuses: readonly string[] };
  /** A Meta credit line (provider meta_credit_line) reports `is_access_revoked`. */
  WhatsAppCreditLineRevoked: AlertBase;
}

/** Where ALERTS.md names a duration or threshold we use it; otherwise the choice is explained. */
export const ALERT_POLICY: AlertPolicy = {
  // Credit below the account's configured `low` threshold pages: by the time it is noticed in a
  // chat channel, business-initiated messages may already be failing.
  // With both thresholds, `low` reaches finance and chat in work hours and `critical` pages.
  WhatsAppCreditBalanceLow: { severity: 'critical', for: '5m', aboveCriticalSeverity: 'warning' },
  WhatsAppCreditBalanceExhausted: { severity: 'critical', for: '1m', atOrBelow: 0 },
  // The spend rate is the last 6 h's (or all the data there is, when less: see the recording rule);
  // 30m keeps one burst of sends in a short history from warning.
  WhatsAppCreditBalanceRunwayShort: { severity: 'warning', for: '30m', runwayDays: 1 },
  WhatsAppQualityRatingYellow: { severity: 'warning', for: '15m' },
  WhatsAppQualityRatingRed: { severity: 'critical', for: '5m' },
  WhatsAppPhoneNumberNotConnected: { severity: 'critical', for: '10m', okStatuses: ['CONNECTED', 'LINKED', 'PENDING'] },
  WhatsAppSendingLimited: { severity: 'warning', for: '15m' },
  WhatsAppSendingBlocked: { severity: 'critical', for: '5m' },
  WhatsAppMessagingLimitUsageHigh: { severity: 'warning', for: '10m', ratio: 0.8 },
  WhatsAppMessagingLimitUsageCritical: { severity: 'critical', for: '5m', ratio: 0.95 },
  // A decrease is a fact, not a trend; 10m only rides over a single odd poll.
  WhatsAppMessagingLimitDecreased: { severity: 'warning', for: '10m', lookback: '24h' },
  // Meta pauses for 3 h / 6 h; 5m rides over one odd poll without delaying the alert much.
  WhatsAppTemplatePaused: { severity: 'warning', for: '5m' },
  WhatsAppTemplateDisabled: { severity: 'critical', for: '5m', lookback: '24h' },
  WhatsAppMessageFailureRateHigh: { severity: 'warning', for: '10m', ratio: 0.05, minMessages: 100 },
  WhatsAppMarketingPerUserLimitHit: { severity: 'warning', for: '15m', ratio: 0.1, window: '1h', minMessages: 50 },
  // The condition is already a 10m window: fire at once.
  WhatsAppPaymentIssue: { severity: 'critical', for: '0s', window: '10m' },
  // Expiry is a fixed point in time; 1h only avoids flapping on a token being rotated.
  WhatsAppAccessTokenExpiringSoon: { severity: 'warning', for: '1h', within: '7d' },
  WhatsAppAccessTokenInvalid: { severity: 'critical', for: '5m' },
  WhatsAppGraphApiRateLimitNear: { severity: 'warning', for: '15m', ratio: 0.8 },
  WhatsAppExporterDown: { severity: 'critical', for: '5m' },
  WhatsAppExporterSourceFailing: { severity: 'warning', for: '15m' },
  // 3 intervals is the margin; 5m more avoids firing during a slow refresh that is about to land.
  // Stale billing data pages: the balance alerts are blind without it.
  WhatsAppExporterDataStale: {
    severity: 'warning',
    for: '5m',
    intervals: 3,
    criticalSources: ['billing', 'billing_bulk'],
    criticalSourcesSeverity: 'critical',
  },
  WhatsAppWebhooksSilent: { severity: 'warning', for: '5m', silentFor: '30m', activeWithin: '1d' },
  // Meta sends a WABA's webhooks only to subscribed apps: with none, its statuses, quality and
  // template events never arrive and the 24 h usage undercounts. Nothing stops sending, so it
  // warns; 15m rides over an unsubscribe/subscribe during an app change.
  WhatsAppWebhookSubscriptionMissing: { severity: 'warning', for: '15m' },
  // The exporter keeps running on the previous config, so nothing breaks now; the next restart would.
  WhatsAppExporterConfigReloadFailed: { severity: 'warning', for: '5m' },
  // Meta's account_review_status (Business Messaging API spec, WhatsAppBusinessAccount): RESTRICTED
  // and LIMIT_REACHED limit what the WABA may send; REJECTED means it failed review and cannot send.
  WhatsAppBusinessAccountRestricted: {
    severity: 'critical',
    for: '10m',
    statuses: ['REJECTED', 'RESTRICTED', 'LIMIT_REACHED'],
  },
  // A revoked line pays for nothing: the clients' paid messages fail until it is restored (131042).
  // Revocation is a fact, not a trend; 5m only rides over one odd poll.
  WhatsAppCreditLineRevoked: { severity: 'critical', for: '5m' },
};

/** Windows of the recording rules shared by alerts and dashboards. */
export interface RecordingWindows {
  /**
   * Spend rate window for `account_currency:whatsapp_credit_spend:rate6h` (the name keeps "6h").
   * The rate is the spend seen in the window divided by the time that spend covers (see
   * SPEND_BASES), so a history shorter than the window still gives the right rate.
   */
  readonly spendRateWindow: string;
  /** Failure ratio window for `waba_id:whatsapp_message_failure:ratio30m` (the name keeps "30m"). */
  readonly failureRatioWindow: string;
}

export const RECORDING_WINDOWS: RecordingWindows = {
  spendRateWindow: '6h',
  failureRatioWindow: '30m',
};

/**
 * Where an account's spend rate comes from, first one that has data in the window wins. Each basis
 * is a counter of money spent and a clock that says up to when it counted; the rate is
 * (increase of the counter) / (increase of its clock) over the window, the same on the page
 * (src/web/overview/spend.ts) and in the recording rule (alerts/generate.ts).
 * - statement: debit rows of the credit statement, timed by the newest row. Rows of any size (per
 *   message, 5-minute, daily) give the right rate as soon as two rows are in the window.
 * - balance: every fall of the polled balance, timed by the poll; a rise (a top-up, a refund) is not
 *   negative spend, it is left out.
 * - estimate: billable messages from webhooks priced with the rate card, for the businesses the
 *   account pays for (`business_ids`), timed by the exporter's clock.
 */
export const SPEND_BASES = ['statement', 'balance', 'estimate'] as const;

/** The estimate's windows, longest first: its rate is over the longest one its data fully covers. */
export const ESTIMATE_WINDOWS = ['6h', '1h', '15m'] as const;
export type SpendBasis = (typeof SPEND_BASES)[number];
