// The exporter's real command line (`node --import tsx src/cli.ts`) as a child process on a fixed
// 127.0.0.1 port, for tests that need separate processes: the StatefulSet-style auto sharding and
// the nginx webhook fan-out (a shard is stopped and started again on the same port and storage).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sleep } from './wait.js';

const ROOT = join(import.meta.dirname, '../..');

export const PROCESS_TOKEN = 'EAAprocess-test-token-0123456789';
export const PROCESS_APP_SECRET = 'process-app-secret-0123456789';

export interface ExporterProcess {
  readonly url: string;
  readonly pid: number;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>;
  /** SIGTERM (the exporter's graceful shutdown), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts the CLI with `args` and `env` (plus PATH) and resolves once it logged "exporter listening",
 * or rejects with its output when it exits first.
 */
export async function startExporterProcess(o: {
  port: number;
  args: string[];
  env: Record<string, string>;
}): Promise<ExporterProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', `--web.listen-address=127.0.0.1:${o.port}`, ...o.args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let onOutput = () => {};
  const collect = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
    onOutput();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const proc: ExporterProcess = {
    url: `http://127.0.0.1:${o.port}`,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (alive()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc.stop();
      reject(new Error(`exporter on port ${o.port} did not start in 60 s:\n${out}`));
    }, 60_000);
    onOutput = () => {
      if (!out.includes('"exporter listening"')) return;
      clearTimeout(timer);
      resolve();
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exporter exited with ${code} before listening:\n${out}`), { code, out }));
    });
  });
  return proc;
}

/**
 * A config file for exporter processes against `sb`: long intervals (the test refreshes nothing
 * on its own), the test app secret, Meta pricing off. The token and ids come from `sandboxEnv`.
 */
export function processConfigFile(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-proc-'));
  const file = join(dir, 'config.yml');
  const long = { interval: '1h' };
  writeFileSync(
    file,
    stringify({
      graph: { timeout: '2s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms' },
      sources: { graph_accounts: long, graph_limits: long, graph_templates: long, graph_token: long },
      billing: { meta_pricing: { enabled: false } },
      webhooks: { app_secret: PROCESS_APP_SECRET },
      ...extra,
    }),
  );
  return file;
}

/** The single-account environment pointing at the sandbox (every portfolio of it). */
export function sandboxEnv(sb: Sandbox): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: PROCESS_TOKEN,
    WHATSAPP_GRAPH_API_URL: sb.url,
    WHATSAPP_BUSINESS_IDS: sb.state.businessIds().join(','),
  };
}
