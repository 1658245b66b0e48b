// The one place to change alert thresholds and durations.
//
// alerts/generate.ts turns this table into alerts/whatsapp.rules.yml. Change a number here, run
// `npx tsx alerts/generate.ts`, commit both files (CI runs `--check` and the promtool tests).
// Expressions live in generate.ts; users should never need to edit them.
//
// Durations use Prometheus syntax ("30s", "5m", "1h", "1d"). A `for` of "0s" means the alert
// fires on the first evaluation where its condition holds.

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
] as const;

export type AlertName = (typeof ALERT_NAMES)[number];

export interface AlertsConfig {
  /**
   * Label matchers that select the exporter's own scrape target in `up{...}` (WhatsAppExporterDown).
   * Use equality matchers only if you want `absent()` to carry them as labels.
   */
  exporterUpSelector: string;
  /** Base of every `runbook_url`; the anchor is the lower-cased alert name. */
  runbookBaseUrl: string;
  /** Windows of the recording rules shared by alerts and dashboards. */
  recording: {
    /** Spend rate window for `account_currency:whatsapp_credit_spend:rate6h` (the name keeps "6h"). */
    spendRateWindow: string;
    /** Failure ratio window for `waba_id:whatsapp_message_failure:ratio30m` (the name keeps "30m"). */
    failureRatioWindow: string;
  };
  alerts: {
    WhatsAppCreditBalanceLow: { for: string };
    /** Balance at or below `atOrBelow` (in the account's currency). */
    WhatsAppCreditBalanceExhausted: { for: string; atOrBelow: number };
    /** Runway (balance / spend rate) below `runwayDays`, while the balance is still above the low threshold. */
    WhatsAppCreditBalanceRunwayShort: { for: string; runwayDays: number };
    WhatsAppQualityRatingYellow: { for: string };
    WhatsAppQualityRatingRed: { for: string };
    /** Statuses that do not alert (CONNECTED, and PENDING while a number is being registered). */
    WhatsAppPhoneNumberNotConnected: { for: string; okStatuses: readonly string[] };
    WhatsAppSendingLimited: { for: string };
    WhatsAppSendingBlocked: { for: string };
    /** Ratio 0..1 of unique recipients (24 h) to the portfolio messaging limit. */
    WhatsAppMessagingLimitUsageHigh: { for: string; ratio: number };
    WhatsAppMessagingLimitUsageCritical: { for: string; ratio: number };
    /** Current limit lower than the highest limit seen over `lookback`. */
    WhatsAppMessagingLimitDecreased: { for: string; lookback: string };
    WhatsAppTemplatePaused: { for: string };
    /** Template DISABLED now and had another status within `lookback`. */
    WhatsAppTemplateDisabled: { for: string; lookback: string };
    /**
     * failed / (sent + failed) over the recording window above `ratio`, only when at least
     * `minMessages` messages were sent or failed in that window (a quiet WABA with 1 failure of 3
     * is noise, not an incident).
     */
    WhatsAppMessageFailureRateHigh: { for: string; ratio: number; minMessages: number };
    /**
     * Error 131049 / (marketing sends + 131049 errors) over `window` above `ratio`, with at least
     * `minMessages` marketing attempts in the window.
     */
    WhatsAppMarketingPerUserLimitHit: { for: string; ratio: number; window: string; minMessages: number };
    /** Any error 131042 within `window`. */
    WhatsAppPaymentIssue: { for: string; window: string };
    /** Token expires in less than `within`. */
    WhatsAppAccessTokenExpiringSoon: { for: string; within: string };
    WhatsAppAccessTokenInvalid: { for: string };
    /** Any Graph API usage ratio (0..1) above `ratio`. */
    WhatsAppGraphApiRateLimitNear: { for: string; ratio: number };
    WhatsAppExporterDown: { for: string };
    WhatsAppExporterSourceFailing: { for: string };
    /**
     * Last success older than `intervals` refresh intervals. Sources listed in `criticalSources`
     * page (severity critical); every other source is a warning.
     */
    WhatsAppExporterDataStale: { for: string; intervals: number; criticalSources: readonly string[] };
    /** No webhook request for `silentFor`, although some arrived within `activeWithin`. */
    WhatsAppWebhooksSilent: { for: string; silentFor: string; activeWithin: string };
  };
}

/** Defaults. Where ALERTS.md names a duration or threshold we use it; otherwise the choice is explained. */
export const alertsConfig: AlertsConfig = {
  exporterUpSelector: 'job="whatsapp-business-exporter"',
  runbookBaseUrl:
    'https://github.com/whatsapp-business-exporter/whatsapp-business-exporter/blob/main/alerts/runbook.md',
  recording: {
    spendRateWindow: '6h',
    failureRatioWindow: '30m',
  },
  alerts: {
    WhatsAppCreditBalanceLow: { for: '5m' },
    WhatsAppCreditBalanceExhausted: { for: '1m', atOrBelow: 0 },
    // The 6 h spend rate is already smooth; 30m keeps a burst of sends from paging-adjacent noise.
    WhatsAppCreditBalanceRunwayShort: { for: '30m', runwayDays: 1 },
    WhatsAppQualityRatingYellow: { for: '15m' },
    WhatsAppQualityRatingRed: { for: '5m' },
    WhatsAppPhoneNumberNotConnected: { for: '10m', okStatuses: ['CONNECTED', 'PENDING'] },
    WhatsAppSendingLimited: { for: '15m' },
    WhatsAppSendingBlocked: { for: '5m' },
    WhatsAppMessagingLimitUsageHigh: { for: '10m', ratio: 0.8 },
    WhatsAppMessagingLimitUsageCritical: { for: '5m', ratio: 0.95 },
    // A decrease is a fact, not a trend; 10m only rides over a single odd poll.
    WhatsAppMessagingLimitDecreased: { for: '10m', lookback: '24h' },
    // Meta pauses for 3 h / 6 h; 5m rides over one odd poll without delaying the alert much.
    WhatsAppTemplatePaused: { for: '5m' },
    WhatsAppTemplateDisabled: { for: '5m', lookback: '24h' },
    WhatsAppMessageFailureRateHigh: { for: '10m', ratio: 0.05, minMessages: 100 },
    WhatsAppMarketingPerUserLimitHit: { for: '15m', ratio: 0.1, window: '1h', minMessages: 50 },
    // The condition is already a 10m window: fire at once.
    WhatsAppPaymentIssue: { for: '0s', window: '10m' },
    // Expiry is a fixed point in time; 1h only avoids flapping on a token being rotated.
    WhatsAppAccessTokenExpiringSoon: { for: '1h', within: '7d' },
    WhatsAppAccessTokenInvalid: { for: '5m' },
    WhatsAppGraphApiRateLimitNear: { for: '15m', ratio: 0.8 },
    WhatsAppExporterDown: { for: '5m' },
    WhatsAppExporterSourceFailing: { for: '15m' },
    // 3 intervals is the margin; 5m more avoids firing during a slow refresh that is about to land.
    WhatsAppExporterDataStale: { for: '5m', intervals: 3, criticalSources: ['billing'] },
    WhatsAppWebhooksSilent: { for: '5m', silentFor: '30m', activeWithin: '1d' },
  },
};

/** Deep-partial overrides for renderRules() (tests and e2e shorten durations this way). */
export interface RulesOverrides {
  /** Replace every alert's `for:` (e.g. "0s" or "10s" in an end-to-end test). */
  forAll?: string;
  exporterUpSelector?: string;
  runbookBaseUrl?: string;
  recording?: Partial<AlertsConfig['recording']>;
  alerts?: { [K in AlertName]?: Partial<AlertsConfig['alerts'][K]> };
}

/** Applies overrides to the defaults without mutating them. */
export function resolveConfig(overrides: RulesOverrides = {}, base: AlertsConfig = alertsConfig): AlertsConfig {
  const alerts = { ...base.alerts } as Record<AlertName, { for: string }>;
  for (const name of ALERT_NAMES) {
    const patch = overrides.alerts?.[name];
    const merged = { ...base.alerts[name], ...(patch ?? {}) };
    if (overrides.forAll !== undefined) merged.for = overrides.forAll;
    alerts[name] = merged;
  }
  return {
    exporterUpSelector: overrides.exporterUpSelector ?? base.exporterUpSelector,
    runbookBaseUrl: overrides.runbookBaseUrl ?? base.runbookBaseUrl,
    recording: { ...base.recording, ...(overrides.recording ?? {}) },
    alerts: alerts as unknown as AlertsConfig['alerts'],
  };
}
