import type { Config, SourceSettings } from '../config/config.js';
import { MAX_USAGE_SLOWDOWN } from '../config/defaults.js';

/**
 * The Graph budget as pure functions (README "Upstream cost", META-API §5.2). Meta charges each
 * sub-request to the WABA it reads, 200 calls per rolling hour per app and WABA without a
 * registered number. The configured intervals imply a cost per WABA per hour:
 *
 *   calls/h = 3600/templates + 2 × 3600/pricing   (+ 3600/accounts when the WABA is listed explicitly)
 *
 * (interval in seconds, a disabled source costs 0; portfolio listings are charged to the business,
 * not to each WABA). When that exceeds `budget_share × hourly_budget_per_waba`, every per-WABA
 * interval of that class is stretched by the same factor, so the plan lands exactly on the share.
 */
export interface PerWabaIntervals {
  readonly templatesMs?: number;
  readonly pricingMs?: number;
  /** Only for explicitly listed WABAs: their graph_accounts loop is a GET on the WABA. */
  readonly accountsMs?: number;
}

const perHour = (ms: number | undefined, calls: number) => (ms === undefined || ms <= 0 ? 0 : (calls * 3_600_000) / ms);

export function callsPerHourPerWaba(i: PerWabaIntervals): number {
  return perHour(i.templatesMs, 1) + perHour(i.pricingMs, 2) + perHour(i.accountsMs, 1);
}

/** ≥ 1: how much longer every per-WABA interval must get to fit the planned share of the budget. */
export function stretchFactor(callsPerHour: number, hourlyBudget: number, share: number): number {
  const allowed = hourlyBudget * share;
  return allowed > 0 && callsPerHour > allowed ? callsPerHour / allowed : 1;
}

export interface BudgetClass {
  readonly callsPerHour: number;
  readonly factor: number;
}

export interface DerivedBudget {
  /** WABAs found through a portfolio listing. */
  readonly portfolio: BudgetClass;
  /** WABAs listed under `wabas:` (one more GET per accounts interval). */
  readonly explicit: BudgetClass;
  readonly allowedPerHour: number;
}

export function deriveBudget(c: Config): DerivedBudget {
  const on = (s: SourceSettings) => (s.enabled ? s.intervalMs : undefined);
  const base = { templatesMs: on(c.sources.graph_templates), pricingMs: on(c.billing.metaPricing) };
  const klass = (i: PerWabaIntervals): BudgetClass => {
    const callsPerHour = callsPerHourPerWaba(i);
    return { callsPerHour, factor: stretchFactor(callsPerHour, c.graph.hourly_budget_per_waba, c.graph.budget_share) };
  };
  return {
    portfolio: klass(base),
    explicit: klass({ ...base, accountsMs: on(c.sources.graph_accounts) }),
    allowedPerHour: c.graph.hourly_budget_per_waba * c.graph.budget_share,
  };
}

/** Settings stretched by a factor; staleness grows with it so a slower loop is not called dead. */
export function stretch(s: SourceSettings, factor: number, stalenessIntervals: number): SourceSettings {
  if (factor <= 1) return s;
  const intervalMs = Math.ceil(s.intervalMs * factor);
  return { ...s, intervalMs, maxStalenessMs: Math.max(s.maxStalenessMs, intervalMs * stalenessIntervals) };
}

/**
 * Usage feedback: the multiplier of a loop's next delay for Meta's reported usage ratio (0..1) of
 * the objects it touches. 1 up to the threshold, then rising linearly to `max` at 100 %, so
 * the exporter backs off before Meta throttles it and speeds up again as usage falls.
 */
export function usageSlowdown(ratio: number | undefined, threshold: number, max: number = MAX_USAGE_SLOWDOWN): number {
  if (ratio === undefined || !(ratio > threshold)) return 1;
  if (threshold >= 1) return max;
  return Math.min(max, 1 + ((max - 1) * (Math.min(ratio, 1) - threshold)) / (1 - threshold));
}

/** Whether a group tick should skip a slowed-down loop: its next run is more than half an interval away. */
export function skipTick(notBefore: number | undefined, now: number, intervalMs: number): boolean {
  return notBefore !== undefined && now < notBefore - intervalMs / 2;
}
