// #19, D6: check-config runs every check start runs, and a start that cannot happen says why in
// one line naming the key (and flag), exits non-zero and never spins. The CLI runs as a process.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
/** Far above a start's few seconds: a process still running then is a hang (it used to spin forever). */
const HANG_MS = 25_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

const cli = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: HANG_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; killed?: boolean }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout,
          stderr,
          killed: e?.killed ?? false,
        });
      },
    );
  });

const dir = () => mkdtempSync(join(tmpdir(), 'wbe-cli-'));
const file = (text: string) => {
  const f = join(dir(), 'config.yml');
  writeFileSync(f, text);
  return f;
};

/** One line naming the key, no stack trace, exit 1. */
function expectOneLine(r: Run, key: string): void {
  expect(r.killed, 'the process hung').toBe(false);
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(key);
  expect(r.stderr).not.toMatch(/\n\s+at |fatal:/);
}

describe('check-config runs what start runs; start failures are one line (#19, D6)', () => {
  const MISSING_CARD = 'billing:\n  rate_card: { file: /nonexistent/rate-card.csv }\n';
  const BAD_CARD = () => {
    const card = join(dir(), 'card.csv');
    writeFileSync(card, 'not,a,rate,card\n1,2,3,4\n');
    return `billing:\n  rate_card: { file: ${card} }\n`;
  };

  for (const [name, config, flags, key] of [
    ['a missing rate card', () => MISSING_CARD, [], 'billing.rate_card.file'],
    ['a rate card that is not one', BAD_CARD, [], 'billing.rate_card.file'],
    ['a storage path under /proc', () => '', ['--storage.path=/proc/wbe-x'], 'storage.path (--storage.path)'],
    ['a storage path that is a file', () => '', [`--storage.path=${join(root, 'package.json')}`], 'storage.path'],
    [
      'a port out of range',
      () => '',
      ['--web.listen-address=127.0.0.1:99999'],
      'web.listen_address (--web.listen-address)',
    ],
  ] as const) {
    it(`${name}: check-config exits 1 naming the key, and so does start`, async () => {
      const f = file(config());
      const storage = flags.some((x) => x.startsWith('--storage.path')) ? [] : [`--storage.path=${dir()}`];
      const check = await cli(['check-config', `--config.file=${f}`, ...storage, ...flags]);
      expectOneLine(check, key);
      expect(check.stdout).not.toContain('configuration OK');
      const listen = flags.some((x) => x.startsWith('--web.listen-address'))
        ? []
        : ['--web.listen-address=127.0.0.1:0'];
      const start = await cli([`--config.file=${f}`, ...storage, ...listen, ...flags]);
      expectOneLine(start, key);
      expect(start.stderr).toMatch(/^cannot start: /);
    });
  }

  it('a listen address in use: start exits 1 at once naming the key and flag, no stack trace', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = await cli([`--storage.path=${dir()}`, `--web.listen-address=127.0.0.1:${port}`]);
      expectOneLine(r, 'web.listen_address (--web.listen-address)');
      expect(r.stderr).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });

  it('a statement file that does not exist yet is a warning for check-config, not an error (start runs without it)', async () => {
    const f = file(
      'billing:\n  accounts:\n    - { name: s, provider: statement, currency: USD, statement: { file: /nonexistent/statement.csv } }\n',
    );
    const r = await cli(['check-config', `--config.file=${f}`, `--storage.path=${dir()}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('configuration OK');
    expect(r.stderr).toContain(
      'warning: billing.accounts[0].statement.file: cannot read /nonexistent/statement.csv yet: ENOENT',
    );
  });
});
