import { gauge } from '../metrics/family.js';
import { exporterMetric } from '../metrics/names.js';
import type { UsageReading } from '../sources/graph/usage.js';
import type { Collector } from './types.js';

export const USAGE_RATIO = gauge(
  exporterMetric('graph_api_usage_ratio'),
  'Meta\'s reported usage of the Graph API rate limit, 0..1 (X-Business-Use-Case-Usage per business object; business_id="app" is X-App-Usage).',
  ['business_id', 'kind'],
);

/**
 * Meta's latest usage readings (thousands of series at BSP scale, so a cached collector rather
 * than the live registry), re-rendered only when a reading changed ('graph_usage').
 */
export function usageCollector(readings: () => Iterable<UsageReading>): Collector {
  return {
    name: 'graph_usage',
    sources: ['graph_usage'],
    collect(_view, out) {
      for (const r of readings()) out.add(USAGE_RATIO, { business_id: r.objectId, kind: r.kind }, r.ratio);
    },
  };
}
