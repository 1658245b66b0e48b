import type { Config, SourceSettings } from '../config/config.js';
import type { AnySource, Target } from '../sources/types.js';
import { MAX_PAGES, MAX_USAGE_SLOWDOWN, MIN_PAGES_PER_REFRESH } from '../config/defaults.js';

/**
 * The Graph budget as pure functions (docs/sharding-and-budget.md "Upstream budget", META-API
 * §5.2). Meta charges each sub-request to the WABA it reads, 200 calls per rolling hour per app
 * and WABA without a registered number. Each source declares what one refresh of a WABA costs
 * (`traits.wabaCost`); the configured intervals then imply a cost per WABA per hour:
 *
 *   calls/h = Σ over sources of calls × 3600 / interval   (a disabled source costs 0)
 *
 * where a WABA found through a portfolio listing pays for the sources that poll every WABA, and
 * an explicitly listed WABA also for those that poll only listed WABAs (its own GET). Portfolio
 * listings are charged to the business, not to each WABA. When the cost exceeds
 * `budget_share × hourly_budget_per_waba`, every per-WABA interval of that class is stretched by
 * the same factor, so the plan lands exactly on the share.
 */
export interface WabaLoopCost {
  /** Interval of the loop; undefined or ≤ 0 = disabled. */
  readonly intervalMs?: number;
  /** Graph calls one refresh charges to the WABA. */
  readonly calls: number;
}

const perHour = (ms: number | undefined, calls: number) => (ms === undefined || ms <= 0 ? 0 : (calls * 3_600_000) / ms);

export function callsPerHourPerWaba(loops: readonly WabaLoopCost[]): number {
  return loops.reduce((n, l) => n + perHour(l.intervalMs, l.calls), 0);
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

/** A probe target for per-source settings (settings of per-WABA sources do not depend on the WABA). */
const ANY_WABA: Target = { id: '', kind: 'waba' };

export function deriveBudget(c: Config, sources: readonly AnySource[]): DerivedBudget {
  const every: WabaLoopCost[] = [];
  const explicitOnly: WabaLoopCost[] = [];
  for (const s of sources) {
    const cost = s.traits.wabaCost;
    if (!cost) continue;
    const st = s.settings(c, ANY_WABA);
    (cost.wabas === 'every' ? every : explicitOnly).push({
      intervalMs: st.enabled ? st.intervalMs : undefined,
      calls: cost.calls,
    });
  }
  const klass = (loops: readonly WabaLoopCost[]): BudgetClass => {
    const callsPerHour = callsPerHourPerWaba(loops);
    return { callsPerHour, factor: stretchFactor(callsPerHour, c.graph.hourly_budget_per_waba, c.graph.budget_share) };
  };
  return {
    portfolio: klass(every),
    explicit: klass([...every, ...explicitOnly]),
    allowedPerHour: c.graph.hourly_budget_per_waba * c.graph.budget_share,
  };
}

/** Whether a loop is charged to a WABA (and so stretched with the budget). */
export function chargedPerWaba(s: AnySource, t: Target): boolean {
  return s.traits.wabaCost !== undefined && t.kind === 'waba';
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

/**
 * Follow-up pages one refresh may read: the calls the planned share of Meta's hourly budget allows
 * in one interval (`hourly_budget_per_waba × budget_share × interval / 1 h`), at least
 * MIN_PAGES_PER_REFRESH and at most MAX_PAGES. A listing that needs more (a cursor that never ends)
 * fails as `too_large` after spending what the loop could spend in an interval anyway, instead of
 * 500 calls a refresh: with the defaults, 100 pages for the 5-minute and 30-minute loops, 500 at most.
 */
export function pagesPerRefresh(c: Config, intervalMs: number): number {
  const allowed = Math.floor((c.graph.hourly_budget_per_waba * c.graph.budget_share * intervalMs) / 3_600_000);
  return Math.min(MAX_PAGES, Math.max(MIN_PAGES_PER_REFRESH, allowed));
}
