#!/usr/bin/env node
/**
 * npm run build:   TypeScript (tsconfig.build.json) -> dist/, rate cards copied, dist/.build-stamp.
 * npm start:       prestart runs this with --if-stale: nothing happens (about 0.1 s) when no input
 *                  changed since the last build, so a second start goes straight to node dist/cli.js.
 *
 * Inputs are src/ (files and directories: a deleted or renamed file changes its directory's mtime),
 * the tsconfigs, package.json, package-lock.json and this script. The stamp carries the time the
 * build started, so a file saved while tsc was running still counts as newer than the build.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not import.meta.dirname (Node 20.11+): prestart runs this on whatever Node the user has.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.build-stamp');
const INPUTS = [
  'src',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'scripts/build.mjs',
];

/** The newest mtime (ms) of a path and, for a directory, of everything under it. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

function stale() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (!stamp || !existsSync(join(DIST, 'cli.js'))) return 'no previous build';
  const changed = INPUTS.find((p) => newest(join(ROOT, p)) > stamp.mtimeMs);
  return changed ? `${changed} changed since the last build` : undefined;
}

function build() {
  const started = new Date();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  cpSync(join(ROOT, 'src/billing/rate-cards'), join(DIST, 'billing/rate-cards'), { recursive: true });
  writeFileSync(STAMP, `${started.toISOString()}\n`);
  utimesSync(STAMP, started, started);
}

if (process.argv.includes('--if-stale')) {
  const why = stale();
  if (why) {
    process.stderr.write(`build: ${why}, compiling (npm run build)\n`);
    build();
  }
} else {
  build();
}
