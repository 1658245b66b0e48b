/**
 * Colour bands that have no alert behind them. They only tint dashboard panels, give an early
 * look before an alert line, or grade a number no alert watches. Nothing here may make the overview
 * page report a problem: the page's problems are the alerts' conditions (classify.ts), so a band
 * that should notify someone belongs in alerts.ts as an alert instead.
 */
export const DISPLAY_BANDS = {
  /** Runway panels: orange from the WhatsAppCreditBalanceRunwayShort line up to this many days. */
  runwayWatchDays: 3,
  /** Token expiry panel: red below this many seconds (the expiry alert itself stays a warning). */
  tokenUrgentSeconds: 86_400,
  /** Statement age panel: orange when the newest statement row is older than this (seconds). */
  statementAgeWatchSeconds: 172_800,
  /** Delivered / sent share on the phone-number dashboard: red below `low`, orange below `good`. */
  deliveredRatio: { low: 0.9, good: 0.97 },
} as const;

/** 0.8 → "80%": how the rules' annotations and the dashboards' descriptions print a ratio threshold. */
export const pct = (ratio: number): string => `${+(ratio * 100).toFixed(2)}%`;
