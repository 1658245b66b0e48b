import { gauge, type Family, type Samples } from '../metrics/family.js';
import { exporterMetric } from '../metrics/names.js';
import type { SourceEntry } from '../poller/store.js';
import type { Collector } from './types.js';

/**
 * A target is stale once its last success is older than this many intervals: below the rules'
 * WhatsAppExporterDataStale threshold (3 intervals), so its per-target series exist before the
 * alert needs them.
 */
export const STALE_INTERVALS = 2;
/** Per-target rows per source at most (failing or stale targets; all when opted in). */
export const MAX_PROBLEM_TARGETS = 200;

export const TARGET_STATES = ['up', 'failing', 'stale', 'pending'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

export const SOURCE_TARGETS = gauge(
  exporterMetric('source_targets'),
  `Targets of each source by state: up, failing (last refresh failed), stale (no success for ${STALE_INTERVALS} intervals), pending (not tried yet).`,
  ['source', 'state'],
);
export const OLDEST_SUCCESS = gauge(
  exporterMetric('source_oldest_success_timestamp_seconds'),
  'Unix time of the oldest last success among the targets of this source.',
  ['source'],
);

const L = ['source', 'target'];
const SUBSET = `failing or stale targets (at most ${MAX_PROBLEM_TARGETS} per source)`;
export const SOURCE_UP = gauge(
  exporterMetric('source_up'),
  'Whether the last refresh of this source for this target succeeded.',
  L,
  { subset: SUBSET },
);
export const LAST_SUCCESS = gauge(
  exporterMetric('source_last_success_timestamp_seconds'),
  'Unix time of the last successful refresh.',
  L,
  { subset: SUBSET },
);
export const LAST_ATTEMPT = gauge(
  exporterMetric('source_last_attempt_timestamp_seconds'),
  'Unix time of the last refresh attempt.',
  L,
  { subset: SUBSET },
);
export const DURATION = gauge(exporterMetric('source_refresh_duration_seconds'), 'Duration of the last refresh.', L, {
  subset: SUBSET,
});
export const INTERVAL = gauge(
  exporterMetric('source_refresh_interval_seconds'),
  'Configured refresh interval (alerts derive staleness from it).',
  L,
  { subset: SUBSET },
);
const PER_TARGET: readonly Family[] = [SOURCE_UP, LAST_SUCCESS, LAST_ATTEMPT, DURATION, INTERVAL];

export function targetState(e: SourceEntry, now: number): TargetState {
  if (e.up === false) return 'failing';
  if (e.up === undefined && e.lastAttempt === undefined) return 'pending';
  if (e.lastSuccess === undefined || now - e.lastSuccess > STALE_INTERVALS * e.intervalMs) return 'stale';
  return 'up';
}

/**
 * The framework's health for every source, whatever the source is: per-source aggregates always,
 * per-target series for targets that need attention (failing or stale, so the alerts can name
 * them), for every target when a per-target family is in `metrics.opt_in`. At 10,000 numbers
 * that is about 40 series instead of 22,000.
 */
export function healthCollector(onCapped: (source: string, problems: number) => void = () => {}): Collector {
  return {
    name: 'health',
    sources: ['*'],
    collect(view, out) {
      const bySource = new Map<string, SourceEntry[]>();
      for (const e of view.entries()) {
        let list = bySource.get(e.source);
        if (!list) bySource.set(e.source, (list = []));
        list.push(e);
      }
      // Opted-in per-target families, decided once per rendering, not per target.
      const complete = new Set(PER_TARGET.filter((f) => out.completes(f)));
      for (const [source, entries] of bySource) {
        const counts = new Map<TargetState, number>(TARGET_STATES.map((s) => [s, 0]));
        let oldest: number | undefined;
        let problems = 0;
        for (const e of entries) {
          const state = targetState(e, view.now);
          counts.set(state, (counts.get(state) ?? 0) + 1);
          if (e.lastSuccess !== undefined && (oldest === undefined || e.lastSuccess < oldest)) oldest = e.lastSuccess;
          const problem = state === 'failing' || state === 'stale';
          if (problem) problems++;
          const shown = problem && problems <= MAX_PROBLEM_TARGETS;
          if (shown || complete.size > 0) perTarget(e, out, shown ? undefined : complete);
        }
        if (problems > MAX_PROBLEM_TARGETS) onCapped(source, problems);
        for (const [state, n] of counts) out.add(SOURCE_TARGETS, { source, state }, n);
        if (oldest !== undefined) out.add(OLDEST_SUCCESS, { source }, oldest / 1000);
      }
    },
  };
}

/** A target's series: every per-target family, or only `only` (the opted-in ones) when given. */
function perTarget(e: SourceEntry, out: Samples, only?: ReadonlySet<Family>): void {
  const l = { source: e.source, target: e.target };
  const put = (f: Family, v: number | undefined) => {
    if (v !== undefined && (!only || only.has(f))) out.add(f, l, v);
  };
  put(INTERVAL, e.intervalMs / 1000);
  put(SOURCE_UP, e.up === undefined ? undefined : e.up ? 1 : 0);
  put(LAST_SUCCESS, e.lastSuccess === undefined ? undefined : e.lastSuccess / 1000);
  put(LAST_ATTEMPT, e.lastAttempt === undefined ? undefined : e.lastAttempt / 1000);
  put(DURATION, e.durationMs === undefined ? undefined : e.durationMs / 1000);
}
