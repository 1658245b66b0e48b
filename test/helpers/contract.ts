import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The metric contract's names, read from the README's metric table: the one list users read,
 * which test/unit/readme.test.ts keeps equal to what the exporter really exports. Alert and
 * dashboard tests check their queries against it.
 */
export function contractMetricNames(): readonly string[] {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const table = readme.split('<!-- metrics-table:start -->')[1]?.split('<!-- metrics-table:end -->')[0] ?? '';
  const names = [...table.matchAll(/^\| `(whatsapp_[a-z0-9_]+)`/gm)].map((m) => m[1] as string);
  if (names.length < 40) throw new Error('README metric table not found or truncated');
  return names;
}
