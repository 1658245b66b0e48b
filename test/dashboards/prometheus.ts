// A real Prometheus for tests: temp config and TSDB, 127.0.0.1 on a free port, readiness polled,
// stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { sleep, waitFor } from '../helpers/wait.js';

export { sleep, waitFor };

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PromResult {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: PromSample[] | [number, string] };
}

export interface RunningPrometheus {
  url: string;
  pid: number;
  query(expr: string): Promise<PromResult>;
  /** A range query over [now − seconds, now] (what Grafana runs for time series and annotations). */
  queryRange(expr: string, seconds: number, stepSeconds: number): Promise<PromResult>;
  labelValues(label: string, match?: string): Promise<string[]>;
  /** What Prometheus printed (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  binary: string;
  /** host:port of the exporter. */
  target: string;
  job: string;
  ruleFiles: string[];
  scrapeInterval: string;
  evaluationInterval: string;
}

export async function startPrometheus(o: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: {
        scrape_interval: o.scrapeInterval,
        scrape_timeout: o.scrapeInterval,
        evaluation_interval: o.evaluationInterval,
      },
      rule_files: o.ruleFiles,
      scrape_configs: [{ job_name: o.job, static_configs: [{ targets: [o.target] }] }],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    o.binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      '--storage.tsdb.retention.time=1h',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid === undefined) throw new Error(`could not start ${o.binary}`);
  const pid = child.pid;

  const prom: RunningPrometheus = {
    url,
    pid,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
      return (await res.json()) as PromResult;
    },
    async queryRange(expr, seconds, stepSeconds) {
      const end = Date.now() / 1000;
      const body = new URLSearchParams({
        query: expr,
        start: String(end - seconds),
        end: String(end),
        step: String(stepSeconds),
      });
      const res = await fetch(`${url}/api/v1/query_range`, { method: 'POST', body });
      return (await res.json()) as PromResult;
    },
    async labelValues(label, match) {
      const qs = new URLSearchParams(match ? { 'match[]': match } : {});
      const res = await fetch(`${url}/api/v1/label/${encodeURIComponent(label)}/values?${qs}`);
      const body = (await res.json()) as { status: string; data?: string[]; error?: string };
      if (body.status !== 'success') throw new Error(`label values ${label} ${match ?? ''}: ${body.error}`);
      return body.data ?? [];
    },
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      async () => (await fetch(`${url}/-/ready`)).status === 200,
      30_000,
      () => `Prometheus never became ready:\n${output}`,
    );
  } catch (err) {
    await prom.stop();
    throw err;
  }
  return prom;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}
