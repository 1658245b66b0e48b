/**
 * The policy table: alert severities, `for` durations and thresholds, the runbook URL, colour
 * bands without alerts, and the page's classifiers over them. Pure data and pure functions, no
 * I/O and no imports from the rest of src, so alerts/, dashboards/ and src/web can all use it.
 */
export {
  ALERT_NAMES,
  ALERT_POLICY,
  RECORDING_WINDOWS,
  ESTIMATE_WINDOWS,
  SPEND_BASES,
  type SpendBasis,
  type AlertBase,
  type AlertName,
  type AlertPolicy,
  type RecordingWindows,
} from './alerts.js';
export * from './classify.js';
export { CUSTOMER_ALERT_NAMES, CUSTOMER_ALERTS } from './customers.js';
export { DISPLAY_BANDS, pct } from './display.js';
export { durationSeconds } from './duration.js';
export { RUNBOOK_BASE_URL, runbookUrl } from './runbook.js';
export { compareSeverity, SEVERITIES, SEVERITY_RECEIVERS, worst, type Severity } from './severity.js';
