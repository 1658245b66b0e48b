import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { familyFilter, metricCatalog } from './metric-catalog.js';
import type { FamilyFilter } from './metrics/filter.js';
import { loadRateCard, type RateCard } from './billing/rate-card.js';
import { COLLECTOR_LIMITS, collectors } from './collectors/index.js';
import { targetState } from './collectors/health.js';
import { collectorFragment } from './collectors/fragments.js';
import type { Config } from './config/config.js';
import { sandboxConfig } from './config/sandbox.js';
import { Exposition } from './metrics/exposition.js';
import { SelfMetrics } from './metrics/self.js';
import { Poller } from './poller/poller.js';
import { UsageBook } from './poller/usage-feedback.js';
import { watchStaleness } from './poller/stale-watch.js';
import { SnapshotStore } from './poller/store.js';
import { makeReloader } from './reload.js';
import { preflight } from './preflight.js';
import { ConfigError, StartError } from './config/errors.js';
import { redactorOf } from './config/redact.js';
import type { Sandbox } from './sandbox/index.js';
import type { WebhookStream } from './sandbox/webhooks.js';
import { createWebhookModule } from './webhooks/index.js';
import { capConnections } from './web/connections.js';
import { apiRouter } from './web/api/index.js';
import { capRejections, frequencyCapInput } from './web/overview/cap.js';
import { overviewRouter, overviewSource, type OverviewSource } from './web/overview/index.js';
import { Ledger } from './state/ledger.js';
import { BILLING_REASONS } from './billing/errors.js';
import { billingCounterProviders } from './billing/sources.js';
import { GraphClient } from './sources/graph/client.js';
import { FieldSupport } from './sources/graph/field-support.js';
import { ALL_PLANS } from './sources/graph/fields.js';
import { ENUM_FIELDS } from './sources/graph/enums.js';
import { FAILURE_REASONS as GRAPH_FAILURE_REASONS } from './sources/graph/errors.js';
import { SOURCES } from './sources/index.js';
import type { SourceEnv } from './sources/types.js';
import { systemClock, type Clock } from './util/clock.js';
import { REVISION, VERSION } from './version.js';

export interface ExporterOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** HTTP dispatcher for upstream calls; default honours HTTPS_PROXY / NO_PROXY. */
  dispatcher?: Dispatcher;
  /** Overrides config.web.listenAddress (tests use 127.0.0.1:0). */
  listen?: { host?: string; port: number };
  /** Whether the config file set source intervals (then sandbox mode keeps them). */
  userSetIntervals?: boolean;
  /** Process metrics are off in tests that compare golden output. */
  processMetrics?: boolean;
  random?: () => number;
  /** Reuse window of the live self-metrics rendering (tests use 0 to see counters move at once). */
  liveTtlMs?: number;
  /** Re-reads the configuration for SIGHUP and POST /-/reload; without it, reload is refused. */
  reloadConfig?: () => Config;
  /** Sandbox mode: post a steady stream of signed webhooks to ourselves (default true). */
  webhookStream?: boolean;
}

export interface RunningExporter {
  readonly url: string;
  readonly server: Server;
  config(): Config;
  readonly store: SnapshotStore;
  readonly poller: Poller;
  readonly exposition: Exposition;
  readonly self: SelfMetrics;
  readonly graph: GraphClient;
  readonly sandbox?: Sandbox;
  reload(): { ok: boolean; error?: string };
  close(): Promise<void>;
}

/** Wiring only: config → logger → store → sources → poller → collectors → HTTP. */
export async function startExporter(o: ExporterOptions): Promise<RunningExporter> {
  const clock = o.clock ?? systemClock;
  const log = o.logger;
  // The family lists are checked before anything starts: a pattern that matches no family is a
  // configuration error naming its key (and on reload, a refused reload).
  const catalog = metricCatalog();
  let filter = familyFilter(o.config, 'configuration', catalog);
  // What check-config checks too: a port out of range, a storage path that cannot hold the state
  // DBs, an unreadable rate card stop the start here, in one line naming the key.
  const blocked = preflight(o.config);
  if (blocked.length > 0) throw new StartError('configuration', blocked);
  let reloadedFilter: FamilyFilter | undefined;
  let sandbox: Sandbox | undefined;
  let wrap = (c: Config): Config => c;
  if (o.config.mode === 'sandbox') {
    const sb = o.config.sandbox;
    // The simulator is loaded only in sandbox mode: a process watching Meta never loads its code.
    const { startSandbox } = await import('./sandbox/index.js');
    sandbox = await startSandbox({
      phoneNumbers: sb.phone_numbers,
      wabas: sb.wabas,
      businesses: sb.businesses,
      scenario: sb.scenario,
      clock,
    });
    log.info(
      { sandbox_url: sandbox.url },
      'no Meta credentials set: polling the built-in sandbox (simulated Graph API); set WHATSAPP_ACCESS_TOKEN to watch a real account',
    );
    const { url } = sandbox;
    const ids = sandbox.state.businessIds();
    wrap = (c) => sandboxConfig(c, url, ids, o.userSetIntervals ?? false);
  }
  let config = wrap(o.config);
  let card: RateCard | undefined = config.billing.rateCardFile ? loadRateCard(config.billing.rateCardFile) : undefined;

  const self = new SelfMetrics({ version: VERSION, revision: REVISION }, o.processMetrics ?? true, {
    graphFailureReasons: GRAPH_FAILURE_REASONS,
    billingFailureReasons: BILLING_REASONS,
    enumFields: ENUM_FIELDS,
    limits: COLLECTOR_LIMITS,
  });
  self.configLoaded(true, clock.now());
  const billingProviders = (c: Config) => c.billing.accounts.flatMap(billingCounterProviders);
  self.knownProviders(billingProviders(config));
  const dispatcher = o.dispatcher ?? new EnvHttpProxyAgent({ connections: config.graph.max_concurrent_requests * 2 });
  const g = config.graph;
  // Meta's usage readings go to the self-metrics and to the poller's usage feedback.
  const usage = new UsageBook(clock);
  const graph = new GraphClient({
    baseUrl: g.url.replace(/\/+$/, ''),
    apiVersion: g.api_version,
    timeoutMs: g.timeout,
    maxRetries: g.max_retries,
    retryBaseMs: g.retry_base,
    retryMaxMs: g.retry_max,
    batchSize: g.batch_size,
    batchWindowMs: g.batch_window,
    maxConcurrent: g.max_concurrent_requests,
    throttlePauseMs: g.throttle_pause,
    maxResponseBytes: g.max_response_size,
    maxPageItems: g.max_page_items,
    logger: log.child({ component: 'graph' }),
    observer: usage.tee(self),
    dispatcher,
    random: o.random,
  });
  const fields = new FieldSupport(clock, g.field_recheck, log.child({ component: 'graph' }));
  for (const p of ALL_PLANS(g.api_version)) for (const n of p.nodes) fields.declare(p.source, n.node, n.optional);
  self.fieldSupport(() => fields.rows(config.graph.api_version));
  const store = new SnapshotStore();
  const ledger = new Ledger(config.storage.path);
  const env: SourceEnv = {
    get config() {
      return config;
    },
    graph,
    fields,
    clock,
    logger: log,
    billing: { ledger, http: { dispatcher, observer: self, maxResponseBytes: () => config.billing.maxResponseBytes } },
  };
  const poller = new Poller({
    store,
    sources: SOURCES,
    env,
    clock,
    logger: log.child({ component: 'poller' }),
    observer: self,
    random: o.random,
    usage,
  });
  let invalidate: (source: string) => void = () => {};
  /** The last reload's outcome, for the overview page (undefined until the first reload). */
  let lastReload: { ok: boolean; at: number } | undefined;
  const webhooks = createWebhookModule({
    config: () => config,
    store,
    kick: (source, target) => void poller.kick(source, target),
    clock,
    logger: log,
    invalidate: (dep) => invalidate(dep),
    priceFor: (country, category) => card?.priceFor(country, category),
    // Sharded, the owner of an event is found in the portfolio listings; before every loop has been
    // tried once (what /-/ready says) this shard may not have them, so it refuses and Meta retries.
    accepting: () => config.shard.count <= 1 || poller.ready(),
  });
  const limitLogged = new Map<string, number>();
  const exposition = new Exposition({
    fragments: collectors({
      config: () => config,
      card: () => card,
      usage: () => self.usageReadings(),
      webhooks: webhooks.view,
      onLimit: (limit, detail) => {
        self.limitHit(limit);
        // Counted on every rendering that hits it; logged at most once a minute per limit.
        const now = clock.now();
        if ((limitLogged.get(limit) ?? -Infinity) > now - 60_000) return;
        limitLogged.set(limit, now);
        log.warn({ limit, ...detail }, 'a bound cut the exposition short (docs/metrics.md, "Bounds")');
      },
    }).map((c) =>
      collectorFragment(c, store, clock, log.child({ component: 'collector' }), () => ({
        stateSets: config.metrics.stateSets,
        filter,
        aggregateBy: config.metrics.aggregateBy,
      })),
    ),
    live: self.registry,
    liveFilter: () => filter,
    liveTtlMs: o.liveTtlMs,
    // Webhook bursts invalidate their fragment on every POST; one render per quarter second is
    // plenty for a 15 s scrape and keeps rendering off the ack path.
    coalesceMs: 250,
    logger: log.child({ component: 'exposition' }),
    clock,
  });
  invalidate = (s) => exposition.invalidate(s);
  self.onUsageChange = () => invalidate('graph_usage');
  store.on('change', invalidate);
  // A target going stale changes only the source health's output (its dependency is '*', and no
  // other collector depends on 'source_health').
  const stopStaleWatch = watchStaleness(store, clock, invalidate, 5_000, {
    stateOf: targetState,
    dep: 'source_health',
  });

  const reload = makeReloader({
    load: () => {
      if (!o.reloadConfig) throw new Error('no configuration file to reload');
      const loaded = o.reloadConfig();
      const next = wrap(loaded);
      // Checked here so a bad list refuses the reload; apply() takes this filter. A pattern may
      // have come from the environment: the error (logged, and the reload's answer) is redacted.
      try {
        reloadedFilter = familyFilter(next, 'reload', catalog);
      } catch (err) {
        throw err instanceof ConfigError ? err.redacted(redactorOf(loaded)) : err;
      }
      return next;
    },
    apply: (next) => {
      card = next.billing.rateCardFile ? loadRateCard(next.billing.rateCardFile) : undefined;
      const listsChanged = JSON.stringify(listsOf(next)) !== JSON.stringify(listsOf(config));
      if (listsChanged && reloadedFilter) filter = reloadedFilter;
      const everything =
        listsChanged ||
        next.metrics.stateSets !== config.metrics.stateSets ||
        next.metrics.aggregateBy !== config.metrics.aggregateBy;
      config = next;
      self.knownProviders(billingProviders(next));
      // The state-set mode and the family lists change every collector's output, not only those
      // reading the config; invalidated before anything else of the reload can throw.
      invalidate(everything ? '*' : 'config');
      poller.reconcile();
    },
    current: () => config,
    logger: log.child({ component: 'reload' }),
    onResult: (ok) => {
      self.configLoaded(ok, clock.now());
      lastReload = { ok, at: clock.now() };
    },
  });

  let pages: OverviewSource | undefined;
  const app = createApp({
    config: () => config,
    exposition,
    ready: () => poller.ready(),
    logger: log.child({ component: 'http' }),
    version: VERSION,
    reload,
    targets: () => poller.targets(),
    mount: (a) => {
      // The webhook endpoint checks Meta's signature; the pages and their JSON are behind the web
      // auth like every other route (createApp's guard).
      a.use(webhooks.router);
      // The pages and the paged JSON API (docs/api.md) share one view model, memoized per snapshot.
      const overview = overviewSource({
        store,
        clock,
        config: () => config,
        rateCard: () => card,
        version: VERSION,
        // No webhook feed: the usage is unknown (the page says so), not 0.
        uniqueRecipients24h: () =>
          webhooks.view.configured()
            ? new Map(webhooks.db.uniqueRecipientsByBusiness(clock.now() - 86_400_000).map((r) => [r.businessId, r.n]))
            : undefined,
        uniqueRecipients24hByPhone: () =>
          webhooks.view.configured()
            ? new Map(webhooks.db.uniqueRecipientsByPhone(clock.now() - 86_400_000).map((r) => [r.phoneNumberId, r.n]))
            : undefined,
        frequencyCap: () => frequencyCapInput(webhooks.view, clock.now()),
        capRejections: () => capRejections(webhooks.view),
        estimatedCost: () => webhooks.view.estimatedCost(),
        lastReload: () => lastReload,
        webhooksConfigured: () => webhooks.view.configured(),
      });
      pages = overview;
      a.use(apiRouter({ store, clock, overview }));
      a.use(overviewRouter(overview));
    },
  });
  const { host, port } = o.listen ?? parseListenAddress(config.web.listenAddress);
  const web = config.web;
  const server = createServer(
    {
      headersTimeout: web.headerTimeoutMs,
      requestTimeout: web.requestTimeoutMs,
      // Node checks both timeouts this often (default 30 s, longer than the timeouts themselves).
      connectionsCheckingInterval: Math.min(1_000, web.headerTimeoutMs),
    },
    app,
  );
  capConnections(server, web.maxConnections, log.child({ component: 'http' }), () => clock.now());
  if (host === undefined) server.listen(port);
  else server.listen(port, host);
  let stream: WebhookStream | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stopStaleWatch();
    pages?.stop();
    stream?.stop();
    await poller.stop();
    graph.close();
    exposition.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    if (!o.dispatcher) await dispatcher.close();
    ledger.close();
    webhooks.close();
    await sandbox?.close();
  };
  try {
    await once(server, 'listening');
  } catch (err) {
    // EADDRINUSE, EACCES (a port below 1024), EADDRNOTAVAIL (an address this host does not have):
    // everything opened so far is closed, so the process ends instead of idling without a port.
    await close().catch(() => {});
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StartError('configuration', [
      {
        path: 'web.listen_address (--web.listen-address)',
        message: `cannot listen on ${host ?? ''}:${port}: ${code}`,
      },
    ]);
  }
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  poller.start();
  const secret = config.webhooks.appSecrets[0];
  if (sandbox && secret && (o.webhookStream ?? true)) {
    const self = addr.address === '0.0.0.0' || addr.address === '::' ? `http://127.0.0.1:${addr.port}` : url;
    const { startWebhookStream } = await import('./sandbox/webhooks.js');
    stream = startWebhookStream({
      url: `${self}${config.webhooks.path}`,
      appSecret: secret.reveal(),
      state: sandbox.state,
      clock,
      logger: log.child({ component: 'sandbox-webhooks' }),
    });
  }
  log.info(
    { url, telemetry_path: config.web.telemetryPath, mode: config.mode, version: VERSION },
    'exporter listening',
  );

  return {
    url,
    server,
    config: () => config,
    store,
    poller,
    exposition,
    self,
    graph,
    sandbox,
    reload,
    close,
  };
}

/** ":9914" → all interfaces; "127.0.0.1:9914"; "[::1]:9914". */
export function parseListenAddress(addr: string): { host?: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}

const listsOf = (c: Config) => [c.metrics.allow, c.metrics.deny, c.metrics.optIn];
