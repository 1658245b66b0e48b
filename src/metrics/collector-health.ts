import { gauge, Samples } from './family.js';
import { exporterMetric } from './names.js';

/**
 * The framework's health of every metric producer (collector), like node_exporter's
 * node_scrape_collector_success: a collector whose rendering throws is a metric, not a silent
 * freeze. Emitted by the exposition itself, so no collector can forget it.
 */
export const COLLECTOR_SUCCESS = gauge(
  exporterMetric('collector_success'),
  'Whether the last rendering of this collector succeeded.',
  ['collector'],
);
export const COLLECTOR_DURATION = gauge(
  exporterMetric('collector_duration_seconds'),
  'Duration of the last rendering of this collector.',
  ['collector'],
);

export interface CollectorHealth {
  ok: boolean;
  durationMs: number;
  /** Last successful rendering (ms). */
  lastOkAt?: number;
  /** Start of the current run of failures (ms); the last good output is served for the staleness limit from here. */
  failingSince?: number;
  /** The output of a failing collector was dropped (older than its staleness limit). */
  dropped?: boolean;
}

/** The health families for every collector, in exposition order. */
export function healthSamples(order: readonly string[], health: ReadonlyMap<string, CollectorHealth>): Samples {
  const out = new Samples();
  for (const collector of order) {
    const h = health.get(collector);
    if (h) out.add(COLLECTOR_SUCCESS, { collector }, h.ok ? 1 : 0);
  }
  for (const collector of order) {
    const h = health.get(collector);
    if (h) out.add(COLLECTOR_DURATION, { collector }, h.durationMs / 1000);
  }
  return out;
}
