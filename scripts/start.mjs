#!/usr/bin/env node
/**
 * npm start: runs the exporter (dist/cli.js) in this process when this Node has node:sqlite
 * (22.13+ or 24+). On an older Node (Debian ships 18 and 20) it runs the same command on Node 24
 * fetched from the npm registry (`npm exec --package=node@24`), so the README's
 * `npm ci && npm start` works on a fresh machine whatever its Node; the Docker image and CI run 24.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major >= 24 || (major === 22 && minor >= 13) || major === 23;

if (supported) {
  await import(pathToFileURL(CLI).href);
} else {
  process.stderr.write(
    `Node ${process.version} has no node:sqlite: running on Node 24 from the npm registry (npm exec --package=node@24)\n`,
  );
  const child = spawn('npm', ['exec', '--yes', '--package=node@24', '--', 'node', CLI, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
