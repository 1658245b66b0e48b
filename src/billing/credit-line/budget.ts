import type { Config, SourceSettings } from '../../config/config.js';
import { CREDIT_LINE_HOURLY_BUDGET } from '../../config/defaults.js';

/** Graph sub-requests one refresh of a credit line costs (the line and its first page of shares: fetch.ts). */
export const CREDIT_LINE_CALLS_PER_REFRESH = 2;

/**
 * The credit-line APIs' own budget, as pure functions: Meta allows 5,000 requests per hour for
 * them (META-API §5.2), counted here for the app as a whole (the stricter reading). The configured
 * intervals of every meta_credit_line account imply
 *
 *   calls/h = Σ accounts CREDIT_LINE_CALLS_PER_REFRESH × 3600 / interval_s
 *
 * and when that exceeds `graph.budget_share × 5,000`, every credit-line interval is stretched by the
 * same factor (max_staleness with it), as the per-WABA budget does (src/poller/budget.ts).
 */
export function creditLineCallsPerHour(config: Config): number {
  return config.billing.accounts
    .filter((a) => a.creditLine)
    .reduce((n, a) => n + (CREDIT_LINE_CALLS_PER_REFRESH * 3_600_000) / a.intervalMs, 0);
}

export function creditLineStretch(config: Config): number {
  const allowed = CREDIT_LINE_HOURLY_BUDGET * config.graph.budget_share;
  const perHour = creditLineCallsPerHour(config);
  return perHour > allowed ? perHour / allowed : 1;
}

/** One account's settings after the stretch. */
export function creditLineSettings(config: Config, a: { intervalMs: number; maxStalenessMs: number }): SourceSettings {
  const factor = creditLineStretch(config);
  if (factor <= 1) return { enabled: true, intervalMs: a.intervalMs, maxStalenessMs: a.maxStalenessMs };
  const intervalMs = Math.ceil(a.intervalMs * factor);
  return {
    enabled: true,
    intervalMs,
    maxStalenessMs: Math.max(a.maxStalenessMs, intervalMs * config.poller.staleness_intervals),
  };
}
