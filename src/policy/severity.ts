/**
 * Alert severities, strongest first. Alertmanager routes on these exact values (see
 * SEVERITY_RECEIVERS), so a new one needs a route in alerts/alertmanager.yml as well.
 */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The receiver each severity reaches in the shipped Alertmanager examples (alerts/alertmanager.yml
 * and its demo copy). YAML cannot import this table, so test/policy checks the files against it
 * with `amtool config routes test`.
 */
export const SEVERITY_RECEIVERS: Readonly<Record<Severity, string>> = {
  critical: 'pager',
  warning: 'chat',
  info: 'null',
};

/** Negative when `a` is stronger than `b`: sorts critical before warning before info. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** The stronger of two outcomes; null means "no alert". */
export function worst(a: Severity | null, b: Severity | null): Severity | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareSeverity(a, b) <= 0 ? a : b;
}
