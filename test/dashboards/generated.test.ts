// The committed dashboard JSON is exactly what the generator prints.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, render } from '../../dashboards/src/index.js';
import { DASHBOARD_DIR, ROOT } from './dashboards.js';

const run = promisify(execFile);

describe('generated dashboards', () => {
  it.each(DASHBOARDS.map((d) => [d.file, d] as const))(
    '%s equals the generator output (run `npx tsx dashboards/src/generate.ts`)',
    (file, d) => {
      expect(readFileSync(join(DASHBOARD_DIR, file), 'utf8')).toBe(render(d));
    },
  );

  it('every JSON file in dashboards/ comes from the generator', () => {
    const committed = readdirSync(DASHBOARD_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(committed).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });

  it('generation is deterministic', () => {
    for (const d of DASHBOARDS) expect(render(d)).toBe(render(d));
  });

  it('`generate.ts --check` exits 0 on the committed files', async () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const { stderr } = await run(tsx, ['dashboards/src/generate.ts', '--check'], { cwd: ROOT });
    expect(stderr).toBe('');
  });
});
