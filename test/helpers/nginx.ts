// Debian's nginx with the njs module (packages nginx and libnginx-mod-http-js, test/install-deps.sh),
// run unprivileged on 127.0.0.1 with the shipped deploy/nginx/ files: its own prefix, pid and temp
// paths in a temp dir, errors on stderr. Under root (CI) it runs as "nobody", never as root.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '../e2e/processes.js';
import { sleep, waitFor } from './wait.js';

const SHIPPED = join(import.meta.dirname, '../../deploy/nginx');
/** Where Debian's libnginx-mod-http-js puts the module. */
const NJS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';
const NOBODY = 65534;

export interface Nginx {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The shipped nginx.conf and whatsapp-webhooks.conf, with only what is local replaced: the module's
 * Debian path, the temp and pid paths, the listen address, the include paths; no resolver (the
 * shards are IP addresses). `env` is the fan-out's environment (WHATSAPP_SHARDS, …).
 */
export async function startFanoutNginx(o: { port: number; env: Record<string, string> }): Promise<Nginx> {
  const binary = findNginx();
  if (!existsSync(NJS_MODULE))
    throw new Error(
      `${NJS_MODULE} not found: install the Debian package "libnginx-mod-http-js" (test/install-deps.sh)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'wbe-nginx-'));
  const root = process.getuid?.() === 0;
  if (root) {
    chownSync(dir, NOBODY, NOBODY);
    chmodSync(dir, 0o755);
  }
  copyFileSync(join(SHIPPED, 'whatsapp-fanout.js'), join(dir, 'whatsapp-fanout.js'));
  writeFileSync(
    join(dir, 'whatsapp-webhooks.conf'),
    replaceOnce(
      readFileSync(join(SHIPPED, 'whatsapp-webhooks.conf'), 'utf8'),
      'listen 8080;',
      `listen 127.0.0.1:${o.port};`,
    ),
  );
  let conf = readFileSync(join(SHIPPED, 'nginx.conf'), 'utf8');
  conf = replaceOnce(conf, 'load_module modules/ngx_http_js_module.so;', `load_module ${NJS_MODULE};`);
  // Every path the shipped file writes is under /tmp/ (pid and temp paths): here, under `dir`.
  conf = replaceOnce(conf, 'pid /tmp/nginx.pid;', 'pid TMP/nginx.pid;').replaceAll('/tmp/', `${dir}/`);
  conf = conf.replace('pid TMP/', `pid ${dir}/`);
  conf = replaceOnce(conf, 'access_log /dev/stdout;', 'access_log off;');
  conf = conf.replace(/^\s*resolver .*$/m, '');
  conf = conf.replaceAll('/etc/nginx/whatsapp/', `${dir}/`);
  writeFileSync(join(dir, 'nginx.conf'), conf);

  const child: ChildProcess = spawn(
    binary,
    ['-p', `${dir}/`, '-e', 'stderr', '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    {
      env: { PATH: process.env.PATH ?? '', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(root ? { uid: NOBODY, gid: NOBODY } : {}),
    },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const nginx: Nginx = {
    url: `http://127.0.0.1:${o.port}`,
    output: () => out,
    async stop() {
      // SIGQUIT: graceful shutdown (workers finish their requests), then SIGKILL as a last resort.
      if (alive()) child.kill('SIGQUIT');
      await Promise.race([exited, sleep(10_000)]);
      if (alive()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  try {
    await waitFor(
      async () => {
        if (!alive()) throw new Error('exited');
        return (await fetch(`${nginx.url}/healthz`)).status === 200;
      },
      15_000,
      () => `nginx did not start:\n${out}`,
      100,
    );
  } catch (err) {
    await nginx.stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return nginx;
}

function findNginx(): string {
  for (const p of ['/usr/sbin/nginx']) if (existsSync(p)) return p;
  return findBinary('nginx');
}

/** Replaces exactly one occurrence, so a changed shipped file fails loudly instead of running unmodified. */
function replaceOnce(text: string, from: string, to: string): string {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`expected exactly one "${from}" in the shipped nginx configuration, found ${n}`);
  return text.replace(from, to);
}
