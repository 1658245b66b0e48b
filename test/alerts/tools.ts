// Helpers for the alert artifact tests: run the real promtool / amtool binaries and read files.
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const ALERTS_DIR = join(ROOT, 'alerts');
export const RULES_FILE = join(ALERTS_DIR, 'whatsapp.rules.yml');
export const AM_CONFIG = join(ALERTS_DIR, 'alertmanager.yml');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const HINTS: Record<string, string> = {
  promtool: 'install the Debian package "prometheus" (apt-get install --no-install-recommends prometheus)',
  amtool:
    'install the Debian package "prometheus-alertmanager" (apt-get install --no-install-recommends prometheus-alertmanager)',
};

/** Absolute path of a binary on PATH; throws a clear error when it is missing. */
export function requireBinary(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} not found on PATH: ${HINTS[name] ?? 'install it'} to run the alert tests.`);
}

/** Runs a binary and returns its exit code and output (never throws on a non-zero exit). */
export async function runBinary(
  file: string,
  args: string[],
  cwd: string = ROOT,
  timeoutMs = 60_000,
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string; message?: string };
    if (typeof e.code !== 'number') throw err; // spawn failure (ENOENT, timeout): a real error
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message ?? '' };
  }
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
