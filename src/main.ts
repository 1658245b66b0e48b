import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { collectors } from './collectors/index.js';
import { collectorFragment } from './collectors/fragments.js';
import type { Config } from './config/config.js';
import { sandboxConfig } from './config/sandbox.js';
import { Exposition } from './metrics/exposition.js';
import { SelfMetrics } from './metrics/self.js';
import { Poller } from './poller/poller.js';
import { watchStaleness } from './poller/stale-watch.js';
import { SnapshotStore } from './poller/store.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { GraphClient } from './sources/graph/client.js';
import { SOURCES } from './sources/index.js';
import type { SourceContext } from './sources/types.js';
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
}

export interface RunningExporter {
  readonly url: string;
  readonly server: Server;
  readonly config: Config;
  readonly store: SnapshotStore;
  readonly poller: Poller;
  readonly exposition: Exposition;
  readonly self: SelfMetrics;
  readonly graph: GraphClient;
  readonly sandbox?: Sandbox;
  close(): Promise<void>;
}

/** Wiring only: config → logger → store → sources → poller → collectors → HTTP. */
export async function startExporter(o: ExporterOptions): Promise<RunningExporter> {
  const clock = o.clock ?? systemClock;
  const log = o.logger;
  let config = o.config;
  let sandbox: Sandbox | undefined;
  if (config.mode === 'sandbox') {
    sandbox = await startSandbox({ phoneNumbers: config.sandbox.phone_numbers, wabas: config.sandbox.wabas, businesses: config.sandbox.businesses, scenario: config.sandbox.scenario, clock });
    log.info({ sandbox_url: sandbox.url }, 'no Meta credentials set: polling the built-in sandbox (simulated Graph API); set WHATSAPP_ACCESS_TOKEN to watch a real account');
    config = sandboxConfig(config, sandbox.url, sandbox.state.businessIds(), o.userSetIntervals ?? false);
  }
  const self = new SelfMetrics({ version: VERSION, revision: REVISION }, o.processMetrics ?? true);
  self.configLoaded(true, clock.now());
  const dispatcher = o.dispatcher ?? new EnvHttpProxyAgent({ connections: config.graph.max_concurrent_requests * 2 });
  const g = config.graph;
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
    logger: log.child({ component: 'graph' }),
    observer: self,
    dispatcher,
    random: o.random,
  });
  const store = new SnapshotStore();
  const ctx: SourceContext = { config, graph, store, clock, logger: log };
  const poller = new Poller({ config, store, sources: SOURCES, ctx, clock, logger: log.child({ component: 'poller' }), observer: self, random: o.random });
  let invalidate: (source: string) => void = () => {};
  const exposition = new Exposition({
    fragments: [
      ...collectors(config).map((c) => collectorFragment(c, store, clock, log.child({ component: 'collector' }))),
      self.usageFragment((s) => invalidate(s)),
    ],
    live: self.registry,
    liveTtlMs: o.liveTtlMs,
    logger: log.child({ component: 'exposition' }),
    clock,
  });
  invalidate = (s) => exposition.invalidate(s);
  store.on('change', invalidate);
  const stopStaleWatch = watchStaleness(store, clock, (s) => exposition.invalidate(s));

  const app = createApp({ config: () => config, exposition, ready: () => poller.ready(), logger: log.child({ component: 'http' }), version: VERSION });
  const { host, port } = o.listen ?? parseListenAddress(config.web.listenAddress);
  const server = host === undefined ? app.listen(port) : app.listen(port, host);
  await once(server, 'listening');
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  poller.start();
  log.info({ url, telemetry_path: config.web.telemetryPath, mode: config.mode, version: VERSION }, 'exporter listening');

  let closed = false;
  return {
    url,
    server,
    config,
    store,
    poller,
    exposition,
    self,
    graph,
    sandbox,
    async close() {
      if (closed) return;
      closed = true;
      stopStaleWatch();
      await poller.stop();
      graph.close();
      exposition.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (!o.dispatcher) await dispatcher.close();
      await sandbox?.close();
    },
  };
}

/** ":9914" → all interfaces; "127.0.0.1:9914"; "[::1]:9914". */
export function parseListenAddress(addr: string): { host?: string; port: number } {
  const i = addr.lastIndexOf(':');
  const host = addr.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? undefined : host, port: Number(addr.slice(i + 1)) };
}
