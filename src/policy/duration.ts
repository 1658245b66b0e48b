const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/**
 * Seconds in a Prometheus duration ("90s", "1h30m", "7d"). The policy writes durations the way
 * the rules file needs them; the overview page and dashboards convert them with this.
 */
export function durationSeconds(d: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let consumed = 0;
  for (const m of d.matchAll(re)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? NaN);
    consumed += m[0].length;
  }
  const whole = consumed === d.length && d.length > 0 && !Number.isNaN(total);
  if (!whole) throw new Error(`bad duration: ${JSON.stringify(d)}`);
  return total;
}
