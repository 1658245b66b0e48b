import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The README's metric table must stay true: every exported whatsapp_* family is in it, and nothing else. */
describe('README metric table', () => {
  const table = readme.split('<!-- metrics-table:start -->')[1]?.split('<!-- metrics-table:end -->')[0] ?? '';
  const documented = new Set([...table.matchAll(/^\| `(whatsapp_[a-z0-9_]+)`/gm)].map((m) => m[1] as string));
  const golden = readFileSync(join(root, 'test/golden/sandbox-basic.prom'), 'utf8');
  const exported = new Set([...golden.matchAll(/^# TYPE (whatsapp_[a-z0-9_]+) /gm)].map((m) => m[1] as string));

  it('documents every exported family', () => {
    expect([...exported].filter((m) => !documented.has(m))).toEqual([]);
  });
  it('documents nothing the golden scenario does not export', () => {
    expect([...documented].filter((m) => !exported.has(m))).toEqual([]);
  });
  it('has the two quick-start command lines that CI runs', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    const testLine = 'sh test/install-deps.sh && npm ci && npm test';
    expect(readme).toContain(testLine);
    expect(ci).toContain(testLine);
  });
});
