import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the metric contract lives: the metric table of docs/metrics.md, between these markers. */
export const METRICS_DOC = join(import.meta.dirname, '../../docs/metrics.md');

/** The metric names of the table in docs/metrics.md (between the metrics-table markers), in table order. */
export function metricTableNames(text: string): string[] {
  const table = text.split('<!-- metrics-table:start -->')[1]?.split('<!-- metrics-table:end -->')[0] ?? '';
  return [...table.matchAll(/^\| `(whatsapp_[a-z0-9_]+)`/gm)].map((m) => m[1] as string);
}

/**
 * The metric contract's names, read from the metric table in docs/metrics.md: the one list users read,
 * which test/unit/readme.test.ts keeps equal to what the exporter really exports. Alert and
 * dashboard tests check their queries against it.
 */
export function contractMetricNames(): readonly string[] {
  const names = metricTableNames(readFileSync(METRICS_DOC, 'utf8'));
  if (names.length < 40) throw new Error('metric table of docs/metrics.md not found or truncated');
  return names;
}
