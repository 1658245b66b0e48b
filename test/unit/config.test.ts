import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { parseDuration } from '../../src/config/duration.js';

const dir = join(import.meta.dirname, '../fixtures/config');
const secretFile = join(mkdtempSync(join(tmpdir(), 'wbe-cfg-')), 'token');
writeFileSync(secretFile, 'file-token-value\n');

/** One bad fixture per validation message; each pins the key path and the message. */
const BAD: Record<string, string> = {
  'unknown-key': 'graph.timout: unknown key',
  'bad-duration': 'sources.graph_accounts.interval: invalid duration "5x"',
  'numeric-id': 'businesses[0].id: ids must be quoted strings',
  'not-an-id': 'wabas[0].id: not a Graph object id: "abc"',
  'unset-env': 'credentials[0].access_token: environment variable WBE_TEST_UNSET_VARIABLE is not set',
  'unknown-credential': 'businesses[0].credential: no credential named "other"',
  'duplicate-credential': 'credentials[1].name: duplicate credential name "a"',
  'token-and-file': 'credentials[0].access_token: set either access_token or access_token_file, not both',
  'token-missing': 'credentials[0].access_token: access_token or access_token_file is required',
  'secret-file-missing': 'credentials[0].access_token_file: cannot read secret file: ENOENT',
  'no-ids': 'businesses: a token is set but no business or WABA ids',
  'api-version': 'graph.api_version: api_version looks like v24.0',
  'listen-address': 'web.listen_address: use host:port or :port',
  'yaml-syntax': '(root): YAML:',
  'not-a-mapping': '(root): the top level must be a mapping',
  'batch-size': 'graph.batch_size: Too big: expected number to be <=50',
  'two-auths': 'web: configure basic_auth or bearer_token, not both',
  'bad-url': 'graph.url: Invalid URL',
  'telemetry-path': 'web.telemetry_path: must start with /',
  'log-level': 'log.level: Invalid option',
  'bad-name': 'credentials[0].name: names may use letters',
  'basic-auth-no-password': 'web.basic_auth.password: password or password_file is required',
  'duplicate-key': '(root): YAML: Map keys must be unique',
  'shard-format': 'shard: use "i/n" with 1 <= i <= n, e.g. "2/3" (got "3/2")',
  'shard-range': 'shard.index: must not exceed shard.count (2)',
  'shard-count': 'shard.count: Too small: expected number to be >=1',
  'budget-share': 'graph.budget_share: Too big: expected number to be <=1',
  'hourly-budget': 'graph.hourly_budget_per_waba: Too small: expected number to be >=1',
  'usage-threshold': 'graph.usage_slowdown_threshold: Too small: expected number to be >0',
};

describe('config: bad fixtures', () => {
  for (const [name, expected] of Object.entries(BAD)) {
    it(`${name} fails naming the key`, () => {
      const file = join(dir, 'bad', `${name}.yml`);
      let err: unknown;
      try {
        loadConfig({ file, env: {} });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(`${file}: ${expected}`);
    });
  }
});

describe('config: good', () => {
  const env = { WBE_TEST_TOKEN: 'inline-token-value', WBE_TEST_TOKEN_FILE: secretFile };

  it('parses every section, applies defaults and reads *_file secrets', () => {
    const c = loadConfig({ file: join(dir, 'good/full.yml'), env });
    expect(c.mode).toBe('meta');
    expect(c.credentials.map((x) => [x.name, x.accessToken.reveal()])).toEqual([
      ['default', 'inline-token-value'],
      ['agency', 'file-token-value'],
    ]);
    expect(c.businesses[1]).toEqual({ id: '506914307656635', credential: 'agency', discover: ['client'] });
    expect(c.businesses[0]?.discover).toEqual(['owned', 'client']);
    expect(c.sources.graph_accounts).toEqual({ enabled: true, intervalMs: 120_000, maxStalenessMs: 600_000 });
    expect(c.sources.graph_limits.intervalMs).toBe(15 * 60_000);
    expect(c.sources.graph_token.maxStalenessMs).toBe(86_400_000);
    expect(c.templates.perTemplateSeries).toBe(false);
    expect(c.graph.timeout).toBe(10_000);
    expect(c.web.auth.kind).toBe('bearer');
    expect(Object.isFrozen(c) && Object.isFrozen(c.graph) && Object.isFrozen(c.businesses)).toBe(true);
  });

  it('never prints secrets: JSON, inspect and template strings show <secret>', () => {
    const c = loadConfig({ file: join(dir, 'good/full.yml'), env });
    const dumps = [JSON.stringify(c), inspect(c, { depth: 10 }), `${c.credentials[0]?.accessToken}`];
    for (const d of dumps) {
      expect(d).not.toContain('inline-token-value');
      expect(d).not.toContain('file-token-value');
    }
    expect(JSON.stringify(c)).toContain('"accessToken":"<secret>"');
  });

  it('no file and no token: sandbox mode', () => {
    const c = loadConfig({ env: {} });
    expect(c.mode).toBe('sandbox');
    expect(c.web.listenAddress).toBe(':9914');
    expect(c.web.telemetryPath).toBe('/metrics');
    expect(c.graph.url).toBe('https://graph.facebook.com');
  });

  it('environment alone configures one account; env overrides the file; flags override both', () => {
    const c = loadConfig({
      env: { WHATSAPP_ACCESS_TOKEN: 'env-token', WHATSAPP_BUSINESS_IDS: '111, 222', WHATSAPP_WABA_IDS: '333', WHATSAPP_GRAPH_API_URL: 'http://127.0.0.1:1', WHATSAPP_GRAPH_API_VERSION: 'v25.0' },
      flags: { listenAddress: '127.0.0.1:0', telemetryPath: '/m' },
    });
    expect(c.mode).toBe('meta');
    expect(c.credentials[0]?.accessToken.reveal()).toBe('env-token');
    expect(c.businesses.map((b) => b.id)).toEqual(['111', '222']);
    expect(c.wabas.map((w) => w.id)).toEqual(['333']);
    expect(c.graph.url).toBe('http://127.0.0.1:1');
    expect(c.graph.api_version).toBe('v25.0');
    expect(c.web.listenAddress).toBe('127.0.0.1:0');
    expect(c.web.telemetryPath).toBe('/m');

    const f = loadConfig({ file: join(dir, 'good/full.yml'), env: { ...env, WHATSAPP_ACCESS_TOKEN_FILE: secretFile, WHATSAPP_WABA_IDS: '444' } });
    expect(f.credentials.find((x) => x.name === 'default')?.accessToken.reveal()).toBe('file-token-value');
    expect(f.wabas.map((w) => w.id)).toEqual(['444']);
    expect(f.businesses).toHaveLength(2);
  });

  it('shard: from the file ({index, count}), WHATSAPP_EXPORTER_SHARD, and --shard (flags win); default 1/1', () => {
    const f = loadConfig({ file: join(dir, 'good/full.yml'), env });
    expect(f.shard).toEqual({ index: 2, count: 3 });
    expect(f.graph.hourly_budget_per_waba).toBe(200);
    expect(f.graph.budget_share).toBe(0.25);
    expect(f.graph.usage_slowdown_threshold).toBe(0.75);
    expect(loadConfig({ env: {} }).shard).toEqual({ index: 1, count: 1 });
    expect(loadConfig({ env: { WHATSAPP_EXPORTER_SHARD: '3/4' } }).shard).toEqual({ index: 3, count: 4 });
    expect(loadConfig({ env: { WHATSAPP_EXPORTER_SHARD: '3/4' }, flags: { shard: '1/2' } }).shard).toEqual({ index: 1, count: 2 });
    expect(() => loadConfig({ env: {}, flags: { shard: '0/2' } })).toThrow('<environment>: shard: use "i/n"');
    expect(() => loadConfig({ env: { WHATSAPP_EXPORTER_SHARD: 'two' } })).toThrow('<environment>: shard: use "i/n"');
  });

  it('a token never falls back to the sandbox, even when ids are missing', () => {
    expect(() => loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 'x' } })).toThrow(/no business or WABA ids/);
  });
});

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['250ms', 250],
    [30, 30_000],
    ['45', 45_000],
  ] as const)('%s', (input, ms) => expect(parseDuration(input)).toBe(ms));
  it.each(['', '5x', 'm5', '1h 2m', '-3s'])('rejects %j', (input) => expect(parseDuration(input)).toBeUndefined());
});
