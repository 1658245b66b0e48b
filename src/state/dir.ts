import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * mkdir -p, one component at a time. Node's mkdirSync(p, { recursive: true }) never returns on a
 * path whose parent refuses new entries with ENOENT (`--storage.path=/proc/x`: it spun at 100 %
 * CPU and the exporter never listened); here every failure is thrown with its code.
 */
export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    if (exists(p)) break;
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
