#!/usr/bin/env node
/**
 * npm start: runs the exporter (dist/cli.js) in this process when this Node has node:sqlite
 * (22.13+ or 24+). On an older Node (Debian ships 18 and 20) it fetches Node 24 from the npm
 * registry once (`npm exec --package=node@24`, cached by npm) and runs the exporter on it as a
 * direct child, so signals (SIGHUP = reload, SIGINT/SIGTERM = stop) reach the exporter itself and
 * the README's `npm ci && npm start` works on a fresh machine whatever its Node.
 * Written for old Nodes on purpose: no import.meta.dirname, no newer APIs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major >= 24 || (major === 22 && minor >= 13);

if (supported) {
  await import(pathToFileURL(CLI).href);
} else {
  process.stderr.write(
    `Node ${process.version} has no node:sqlite: running the exporter on Node 24 from the npm registry\n`,
  );
  let node24;
  try {
    node24 = execFileSync('npm', ['exec', '--yes', '--package=node@24', '--', 'node', '-p', 'process.execPath'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (err) {
    process.stderr.write(`cannot get Node 24 through npm exec (${err.message}); install Node 24 or 22.13+\n`);
    process.exit(1);
  }
  const child = spawn(node24, [CLI, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', (err) => {
    process.stderr.write(`cannot start ${node24}: ${err.message}\n`);
    process.exit(1);
  });
  // Forward what this process gets (kill -HUP <pid> reloads the exporter). A terminal's Ctrl-C also
  // reaches the child directly; the exporter ignores a second stop signal.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
