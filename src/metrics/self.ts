import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GraphObserver } from '../sources/graph/client.js';
import type { FailureReason } from '../sources/graph/errors.js';
import type { UsageReading } from '../sources/graph/usage.js';
import type { UnknownEnum } from '../sources/graph/enums.js';
import type { PollerObserver } from '../poller/poller.js';
import type { BillingObserver } from '../billing/http.js';
import { exporterMetric } from './names.js';

/**
 * Label values known in advance: their counters start at 0 (for the enum fields at start, for
 * the failure reasons when an endpoint or provider is first used), so rate() and the dashboards'
 * failure panels have a series from the first scrape instead of only after the first failure.
 */
export interface KnownLabels {
  readonly graphFailureReasons: readonly string[];
  readonly billingFailureReasons: readonly string[];
  readonly enumFields: readonly string[];
  readonly limits?: readonly string[];
}

const NO_KNOWN_LABELS: KnownLabels = { graphFailureReasons: [], billingFailureReasons: [], enumFields: [] };

export interface BuildInfo {
  version: string;
  revision: string;
}

/**
 * The exporter's own live metrics (counters that move between snapshots, process metrics). They
 * live in their own registry, rendered per scrape; it is small, unlike the snapshot part.
 */
export class SelfMetrics implements GraphObserver, PollerObserver, BillingObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<'endpoint'>;
  private readonly failures: Counter<'endpoint' | 'reason'>;
  /** Usage readings by "object\0kind"; rendered by a cached collector (it can have thousands of series). */
  private readonly readings = new Map<string, UsageReading>();
  /** Called when a reading changed (main.ts invalidates the usage collector). */
  onUsageChange: () => void = () => {};
  private readonly unknown: Counter<'field' | 'value'>;
  /** (field, object, value) already counted: a value counts once per object, not once per listing. */
  private readonly unknownSeen = new Set<string>();
  /** Per field, the distinct values that keep their own label value (the rest are "other"). */
  private readonly unknownValues = new Map<string, Set<string>>();
  private readonly billingRequests: Counter<'provider'>;
  private readonly billingFailures: Counter<'provider' | 'reason'>;
  private readonly refreshSeconds: Histogram<'source' | 'outcome'>;
  private readonly limitHits: Counter<'limit'>;
  readonly reloadOk: Gauge;
  /** Rows of the field-support gauge (main.ts wires it to the Graph sources' FieldSupport). */
  private fieldRows: () => ReadonlyArray<{ source: string; node: string; field: string; rejected: boolean }> = () => [];
  readonly reloadTs: Gauge;

  private readonly seenEndpoints = new Set<string>();
  private readonly seenProviders = new Set<string>();

  constructor(
    build: BuildInfo,
    withProcessMetrics = true,
    private readonly known: KnownLabels = NO_KNOWN_LABELS,
  ) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: exporterMetric('graph_api_requests_total'),
      help: 'HTTP requests to the Graph API (a batch call counts once).',
      labelNames: ['endpoint'],
      registers,
    });
    this.failures = new Counter({
      name: exporterMetric('graph_api_request_failures_total'),
      help: 'Failed Graph API requests and batch sub-requests, by reason.',
      labelNames: ['endpoint', 'reason'],
      registers,
    });
    this.unknown = new Counter({
      name: exporterMetric('unknown_enum_values_total'),
      help: 'Objects carrying an enum value this version does not know (exported as-is), by field and value (the first 5 distinct values per field; later ones are "other").',
      labelNames: ['field', 'value'],
      registers,
    });
    this.billingRequests = new Counter({
      name: exporterMetric('billing_requests_total'),
      help: 'HTTP requests to billing providers.',
      labelNames: ['provider'],
      registers,
    });
    this.billingFailures = new Counter({
      name: exporterMetric('billing_request_failures_total'),
      help: 'Failed billing requests (and unusable answers), by reason.',
      labelNames: ['provider', 'reason'],
      registers,
    });
    // Per source, not per target: 4,400 targets at 10,000 numbers would be 4,400 histograms.
    this.refreshSeconds = new Histogram({
      name: exporterMetric('source_refresh_seconds'),
      help: 'Duration of source refreshes (retries and backoff included), by source and outcome.',
      labelNames: ['source', 'outcome'],
      buckets: [0.1, 0.5, 1, 5, 15, 60],
      registers,
    });
    this.limitHits = new Counter({
      name: exporterMetric('limit_hits_total'),
      help: 'Times a bound cut input or output short (the log says what was left out), by limit.',
      labelNames: ['limit'],
      registers,
    });
    for (const limit of known.limits ?? []) this.limitHits.inc({ limit }, 0);
    const rows = () => this.fieldRows();
    new Gauge({
      name: exporterMetric('graph_field_unsupported'),
      help: 'Whether Graph rejected this optional field (error 100) on its node type: the source runs without it and asks again later (graph.field_recheck). field is "<node>.<field>".',
      labelNames: ['source', 'field'],
      registers,
      collect() {
        this.reset();
        for (const r of rows()) this.set({ source: r.source, field: `${r.node}.${r.field}` }, r.rejected ? 1 : 0);
      },
    });
    this.reloadOk = new Gauge({
      name: exporterMetric('config_last_reload_successful'),
      help: 'Whether the last configuration (re)load succeeded.',
      registers,
    });
    this.reloadTs = new Gauge({
      name: exporterMetric('config_last_reload_success_timestamp_seconds'),
      help: 'Unix time of the last successful configuration load.',
      registers,
    });
    new Gauge({
      name: exporterMetric('build_info'),
      help: 'Build information (value is always 1).',
      labelNames: ['version', 'revision', 'nodejs_version'],
      registers,
    }).set({ version: build.version, revision: build.revision, nodejs_version: process.version }, 1);
    for (const field of known.enumFields) this.unknown.inc({ field, value: '' }, 0);
    if (withProcessMetrics) processMetrics(this.registry);
  }

  fieldSupport(rows: () => ReadonlyArray<{ source: string; node: string; field: string; rejected: boolean }>): void {
    this.fieldRows = rows;
  }

  limitHit(limit: string): void {
    this.limitHits.inc({ limit });
  }

  refreshed(source: string, durationMs: number, ok: boolean): void {
    this.refreshSeconds.observe({ source, outcome: ok ? 'success' : 'failure' }, durationMs / 1000);
  }

  endpoint(endpoint: string): void {
    this.initEndpoint(endpoint);
  }
  request(endpoint: string): void {
    this.initEndpoint(endpoint);
    this.requests.inc({ endpoint });
  }
  failure(endpoint: string, reason: FailureReason): void {
    this.initEndpoint(endpoint);
    this.failures.inc({ endpoint, reason });
  }
  private initEndpoint(endpoint: string): void {
    if (this.seenEndpoints.has(endpoint)) return;
    this.seenEndpoints.add(endpoint);
    for (const reason of this.known.graphFailureReasons) this.failures.inc({ endpoint, reason }, 0);
  }
  usage(readings: UsageReading[]): void {
    let changed = false;
    for (const r of readings) {
      const k = `${r.objectId}\u0000${r.kind}`;
      if (this.readings.get(k)?.ratio !== r.ratio) changed = true;
      this.readings.set(k, r);
    }
    if (changed) this.onUsageChange();
  }

  /** The latest usage reading per (object, kind). */
  usageReadings(): Iterable<UsageReading> {
    return this.readings.values();
  }
  billingRequest(provider: string): void {
    this.initProvider(provider);
    this.billingRequests.inc({ provider });
  }
  billingFailure(provider: string, reason: string): void {
    this.initProvider(provider);
    this.billingFailures.inc({ provider, reason });
  }
  /** Providers (and `<provider>_statement`) of the configured accounts: failure counters start at 0. */
  knownProviders(providers: Iterable<string>): void {
    for (const p of providers) this.initProvider(p);
  }
  private initProvider(provider: string): void {
    if (this.seenProviders.has(provider)) return;
    this.seenProviders.add(provider);
    for (const reason of this.known.billingFailureReasons) this.billingFailures.inc({ provider, reason }, 0);
  }
  unknownEnums(values: readonly UnknownEnum[]): void {
    for (const v of values) {
      if (v.object !== undefined) {
        const key = `${v.field}\u0000${v.object}\u0000${v.value}`;
        if (this.unknownSeen.has(key)) continue;
        // Bounded memory: past the bound a value counts again on each listing (still never lost).
        if (this.unknownSeen.size < MAX_UNKNOWN_SEEN) this.unknownSeen.add(key);
      }
      this.unknown.inc({ field: v.field, value: this.unknownValue(v.field, v.value) });
    }
  }
  /** The label value for an unknown enum value: bounded per field, and only [A-Z0-9_] (it came from upstream). */
  private unknownValue(field: string, value: string): string {
    const clean = value.replace(/[^A-Z0-9_]/g, '_').slice(0, 40);
    let known = this.unknownValues.get(field);
    if (!known) this.unknownValues.set(field, (known = new Set()));
    if (known.has(clean)) return clean;
    if (known.size >= UNKNOWN_VALUES_PER_FIELD) return 'other';
    known.add(clean);
    return clean;
  }
  configLoaded(ok: boolean, nowMs: number): void {
    this.reloadOk.set(ok ? 1 : 0);
    if (ok) this.reloadTs.set(nowMs / 1000);
  }
}

/** Distinct unknown values per enum field that get their own label value. */
export const UNKNOWN_VALUES_PER_FIELD = 5;
/** (field, object, value) triples remembered for counting once per object. */
const MAX_UNKNOWN_SEEN = 100_000;

/**
 * prom-client's default process and Node.js metrics, less three gauges whose names end in `_total`
 * (`nodejs_active_handles_total`, `…_requests_total`, `…_resources_total`), which made
 * `promtool check metrics` fail on every scrape. Their values remain as the sum of the per-type
 * gauges prom-client also serves (`sum(nodejs_active_handles)`, `…_requests`, `…_resources`).
 */
function processMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    registry.removeSingleMetric(name);
}
