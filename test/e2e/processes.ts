// Real Prometheus and Alertmanager on 127.0.0.1 (free ports, temp storage, readiness polled, stopped
// by PID) and an in-process webhook receiver that records every notification. Shared by the live
// e2e test and `npm run stack` (test/e2e/stack.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { sleep, waitFor } from '../helpers/wait.js';

export { sleep, waitFor };

// ---- binaries -------------------------------------------------------------------------------

const HINTS: Record<string, string> = {
  prometheus: 'the Debian package "prometheus"',
  'prometheus-alertmanager': 'the Debian package "prometheus-alertmanager"',
  alertmanager: 'the Debian package "prometheus-alertmanager"',
  nginx: 'the Debian packages "nginx" and "libnginx-mod-http-js"',
  kubectl: 'kubectl with kustomize v4 or later (docs/kubernetes.md, "Tests")',
};

/** The first of `names` found on PATH (Debian calls Alertmanager "prometheus-alertmanager"). */
export function findBinary(...names: string[]): string {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir === '') continue;
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  throw new Error(
    `${names.join(' / ')} not found on PATH: install ${HINTS[names[0] ?? ''] ?? 'it'} (sh test/install-deps.sh)`,
  );
}

// ---- child processes ------------------------------------------------------------------------

export interface Child {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** What it printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function startChild(name: string, binary: string, args: string[], url: string, echo: boolean): Child {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${binary}`);
  const pid = child.pid;
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
    if (echo) process.stderr.write(`[${name}] ${b.toString()}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    url,
    pid,
    output: () => out,
    async stop() {
      if (alive()) process.kill(pid, 'SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (alive()) {
        process.kill(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

async function ready(c: Child, path: string, timeoutMs = 30_000): Promise<Child> {
  try {
    await waitFor(
      async () => (await fetch(`${c.url}${path}`)).status === 200,
      timeoutMs,
      () => `${c.name} never became ready:\n${c.output()}`,
    );
  } catch (err) {
    await c.stop();
    throw err;
  }
  return c;
}

export interface PrometheusOptions {
  /** prometheus.yml content (see localPrometheusConfig). */
  config: string;
  port?: number;
  dir?: string;
  echo?: boolean;
  retention?: string;
}

export async function startPrometheus(
  o: PrometheusOptions,
): Promise<Child & { query(expr: string): Promise<PromVector> }> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'wbe-e2e-prom-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, o.config);
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const c = startChild(
    'prometheus',
    findBinary('prometheus'),
    [
      `--config.file=${file}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.retention.time=${o.retention ?? '1d'}`,
      '--log.level=warn',
    ],
    url,
    o.echo ?? false,
  );
  await ready(c, '/-/ready');
  return { ...c, query: (expr) => query(url, expr) };
}

export interface AlertmanagerOptions {
  /** alertmanager.yml content (see localAlertmanagerConfig). */
  config: string;
  port?: number;
  dir?: string;
  echo?: boolean;
}

export async function startAlertmanager(o: AlertmanagerOptions): Promise<Child> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'wbe-e2e-am-'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, o.config);
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const c = startChild(
    'alertmanager',
    findBinary('prometheus-alertmanager', 'alertmanager'),
    // --cluster.listen-address= : no gossip port, so parallel runs never join each other.
    [
      `--config.file=${file}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    url,
    o.echo ?? false,
  );
  return ready(c, '/-/ready');
}

// ---- configuration derived from the shipped prometheus.yml ------------------------------------

export interface LocalPrometheusOptions {
  /** host:port of the exporter. */
  exporter: string;
  alertmanager: string;
  /** Absolute path of the rules file. */
  rulesFile: string;
  /** Own address, for the self-scrape job. */
  self: string;
  /** Overrides scrape_interval, scrape_timeout and evaluation_interval (e.g. "1s" in tests). */
  interval?: string;
  /** Renames the exporter job (the rules must select it: renderRules({ exporterUpSelector })). */
  exporterJob?: string;
}

/**
 * The shipped prometheus.yml with local addresses: the exporter job (the one that scrapes
 * `exporter:9914`) points at `exporter`, Alertmanager and self-scrape at the local ports, the rules
 * at `rulesFile`. Everything else (job names, paths, external labels) stays as shipped.
 */
export function localPrometheusConfig(shippedYaml: string, o: LocalPrometheusOptions): string {
  const doc = parse(shippedYaml) as {
    global?: Record<string, unknown>;
    rule_files?: string[];
    alerting?: unknown;
    scrape_configs?: Array<{ job_name: string; static_configs?: Array<{ targets?: string[] }> }>;
  };
  if (o.interval)
    doc.global = {
      ...doc.global,
      scrape_interval: o.interval,
      scrape_timeout: o.interval,
      evaluation_interval: o.interval,
    };
  doc.rule_files = [o.rulesFile];
  doc.alerting = { alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }] };
  const replace: Record<string, string> = {
    'exporter:9914': o.exporter,
    'alertmanager:9093': o.alertmanager,
    'localhost:9090': o.self,
  };
  let exporterJobs = 0;
  for (const job of doc.scrape_configs ?? []) {
    const targets = (job.static_configs ?? []).flatMap((s) => s.targets ?? []);
    if (targets.includes('exporter:9914')) {
      exporterJobs++;
      if (o.exporterJob) job.job_name = o.exporterJob;
    }
    job.static_configs = [{ targets: targets.map((t) => replace[t] ?? t) }];
  }
  if (exporterJobs !== 1) throw new Error('prometheus.yml: expected exactly one job scraping exporter:9914');
  return stringify(doc, { lineWidth: 0 });
}

// ---- Prometheus HTTP API ----------------------------------------------------------------------

export interface PromVector {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export async function query(url: string, expr: string): Promise<PromVector> {
  const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
  return (await res.json()) as PromVector;
}

// ---- webhook receiver -------------------------------------------------------------------------

export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint?: string;
}

export interface AmNotification {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: AmAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  externalURL: string;
}

export interface Received {
  /** Receiver name: the path the notification was posted to. */
  path: string;
  at: number;
  body: AmNotification;
}

export interface WebhookReceiver {
  url: string;
  received(): readonly Received[];
  /** Resolves with the first notification (already received or future) that has an alert matching `match`. */
  waitFor(
    match: (a: AmAlert, n: Received) => boolean,
    timeoutMs: number,
    since?: number,
  ): Promise<{ notification: Received; alert: AmAlert }>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  o: { port?: number; onNotification?: (n: Received) => void } = {},
): Promise<WebhookReceiver> {
  const log: Received[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      try {
        const n: Received = {
          path: (req.url ?? '/').replace(/^\//, ''),
          at: Date.now(),
          body: JSON.parse(raw) as AmNotification,
        };
        log.push(n);
        o.onNotification?.(n);
        for (const w of waiters) w();
        res.writeHead(200).end('ok\n');
      } catch {
        res.writeHead(req.method === 'GET' ? 200 : 400).end(req.method === 'GET' ? 'ok\n' : 'bad json\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const find = (match: (a: AmAlert, n: Received) => boolean, since: number) => {
    for (const n of log) {
      if (n.at < since) continue;
      const a = n.body.alerts.find((x) => match(x, n));
      if (a) return { notification: n, alert: a };
    }
    return undefined;
  };
  return {
    url,
    received: () => log,
    waitFor(match, timeoutMs, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = find(match, since);
          if (!hit) return;
          cleanup();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = log
            .map((n) => `${n.path}: ${n.body.alerts.map((a) => `${a.labels.alertname}(${a.status})`).join(', ')}`)
            .join('\n  ');
          reject(new Error(`no matching notification within ${timeoutMs} ms; received:\n  ${seen || '(nothing)'}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// ---- helpers ----------------------------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
    req.on('error', () => resolve(s));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
