import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_DOC, metricTableNames } from '../helpers/contract.js';

const root = join(import.meta.dirname, '../..');

/** The metric table of docs/metrics.md must stay true: every exported whatsapp_* family is in it, and nothing else. */
describe('docs/metrics.md metric table', () => {
  const documented = new Set(metricTableNames(readFileSync(METRICS_DOC, 'utf8')));
  const golden = readFileSync(join(root, 'test/golden/sandbox-basic.prom'), 'utf8');
  const exported = new Set([...golden.matchAll(/^# TYPE (whatsapp_[a-z0-9_]+) /gm)].map((m) => m[1] as string));

  it('documents every exported family', () => {
    expect([...exported].filter((m) => !documented.has(m))).toEqual([]);
  });
  it('documents nothing the golden scenario does not export', () => {
    expect([...documented].filter((m) => !exported.has(m))).toEqual([]);
  });
});

describe('README quick start', () => {
  it('has the two quick-start command lines that CI runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    const testLine = 'sh test/install-deps.sh && npm ci && npm test';
    expect(readme).toContain(testLine);
    expect(ci).toContain(testLine);
  });
});
