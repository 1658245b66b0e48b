import { type Metric, type OpenMetricsContentType, Registry } from 'prom-client';

type MetricData = Awaited<ReturnType<Metric['get']>>;

/**
 * prom-client's per-metric formatter: `registry.metrics()` runs it on each metric. It is public in
 * the JavaScript but missing from prom-client's type definitions.
 */
interface Formatter {
  getMetricsAsString(metric: { get(): Promise<MetricData> }): Promise<string>;
}

/** Formats in OpenMetrics; it holds no metric. */
const OPENMETRICS = openMetricsRegistry() as unknown as Formatter;

/**
 * One metric family in the OpenMetrics text format, formatted and escaped by prom-client: a
 * counter's `# HELP`/`# TYPE` name without `_total`, its samples with it. No `# EOF` (the caller
 * ends the body once).
 *
 * Not through `registry.metrics()` with the OpenMetrics content type: that strips `_total` by
 * renaming the counter object itself, so a registry rendered once as OpenMetrics would then print
 * its counters without `_total` in the text format too
 * (https://github.com/prometheus/client_js/pull/829). The same formatter gets a renamed copy.
 */
export async function openMetricsOf(m: Metric): Promise<string> {
  // What prom-client's formatter reads: histograms have a cheaper form for it.
  const own = m as Metric & { getForPromString?: () => Promise<MetricData> };
  const data = await (own.getForPromString?.() ?? m.get());
  const family = String(data.type) === 'counter' ? { ...data, name: data.name.replace(/_total$/, '') } : data;
  return OPENMETRICS.getMetricsAsString({ get: async () => family });
}

function openMetricsRegistry(): Registry<OpenMetricsContentType> {
  const r = new Registry<OpenMetricsContentType>();
  r.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return r;
}
