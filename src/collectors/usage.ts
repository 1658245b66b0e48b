import { gauge } from '../metrics/family.js';
import { exporterMetric } from '../metrics/names.js';
import type { UsageReading } from '../sources/graph/usage.js';
import type { Collector } from './types.js';

/** Business objects are exported by default from this usage up (the alert fires at 0.8). */
export const BUSY_USAGE_RATIO = 0.5;
/** At most this many busy objects per kind (the busiest). */
export const MAX_BUSY_OBJECTS = 200;

export const USAGE_RATIO = gauge(
  exporterMetric('graph_api_usage_ratio'),
  'Meta\'s reported usage of the Graph API rate limit, 0..1 (X-Business-Use-Case-Usage per business object; business_id="app" is X-App-Usage).',
  ['business_id', 'kind'],
  {
    subset: `X-App-Usage, and business objects from ${BUSY_USAGE_RATIO * 100}% usage (at most ${MAX_BUSY_OBJECTS} per kind)`,
  },
);
export const USAGE_MAX = gauge(
  exporterMetric('graph_api_usage_max_ratio'),
  'The highest usage any business object reports (X-Business-Use-Case-Usage), 0..1.',
  ['kind'],
);

/**
 * Meta's latest usage readings, re-rendered only when a reading changed ('graph_usage'). Meta
 * reports one reading per business object (every WABA at BSP scale: 6,600 series at 10,000
 * numbers, mostly near 0), so by default only busy objects are exported per object, with the
 * maximum per kind always; a threshold rather than a top-N, so quiet objects do not churn series.
 */
export function usageCollector(
  readings: () => Iterable<UsageReading>,
  onCapped: (kind: string, busy: number) => void = () => {},
): Collector {
  return {
    name: 'graph_usage',
    sources: ['graph_usage'],
    collect(_view, out) {
      const all = out.completes(USAGE_RATIO);
      const max = new Map<string, number>();
      const busy = new Map<string, UsageReading[]>();
      for (const r of readings()) {
        if (r.objectId === 'app' || all) {
          out.add(USAGE_RATIO, { business_id: r.objectId, kind: r.kind }, r.ratio);
          if (r.objectId === 'app') continue;
        } else if (r.ratio >= BUSY_USAGE_RATIO) {
          let list = busy.get(r.kind);
          if (!list) busy.set(r.kind, (list = []));
          list.push(r);
        }
        max.set(r.kind, Math.max(max.get(r.kind) ?? 0, r.ratio));
      }
      for (const [kind, list] of busy) {
        if (list.length > MAX_BUSY_OBJECTS) onCapped(kind, list.length);
        list.sort((a, b) => b.ratio - a.ratio || a.objectId.localeCompare(b.objectId));
        for (const r of list.slice(0, MAX_BUSY_OBJECTS))
          out.add(USAGE_RATIO, { business_id: r.objectId, kind: r.kind }, r.ratio);
      }
      for (const [kind, v] of max) out.add(USAGE_MAX, { kind }, v);
    },
  };
}
