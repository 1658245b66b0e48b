/**
 * Loads a shipped exporter config whose secrets are files under /run/secrets/ (where the manifests
 * mount them) with placeholder files in a temp dir instead: the generator needs its customers, and
 * the tests check that the config is valid, without any real secret on this machine.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';

const SECRETS = /\/run\/secrets\/[A-Za-z0-9._/-]+/g;

export function loadWithPlaceholderSecrets(file: string): Config {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-k8s-secrets-'));
  const text = readFileSync(file, 'utf8');
  for (const path of new Set(text.match(SECRETS) ?? [])) {
    const local = join(dir, path);
    mkdirSync(dirname(local), { recursive: true });
    // A URL passes every secret's check (a customer's webhook_url must be http(s)).
    writeFileSync(local, 'https://placeholder.invalid/secret\n');
  }
  const copy = join(dir, 'config.yml');
  writeFileSync(
    copy,
    text.replace(SECRETS, (p) => join(dir, p)),
  );
  return loadConfig({ file: copy, env: {} });
}
