import { gauge } from '../metrics/family.js';
import { exporterMetric } from '../metrics/names.js';
import type { Collector } from './types.js';

const L = ['source', 'target'];
export const SOURCE_UP = gauge(
  exporterMetric('source_up'),
  'Whether the last refresh of this source for this target succeeded.',
  L,
);
export const LAST_SUCCESS = gauge(
  exporterMetric('source_last_success_timestamp_seconds'),
  'Unix time of the last successful refresh.',
  L,
);
export const LAST_ATTEMPT = gauge(
  exporterMetric('source_last_attempt_timestamp_seconds'),
  'Unix time of the last refresh attempt.',
  L,
);
export const DURATION = gauge(exporterMetric('source_refresh_duration_seconds'), 'Duration of the last refresh.', L);
export const INTERVAL = gauge(
  exporterMetric('source_refresh_interval_seconds'),
  'Configured refresh interval (alerts derive staleness from it).',
  L,
);

/** The framework's health metrics for every (source, target), whatever the source is. */
export const healthCollector: Collector = {
  name: 'health',
  sources: ['*'],
  collect(view, out) {
    for (const e of view.entries()) {
      const l = { source: e.source, target: e.target };
      out.add(INTERVAL, l, e.intervalMs / 1000);
      if (e.up !== undefined) out.add(SOURCE_UP, l, e.up ? 1 : 0);
      if (e.lastSuccess !== undefined) out.add(LAST_SUCCESS, l, e.lastSuccess / 1000);
      if (e.lastAttempt !== undefined) out.add(LAST_ATTEMPT, l, e.lastAttempt / 1000);
      if (e.durationMs !== undefined) out.add(DURATION, l, e.durationMs / 1000);
    }
  },
};
