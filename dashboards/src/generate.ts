/**
 * Writes the dashboards' JSON next to this directory's parent:
 *
 *   npx tsx dashboards/src/generate.ts           regenerate dashboards/*.json
 *   npx tsx dashboards/src/generate.ts --check   exit 1 when a committed file differs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS, render } from './index.js';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const stale: string[] = [];
  for (const d of DASHBOARDS) {
    const path = join(OUT_DIR, d.file);
    const text = render(d);
    if (check) {
      if (readOrEmpty(path) !== text) stale.push(d.file);
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote dashboards/${d.file}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date (run npx tsx dashboards/src/generate.ts): ${stale.join(', ')}\n`);
    return 1;
  }
  return 0;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

process.exitCode = main(process.argv.slice(2));
