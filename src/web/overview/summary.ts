import {
  compareSeverity,
  limitSeverity,
  phoneStatusSeverity,
  runwaySeverity,
  SEVERITIES,
  tokenSeverity,
} from '../../policy/index.js';
import type { BalanceLevel, Overview, Problem, Severity, SourceState } from './model.js';

/** Problems shown per group on the summary; the group links to the full, paged list. */
export const WORST_PER_GROUP = 5;

/**
 * The counts the page opens with (and /api/v1/overview answers): what a fleet looks like at a
 * glance. Buckets come from src/policy, so "near the limit" here is where the alert starts.
 */
export interface Summary {
  readonly numbers: {
    readonly total: number;
    /** GREEN, YELLOW, RED, UNKNOWN (and any new value Meta sends). */
    readonly byQuality: Readonly<Record<string, number>>;
    readonly byStatus: Readonly<Record<string, number>>;
    /** Numbers whose status alert fires (src/policy: PENDING, say, is not one): the phone problems' "status is …". */
    readonly statusAlerting: number;
  };
  readonly portfolios: {
    readonly total: number;
    /** By the severity the messaging-limit alerts have: critical, warning, ok, unknown (no limit or no usage). */
    readonly byLimit: Readonly<Record<'critical' | 'warning' | 'ok' | 'unknown', number>>;
  };
  readonly accounts: {
    readonly total: number;
    readonly byLevel: Readonly<Record<BalanceLevel, number>>;
    /** Accounts whose runway alert would fire. */
    readonly runwayShort: number;
    /** The account with the shortest known runway. */
    readonly shortestRunway: { readonly name: string; readonly days: number } | null;
  };
  readonly templates: { readonly paused: number; readonly disabled: number };
  readonly tokens: { readonly total: number; readonly invalid: number; readonly expiring: number };
  readonly sources: {
    readonly total: number;
    readonly byState: Readonly<Record<SourceState, number>>;
    /** Targets with a source problem (an alert would fire): failing, stale or dropped. */
    readonly alerting: number;
  };
}

export interface ProblemGroup {
  readonly kind: Problem['kind'];
  readonly count: number;
  readonly bySeverity: Readonly<Partial<Record<Severity, number>>>;
  /** The worst few: by severity, then by impact (more customers first), then by id. */
  readonly worst: readonly Problem[];
}

const bump = <K extends string>(r: Record<K, number>, k: K) => {
  r[k] = (r[k] ?? 0) + 1;
};

/** Pure: the view model → the counts. */
export function summarize(o: Overview): Summary {
  const byQuality: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const byLimit = { critical: 0, warning: 0, ok: 0, unknown: 0 };
  let numbers = 0;
  let statusAlerting = 0;
  let paused = 0;
  let disabled = 0;
  for (const b of o.businesses) {
    const s = b.limit.usageRatio === null ? 'unknown' : (limitSeverity(b.limit.usageRatio) ?? 'ok');
    byLimit[s === 'info' ? 'ok' : s] += 1;
    for (const w of b.wabas) {
      paused += w.templates?.byStatus.PAUSED ?? 0;
      disabled += w.templates?.byStatus.DISABLED ?? 0;
      for (const p of w.phones) {
        numbers += 1;
        bump(byQuality, p.quality);
        bump(byStatus, p.status ?? 'UNKNOWN');
        if (phoneStatusSeverity(p.status) !== null) statusAlerting += 1;
      }
    }
  }
  const byLevel: Record<BalanceLevel, number> = { ok: 0, low: 0, critical: 0, empty: 0, unknown: 0 };
  let runwayShort = 0;
  let shortest: Summary['accounts']['shortestRunway'] = null;
  for (const a of o.billing) {
    byLevel[a.level] += 1;
    const d = a.runway.days;
    if (a.balance && runwaySeverity(d, a.balance.amount, a.thresholds.low) !== null) runwayShort += 1;
    if (d !== null && (shortest === null || d < shortest.days)) shortest = { name: a.name, days: d };
  }
  const byState: Record<SourceState, number> = { ok: 0, pending: 0, failing: 0, throttled: 0, stale: 0, dropped: 0 };
  for (const s of o.sources) byState[s.state] += 1;
  const expiring = o.tokens.filter(
    (t) => t.valid && tokenSeverity(true, t.expiresInDays === null ? null : t.expiresInDays * 86_400) !== null,
  ).length;
  return {
    numbers: { total: numbers, byQuality, byStatus, statusAlerting },
    portfolios: { total: o.businesses.length, byLimit },
    accounts: { total: o.billing.length, byLevel, runwayShort, shortestRunway: shortest },
    templates: { paused, disabled },
    tokens: { total: o.tokens.length, invalid: o.tokens.filter((t) => !t.valid).length, expiring },
    sources: { total: o.sources.length, byState, alerting: o.problems.filter((p) => p.kind === 'source').length },
  };
}

/** Worst first: severity, then impact (unknown last), then id. */
export function compareProblems(a: Problem, b: Problem): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    (b.impact ?? -1) - (a.impact ?? -1) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Pure: problems → one group per kind, the group with the worst problem first, then the larger. */
export function groupProblems(problems: readonly Problem[], perGroup = WORST_PER_GROUP): ProblemGroup[] {
  const byKind = new Map<Problem['kind'], Problem[]>();
  for (const p of problems) {
    const list = byKind.get(p.kind) ?? [];
    list.push(p);
    byKind.set(p.kind, list);
  }
  const groups = [...byKind].map(([kind, list]): ProblemGroup => {
    const bySeverity: Partial<Record<Severity, number>> = {};
    for (const p of list) bySeverity[p.severity] = (bySeverity[p.severity] ?? 0) + 1;
    return { kind, count: list.length, bySeverity, worst: [...list].sort(compareProblems).slice(0, perGroup) };
  });
  const rank = (g: ProblemGroup) => SEVERITIES.findIndex((s) => (g.bySeverity[s] ?? 0) > 0);
  return groups.sort((a, b) => rank(a) - rank(b) || b.count - a.count || (a.kind < b.kind ? -1 : 1));
}
