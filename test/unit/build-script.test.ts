// scripts/build.mjs, as npm run build and npm start's prestart run it: --if-stale compiles only when
// an input changed since the last build, so a second `npm start` goes straight to node dist/cli.js.
// Exercised on a throwaway project (one source file) with the repository's TypeScript.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wbe-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

mkdirSync(join(dir, 'scripts'));
copyFileSync(join(ROOT, 'scripts/build.mjs'), join(dir, 'scripts/build.mjs'));
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
mkdirSync(join(dir, 'src/billing/rate-cards'), { recursive: true });
writeFileSync(join(dir, 'src/billing/rate-cards/card.csv'), 'market,price\n');
writeFileSync(join(dir, 'src/cli.ts'), 'export const answer: number = 42;\n');
writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
writeFileSync(
  join(dir, 'tsconfig.build.json'),
  JSON.stringify({
    compilerOptions: {
      outDir: 'dist',
      rootDir: 'src',
      module: 'NodeNext',
      target: 'ES2022',
      types: [],
      skipLibCheck: true,
    },
    include: ['src'],
  }),
);

const run = (...args: string[]): string =>
  execFileSync(process.execPath, [join(dir, 'scripts/build.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const builtAt = (): number => statSync(join(dir, 'dist/cli.js')).mtimeMs;
/** Runs --if-stale and says whether it compiled. */
const prestart = (): boolean => {
  const before = existsSync(join(dir, 'dist/cli.js')) ? builtAt() : 0;
  run('--if-stale');
  return builtAt() !== before;
};

describe('scripts/build.mjs', () => {
  it('builds dist/ with the rate cards and a stamp when there is no previous build', () => {
    expect(prestart()).toBe(true);
    expect(existsSync(join(dir, 'dist/billing/rate-cards/card.csv'))).toBe(true);
    expect(existsSync(join(dir, 'dist/.build-stamp'))).toBe(true);
  });

  it('does nothing when no input changed', () => {
    expect(prestart()).toBe(false);
    expect(prestart()).toBe(false);
  });

  it('rebuilds after a source is edited, added or deleted, or a tsconfig changes', () => {
    // Each edit happens after the previous build finished, as a developer's would.
    const edit = (p: string, text: string) => writeFileSync(join(dir, p), text);
    edit('src/cli.ts', 'export const answer: number = 43;\n');
    expect(prestart()).toBe(true);
    expect(prestart()).toBe(false);
    edit('src/extra.ts', 'export const x = 1;\n');
    expect(prestart()).toBe(true);
    expect(prestart()).toBe(false);
    unlinkSync(join(dir, 'src/extra.ts')); // changes the directory's mtime
    expect(prestart()).toBe(true);
    edit(
      'tsconfig.build.json',
      JSON.stringify({
        compilerOptions: {
          outDir: 'dist',
          rootDir: 'src',
          module: 'NodeNext',
          target: 'ES2023',
          types: [],
          skipLibCheck: true,
        },
        include: ['src'],
      }),
    );
    expect(prestart()).toBe(true);
    expect(prestart()).toBe(false);
  });

  it('a failed compile leaves the build stale (the next start tries again) and fails', () => {
    writeFileSync(join(dir, 'src/cli.ts'), 'export const answer: number = "not a number";\n');
    expect(() => run('--if-stale')).toThrow();
    expect(() => run('--if-stale')).toThrow();
  });
});
