import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('command line', () => {
  it('check-config: a bad file exits 1 naming the key', async () => {
    const r = await cli(['check-config', '--config.file', 'test/fixtures/config/bad/bad-duration.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('sources.graph_accounts.interval: invalid duration "5x"');
  });

  it('check-config: a family list naming no family this build serves exits 1 naming the key', async () => {
    const r = await cli(['check-config', '--config.file', 'test/fixtures/config/families/unknown-family.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('metrics.deny[0]: "whatsapp_phone_number_qualty_rating" matches no metric family');
  });

  it('serving with that file exits 1 naming the key too, before anything starts', async () => {
    const r = await cli(['--config.file', 'test/fixtures/config/families/unknown-family.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('metrics.deny[0]: "whatsapp_phone_number_qualty_rating" matches no metric family');
    expect(r.stderr).not.toContain('fatal');
  });

  it('check-config: a good file exits 0 and prints secrets as <secret>', async () => {
    const r = await cli(['check-config', '--config.file', 'test/fixtures/config/good/full.yml'], {
      WBE_TEST_TOKEN: 'tok-visible-if-leaked',
      WBE_TEST_TOKEN_FILE: join(root, 'package.json'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('configuration OK (mode: meta)');
    expect(r.stdout).toContain('"accessToken": "<secret>"');
    expect(r.stdout).not.toContain('tok-visible-if-leaked');
  });

  it('--help lists the exporter-style flags; unknown flags exit 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const f of ['--config.file', '--web.listen-address', '--web.telemetry-path', '--storage.path'])
      expect(help.stdout).toContain(f);
    const bad = await cli(['--no-such-flag']);
    expect(bad.code).toBe(2);
  });
});
