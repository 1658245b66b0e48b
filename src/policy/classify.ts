import { ALERT_POLICY as A } from './alerts.js';
import { durationSeconds } from './duration.js';
import { worst, type Severity } from './severity.js';

// The alert conditions of alerts/generate.ts restated over plain values, for the overview page:
// each function returns the severity of the strongest alert the rules would fire for the same
// state (ignoring `for`), or null when none would. Comparisons copy the rules' operators exactly
// (`<` vs `<=`); test/policy/agreement.test.ts runs the generated rules through promtool on the
// same inputs and fails when the two drift apart.

/**
 * WhatsAppCreditBalanceExhausted (balance <= atOrBelow) and WhatsAppCreditBalanceLow: below the
 * `critical` threshold, or below `low` when there is no `critical` one, is the paging severity;
 * below `low` but not below `critical` is `aboveCriticalSeverity`.
 */
export function balanceSeverity(
  balance: number,
  low: number | null | undefined,
  critical?: number | null,
): Severity | null {
  const empty = A.WhatsAppCreditBalanceExhausted;
  const p = A.WhatsAppCreditBalanceLow;
  const exhausted = balance <= empty.atOrBelow ? empty.severity : null;
  const hasCritical = critical !== null && critical !== undefined;
  const belowCritical = hasCritical && balance < critical ? p.severity : null;
  const belowLow =
    low !== null && low !== undefined && balance < low ? (hasCritical ? p.aboveCriticalSeverity : p.severity) : null;
  return worst(exhausted, worst(belowCritical, belowLow));
}

/** WhatsAppBusinessAccountRestricted: a review status that stops the WABA from sending. */
export function reviewSeverity(status: string | null | undefined): Severity | null {
  const p = A.WhatsAppBusinessAccountRestricted;
  return status !== null && status !== undefined && p.statuses.includes(status) ? p.severity : null;
}

/**
 * WhatsAppWebhookSubscriptionMissing: no app subscribed to the WABA's webhooks while a webhook feed
 * is configured (null apps = unknown: Graph rejected the field or was not asked).
 */
export function subscriptionSeverity(apps: number | null | undefined, webhooksConfigured: boolean): Severity | null {
  return webhooksConfigured && apps === 0 ? A.WhatsAppWebhookSubscriptionMissing.severity : null;
}

/** WhatsAppCreditLineRevoked: the account's Meta credit line reports is_access_revoked (null = unknown). */
export function creditLineSeverity(accessRevoked: boolean | null | undefined): Severity | null {
  return accessRevoked === true ? A.WhatsAppCreditLineRevoked.severity : null;
}

/**
 * WhatsAppCreditBalanceRunwayShort: runway under `runwayDays`, only while the balance is above
 * zero and above the low threshold (at or below it the balance alerts say more). `days` is null
 * when nothing is being spent (the rule's runway is then +Inf).
 */
export function runwaySeverity(days: number | null, balance: number, low: number | null | undefined): Severity | null {
  const p = A.WhatsAppCreditBalanceRunwayShort;
  if (days === null || !(days < p.runwayDays)) return null;
  if (balance <= A.WhatsAppCreditBalanceExhausted.atOrBelow) return null;
  if (low !== null && low !== undefined && balance <= low) return null;
  return p.severity;
}

/** WhatsAppMessagingLimitUsageHigh / ...Critical: share of the messaging limit used, strictly above each ratio. */
export function limitSeverity(usageRatio: number | null): Severity | null {
  if (usageRatio === null) return null;
  const high = usageRatio > A.WhatsAppMessagingLimitUsageHigh.ratio ? A.WhatsAppMessagingLimitUsageHigh.severity : null;
  const critical = A.WhatsAppMessagingLimitUsageCritical;
  return worst(high, usageRatio > critical.ratio ? critical.severity : null);
}

/** WhatsAppQualityRatingYellow / ...Red. */
export function qualitySeverity(rating: string | null): Severity | null {
  if (rating === 'RED') return A.WhatsAppQualityRatingRed.severity;
  if (rating === 'YELLOW') return A.WhatsAppQualityRatingYellow.severity;
  return null;
}

/** WhatsAppSendingLimited / ...Blocked (health_status.can_send_message). */
export function healthSeverity(state: string | null): Severity | null {
  if (state === 'BLOCKED') return A.WhatsAppSendingBlocked.severity;
  if (state === 'LIMITED') return A.WhatsAppSendingLimited.severity;
  return null;
}

/** WhatsAppPhoneNumberNotConnected: any known status outside `okStatuses`. */
export function phoneStatusSeverity(status: string | null): Severity | null {
  const p = A.WhatsAppPhoneNumberNotConnected;
  return status === null || p.okStatuses.includes(status) ? null : p.severity;
}

/**
 * WhatsAppAccessTokenInvalid and WhatsAppAccessTokenExpiringSoon. `expiresInSeconds` is null for
 * a token that never expires; negative for one that already expired (the rule keeps firing).
 */
export function tokenSeverity(valid: boolean, expiresInSeconds: number | null): Severity | null {
  const invalid = valid ? null : A.WhatsAppAccessTokenInvalid.severity;
  const p = A.WhatsAppAccessTokenExpiringSoon;
  const soon = expiresInSeconds !== null && expiresInSeconds < durationSeconds(p.within) ? p.severity : null;
  return worst(invalid, soon);
}

/**
 * WhatsAppTemplatePaused / ...Disabled. The DISABLED rule fires only within `lookback` of the
 * change (it needs history); the page, which has none, reports a disabled template for as long
 * as it is disabled, with the same severity.
 */
export function templateSeverity(status: string | null): Severity | null {
  if (status === 'DISABLED') return A.WhatsAppTemplateDisabled.severity;
  if (status === 'PAUSED') return A.WhatsAppTemplatePaused.severity;
  return null;
}

/** WhatsAppExporterDataStale's condition: last success more than `intervals` refresh intervals ago (any one unit). */
export function isStale(age: number, interval: number): boolean {
  return age > A.WhatsAppExporterDataStale.intervals * interval;
}

/** The severity WhatsAppExporterDataStale has for this source. */
export function staleSeverity(source: string): Severity {
  const p = A.WhatsAppExporterDataStale;
  return p.criticalSources.includes(source) ? p.criticalSourcesSeverity : p.severity;
}

/** WhatsAppExporterDataStale (by source) and WhatsAppExporterSourceFailing (last refresh failed). */
export function sourceSeverity(source: string, stale: boolean, up: boolean | null): Severity | null {
  const failing = up === false ? A.WhatsAppExporterSourceFailing.severity : null;
  return worst(stale ? staleSeverity(source) : null, failing);
}

/** WhatsAppExporterConfigReloadFailed: the last reload failed (the page has no `for`). */
export function reloadSeverity(lastReloadOk: boolean | undefined): Severity | null {
  return lastReloadOk === false ? A.WhatsAppExporterConfigReloadFailed.severity : null;
}
