// Shared by the stack artifact tests: the repository root, the compose file resolved by
// docker-compose itself, and the binaries (with install hints).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { isRecord, requireBinary, ROOT, runBinary, type RunResult } from '../alerts/tools.js';

const run = promisify(execFile);

export { isRecord, ROOT, runBinary };
export const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
export const PROMETHEUS_FILE = join(ROOT, 'prometheus.yml');
export const DOCKERFILE = join(ROOT, 'Dockerfile');

/** Like requireBinary, with the hint for docker-compose (see test/install-deps.sh). */
export function binary(name: 'docker-compose' | 'promtool' | 'amtool'): string {
  try {
    return requireBinary(name);
  } catch (err) {
    if (name !== 'docker-compose') throw err;
    throw new Error(
      'docker-compose not found on PATH: run test/install-deps.sh (apt-get install --no-install-recommends docker-compose); no Docker daemon is needed',
    );
  }
}

/** Writes an env file for compose (KEY=value lines) and returns its path. */
export function envFile(vars: Record<string, string> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wbe-compose-')), 'test.env');
  writeFileSync(
    file,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return file;
}

/**
 * docker-compose with the given env file (default: an empty one) and a clean environment, so
 * neither the developer's shell variables nor a local .env (git-ignored, may hold real tokens)
 * change what the tests see.
 */
export async function compose(args: string[], env: string = envFile()): Promise<RunResult> {
  const bin = binary('docker-compose');
  try {
    const { stdout, stderr } = await run(bin, ['--env-file', env, '-f', COMPOSE_FILE, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | null>;
  ports?: Array<string | { host_ip?: string; published?: number | string; target?: number }>;
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, unknown> | string[];
}

export interface ResolvedCompose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The compose file after interpolation, as docker-compose resolves it. */
export async function resolvedCompose(env?: string): Promise<ResolvedCompose> {
  const r = await compose(['config'], env);
  if (r.code !== 0) throw new Error(`docker-compose config failed:\n${r.stderr}`);
  const doc = parse(r.stdout) as unknown;
  if (!isRecord(doc) || !isRecord(doc.services))
    throw new Error(`unexpected docker-compose config output:\n${r.stdout}`);
  return doc as unknown as ResolvedCompose;
}
