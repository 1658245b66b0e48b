// #19, D7 + D10: a secret planted in every place a configuration can carry one (${ENV} in any key,
// *_file, URLs with user:password@ and query keys) appears in no output: check-config's stdout and
// stderr, start's stderr and log, /metrics, the pages, the API, and the reload answer. The CLI runs
// as a real process.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
/** Name-shaped (letters, digits, _), so it passes every pattern a value could be checked against and gets as far as possible. */
const SECRET = 'S3cr3t_Value_9f8e7d6c5b4a';
const ENV = { PATH: process.env.PATH ?? '', WBE_SECRET: SECRET };
const forms = [SECRET, encodeURIComponent(SECRET), Buffer.from(SECRET).toString('base64')];

const cli = (args: string[], env: Record<string, string> = ENV) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: root, env, timeout: 25_000 },
      (err, stdout, stderr) =>
        resolve({ code: (err as { code?: number } | null)?.code ?? 0, out: `${stdout}\n${stderr}` }),
    );
  });

const tmp = () => mkdtempSync(join(tmpdir(), 'wbe-secret-'));
function write(text: string): string {
  const f = join(tmp(), 'config.yml');
  writeFileSync(f, text);
  return f;
}
const secretFile = () => {
  const f = join(tmp(), 'secret');
  writeFileSync(f, `${SECRET}\n`);
  return f;
};

function expectClean(text: string, where: string): void {
  for (const f of forms) expect(text.includes(f), `${where} holds the secret:\n${text.slice(0, 3000)}`).toBe(false);
}

/** Each config fails (or passes) at a different stage of checking; every stage must redact. */
const CONFIGS: Record<string, () => string> = {
  'schema: ${ENV} in keys of every kind': () => `
graph:
  url: "https://graph.example.com/\${WBE_SECRET}x y"
  api_version: "\${WBE_SECRET}"
  timeout: "\${WBE_SECRET}"
sources:
  graph_accounts: { interval: "\${WBE_SECRET}" }
web:
  listen_address: "\${WBE_SECRET}"
  telemetry_path: "\${WBE_SECRET}"
webhooks:
  max_body_size: "\${WBE_SECRET}"
  path: "\${WBE_SECRET}"
businesses:
  - id: "\${WBE_SECRET}"
metrics:
  state_sets: "\${WBE_SECRET}"
log:
  level: "\${WBE_SECRET}"
customers:
  - name: c1
    email: ["\${WBE_SECRET}"]
shard: "\${WBE_SECRET}"
billing:
  accounts:
    - { name: w, provider: telnyx, api_key: k, top_up_url: "javascript:\${WBE_SECRET}", currency: "\${WBE_SECRET}" }
`,
  'build: names, references and billing options from ${ENV}': () => `
credentials:
  - { name: a, access_token: "\${WBE_SECRET}" }
  - { name: a, access_token_file: ${secretFile()} }
businesses:
  - { id: "1", credential: "\${WBE_SECRET}" }
billing:
  accounts:
    - name: "\${WBE_SECRET}"
      provider: telnyx
      api_key: "\${WBE_SECRET}"
    - name: "\${WBE_SECRET}"
      provider: telnyx
      api_key_file: ${secretFile()}
customers:
  - name: c1
    billing_accounts: ["\${WBE_SECRET}"]
    webhook_url: "ftp://\${WBE_SECRET}"
`,
  'families: a pattern from ${ENV} that matches no family': () => `
metrics:
  deny: ["\${WBE_SECRET}"]
`,
  'start checks: storage path and rate card from ${ENV}': () => `
storage: { path: "/proc/\${WBE_SECRET}" }
billing:
  rate_card: { file: "/nonexistent/\${WBE_SECRET}.csv" }
`,
  'valid: credentials in URLs (user:password@, ?api_key=) and secrets from files': () => `
web:
  bearer_token_file: ${secretFile()}
webhooks:
  app_secret: "\${WBE_SECRET}"
  verify_token_file: ${secretFile()}
billing:
  accounts:
    - name: wallet
      provider: http_json
      url: "http://ops:\${WBE_SECRET}@127.0.0.1:9/balance?api_key=\${WBE_SECRET}&x=1"
      balance_path: balance
      currency: USD
      statement:
        url: "http://127.0.0.1:9/statement?token=\${WBE_SECRET}"
        headers: { authorization: "Bearer \${WBE_SECRET}" }
customers:
  - name: c1
    webhook_url: "https://hooks.example.com/\${WBE_SECRET}"
`,
};

describe('no secret in any output (#19, D7, D10)', () => {
  for (const [name, text] of Object.entries(CONFIGS)) {
    it(`check-config, ${name}`, async () => {
      const r = await cli(['check-config', `--config.file=${write(text())}`, `--storage.path=${tmp()}`]);
      // The stages before the last fail; the last is valid.
      expect(r.code, r.out).toBe(name.startsWith('valid') ? 0 : 1);
      if (r.code === 1) expect(r.out).toContain('<secret>');
      expectClean(r.out, `check-config (${name})`);
    });
  }

  it('a running exporter: log, /metrics, pages, API and a failed reload hold no secret', async () => {
    const dir = tmp();
    const file = write(
      CONFIGS['valid: credentials in URLs (user:password@, ?api_key=) and secrets from files']?.() ?? '',
    );
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli.ts',
        `--config.file=${file}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { cwd: root, env: ENV },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    try {
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${SECRET}` };
      await waitFor(async () => (await get(`${base}/-/healthy`)).status === 200);
      // The billing account fails (nothing listens on port 9): its failure is logged and counted.
      await waitFor(async () =>
        (await get(`${base}/metrics`, auth)).text.includes('whatsapp_exporter_billing_request_failures_total{'),
      );
      const outputs: Array<[string, string]> = [];
      for (const path of [
        '/metrics',
        '/',
        '/accounts',
        '/accounts/wallet',
        '/api/v1/overview',
        '/api/v1/accounts',
        '/-/targets',
      ])
        outputs.push([path, (await get(`${base}${path}`, auth)).text]);
      // A reload with a bad value from the environment: refused, and its answer names the key only.
      writeFileSync(file, 'sources:\n  graph_accounts: { interval: "${WBE_SECRET}" }\n');
      const reload = await request(`${base}/-/reload`, { method: 'POST', headers: auth });
      const reloadText = await reload.body.text();
      expect(reload.statusCode).toBe(500);
      expect(reloadText).toContain('sources.graph_accounts.interval: invalid duration "<secret>"');
      outputs.push(['reload answer', reloadText]);
      for (const [where, text] of outputs) expectClean(text, where);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    expect(out).toContain('config reload failed');
    expectClean(out, 'the process output (log)');
  });
});

async function get(url: string, headers: Record<string, string> = {}) {
  try {
    const r = await request(url, { headers });
    return { status: r.statusCode, text: await r.body.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

async function waitFor(ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
