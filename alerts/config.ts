// The alert configuration alerts/generate.ts renders: the policy table (severities, `for`
// durations, thresholds, runbook URL, recording windows) from src/policy, which the dashboards and
// the overview page read too, plus the deployment choice below (how the exporter's own scrape
// target is selected). Change thresholds in src/policy/alerts.ts, then run `npm run alerts:generate`
// and commit both files (CI runs `--check` and the promtool tests). Expressions live in generate.ts;
// users should never need to edit them.
import {
  ALERT_NAMES,
  ALERT_POLICY,
  RECORDING_WINDOWS,
  RUNBOOK_BASE_URL,
  type AlertName,
  type AlertPolicy,
  type RecordingWindows,
} from '../src/policy/index.js';

export { ALERT_NAMES, type AlertName };

export interface AlertsConfig {
  /**
   * Label matchers that select the exporter's own scrape target in `up{...}` (WhatsAppExporterDown).
   * Use equality matchers only if you want `absent()` to carry them as labels.
   */
  exporterUpSelector: string;
  /** Base of every `runbook_url`; the anchor is the lower-cased alert name. */
  runbookBaseUrl: string;
  /** Windows of the recording rules shared by alerts and dashboards. */
  recording: RecordingWindows;
  /** Severity, `for` and thresholds per alert (documented field by field in src/policy/alerts.ts). */
  alerts: AlertPolicy;
}

/** The shipped configuration: the policy table as it is. */
export const alertsConfig: AlertsConfig = {
  exporterUpSelector: 'job="whatsapp-business-exporter"',
  runbookBaseUrl: RUNBOOK_BASE_URL,
  recording: RECORDING_WINDOWS,
  alerts: ALERT_POLICY,
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
    const forAll = overrides.forAll === undefined ? {} : { for: overrides.forAll };
    alerts[name] = { ...base.alerts[name], ...(overrides.alerts?.[name] ?? {}), ...forAll };
  }
  return {
    exporterUpSelector: overrides.exporterUpSelector ?? base.exporterUpSelector,
    runbookBaseUrl: overrides.runbookBaseUrl ?? base.runbookBaseUrl,
    recording: { ...base.recording, ...(overrides.recording ?? {}) },
    alerts: alerts as unknown as AlertsConfig['alerts'],
  };
}
