import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES } from '../../src/billing/providers/index.js';
import { ConfigError, type ConfigIssue } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { parseDuration } from '../../src/config/duration.js';
import { sourceMessages } from '../helpers/config-messages.js';

const dir = join(import.meta.dirname, '../fixtures/config');
const secretFile = join(mkdtempSync(join(tmpdir(), 'wbe-cfg-')), 'token');
writeFileSync(secretFile, 'file-token-value\n');

/**
 * One bad fixture per validation message (like blackbox_exporter's config/testdata): each file
 * under fixtures/config/bad must fail with exactly this key path and message. Path '' is the file.
 */
const BAD: Record<string, readonly [path: string, message: string]> = {
  'unknown-key': ['graph.timout', 'unknown key'],
  'metrics-state-sets': ['metrics.state_sets', 'Invalid option: expected one of "active"|"full"'],
  'metrics-aggregate-by': ['metrics.aggregate_by', 'Invalid option: expected one of "business"|"waba"|"phone_number"'],
  'metrics-bad-pattern': ['metrics.deny[0]', 'not a valid regular expression'],
  'bad-duration': ['sources.graph_accounts.interval', 'invalid duration "5x" (use e.g. 30s, 5m, 1h)'],
  'bad-size': ['webhooks.max_body_size', 'invalid size "5 gigs" (use e.g. 512kb, 1mb)'],
  'numeric-id': ['businesses[0].id', 'ids must be quoted strings (large numbers lose digits in YAML)'],
  'not-an-id': ['wabas[0].id', 'not a Graph object id: "abc"'],
  'unset-env': ['credentials[0].access_token', 'environment variable WBE_TEST_UNSET_VARIABLE is not set'],
  'unknown-credential': ['businesses[0].credential', 'no credential named "other"'],
  'duplicate-credential': ['credentials[1].name', 'duplicate credential name "a"'],
  'token-and-file': ['credentials[0].access_token', 'set either access_token or access_token_file, not both'],
  'token-missing': ['credentials[0].access_token', 'access_token or access_token_file is required'],
  'secret-file-missing': ['credentials[0].access_token_file', 'cannot read secret file: ENOENT'],
  'secret-file-empty': ['credentials[0].access_token_file', 'the secret file is empty'],
  'no-ids': [
    'businesses',
    'a token is set but no business or WABA ids (set businesses/wabas or WHATSAPP_BUSINESS_IDS / WHATSAPP_WABA_IDS)',
  ],
  'api-version': ['graph.api_version', 'api_version looks like v24.0'],
  'listen-address': ['web.listen_address', 'use host:port or :port'],
  'yaml-syntax': [
    '',
    'YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1:',
  ],
  'not-a-mapping': ['', 'the top level must be a mapping'],
  // Deliberately absent: the one message about the file itself.
  'missing-file': ['', 'cannot read file: ENOENT'],
  'batch-size': ['graph.batch_size', 'Too big: expected number to be <=50'],
  'page-items': ['graph.max_page_items', 'Too small: expected number to be >=500'],
  'max-connections': ['web.max_connections', 'Too small: expected number to be >=16'],
  'two-auths': ['web', 'configure basic_auth or bearer_token, not both'],
  'bad-url': ['graph.url', 'Invalid URL'],
  'telemetry-path': ['web.telemetry_path', 'must start with /'],
  'log-level': ['log.level', 'Invalid option: expected one of "trace"|"debug"|"info"|"warn"|"error"|"fatal"'],
  'bad-name': ['credentials[0].name', 'names may use letters, digits, _ . - and must not start with a digit'],
  'basic-auth-no-password': ['web.basic_auth.password', 'password or password_file is required'],
  'duplicate-key': ['', 'YAML: Map keys must be unique at line 3, column 3:'],
  'shard-format': ['shard', 'use "i/n" with 1 <= i <= n, e.g. "2/3", or "auto/n" on a StatefulSet (got "3/2")'],
  'shard-auto-pod-name': [
    'shard',
    '"auto/3" takes the shard from the StatefulSet ordinal ending POD_NAME (pod <name>-0 is shard 1; the ordinal must be below 3), but POD_NAME is not set',
  ],
  'shard-range': ['shard.index', 'must not exceed shard.count (2)'],
  'shard-count': ['shard.count', 'Too small: expected number to be >=1'],
  'budget-share': ['graph.budget_share', 'Too big: expected number to be <=1'],
  'hourly-budget': ['graph.hourly_budget_per_waba', 'Too small: expected number to be >=1'],
  'usage-threshold': ['graph.usage_slowdown_threshold', 'Too small: expected number to be >0'],
  'billing-unknown-provider': ['billing.accounts[0].provider', `provider must be one of ${PROVIDER_NAMES.join(', ')}`],
  'billing-foreign-option': ['billing.accounts[0].app_id', 'unknown key'],
  'billing-currency-code': ['billing.accounts[0].currency', 'currency is an ISO 4217 code like USD'],
  'billing-link-javascript': ['billing.accounts[0].top_up_url', 'a link must be an http(s) URL without user:password@'],
  'billing-link-data': ['billing.accounts[0].payment_link_url', 'a link must be an http(s) URL without user:password@'],
  'billing-link-userinfo': [
    'billing.accounts[0].rate_card_url',
    'a link must be an http(s) URL without user:password@',
  ],
  'billing-business-id': ['billing.accounts[0].business_ids[1]', 'a business id is digits'],
  'billing-duplicate-name': ['billing.accounts[1].name', 'duplicate billing account name "main"'],
  'billing-bulk-name-path': [
    'billing.accounts[0].name_path',
    'items_path needs name_path (where each wallet names itself)',
  ],
  'billing-bulk-items-path': ['billing.accounts[0].items_path', 'name_path and business_id_path need items_path'],
  'billing-waba-id': ['billing.accounts[0].waba_ids[1]', 'a WABA id is digits'],
  'customer-unknown-account': ['customers[0].billing_accounts[1]', 'no billing account named "acme-walet"'],
  'customer-shared-account': ['customers[1].billing_accounts[0]', 'account shared already belongs to customer "acme"'],
  'customer-duplicate-name': ['customers[1].name', 'duplicate customer name "acme"'],
  'customer-webhook-url': ['customers[0].webhook_url', 'must be an http(s) URL'],
  'customer-no-contact': ['customers[0]', 'a customer needs email or webhook_url (where its alerts go)'],
  'customer-email': ['customers[0].email[0]', 'an e-mail address'],
  'billing-thresholds-order': ['billing.accounts[0].thresholds.critical', 'critical must not be above low'],
  'billing-api-key-missing': ['billing.accounts[0].api_key', 'api_key or api_key_file is required'],
  'billing-twilio-account-sid': [
    'billing.accounts[0].account_sid',
    'twilio needs account_sid (the main account: subaccounts carry no balance)',
  ],
  'billing-gupshup-app-id': ['billing.accounts[0].app_id', 'gupshup_partner needs app_id'],
  'billing-infobip-base-url': [
    'billing.accounts[0].base_url',
    'infobip needs base_url (your account host, e.g. https://xxxxx.api.infobip.com)',
  ],
  'billing-vonage-api-secret': ['billing.accounts[0].api_secret', 'api_secret or api_secret_file is required'],
  'billing-dialog360-partner-id': [
    'billing.accounts[0].partner_id',
    'dialog360_partner needs partner_id (the Partner ID from the Partner Hub, ending in PA)',
  ],
  'billing-plivo-auth-id': [
    'billing.accounts[0].auth_id',
    'plivo needs auth_id (the Auth ID on the Plivo console overview)',
  ],
  'billing-http-json-url': ['billing.accounts[0].url', 'http_json needs url'],
  'billing-meta-credit-line-business-id': [
    'billing.accounts[0].business_id',
    'meta_credit_line needs business_id (the business portfolio that owns the credit line)',
  ],
  'billing-meta-credit-line-credential': ['billing.accounts[0].credential', 'no credential named "billing"'],
  'billing-http-json-balance-path': [
    'billing.accounts[0].balance_path',
    'http_json needs balance_path (e.g. data.balance)',
  ],
  'billing-no-currency': ['billing.accounts[0].currency', 'this provider reports no currency: set currency (ISO 4217)'],
  'billing-headers-file-missing': ['billing.accounts[0].headers_file', 'cannot read headers file: ENOENT'],
  'billing-headers-file-line': ['billing.accounts[0].headers_file', 'each line must be "Header-Name: value"'],
  'billing-statement-missing': [
    'billing.accounts[0].statement',
    'provider statement needs a statement section (file or url)',
  ],
  'billing-statement-both': ['billing.accounts[0].statement', 'set exactly one of statement.file or statement.url'],
};

const badFile = (name: string) => join(dir, 'bad', `${name}.yml`);

function issuesOf(file: string): readonly ConfigIssue[] {
  try {
    loadConfig({ file, env: {} });
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('config: bad fixtures', () => {
  for (const [name, [path, message]] of Object.entries(BAD)) {
    it(`${name} fails at ${path || '(root)'}`, () => {
      const file = badFile(name);
      expect(issuesOf(file)).toContainEqual({ path, message });
      expect(() => loadConfig({ file, env: {} })).toThrow(`${file}: ${path || '(root)'}: ${message}`);
    });
  }

  it('every fixture file is in the table, and only missing-file is missing', () => {
    const files = readdirSync(join(dir, 'bad'))
      .filter((f) => f.endsWith('.yml'))
      .map((f) => f.slice(0, -'.yml'.length));
    expect(files.sort()).toEqual(
      Object.keys(BAD)
        .filter((n) => n !== 'missing-file')
        .sort(),
    );
    expect(existsSync(badFile('missing-file'))).toBe(false);
  });

  it('every message the config layer can emit has a fixture', () => {
    const emitted = Object.entries(BAD).map(([name, [, message]]) => ({ name, message }));
    const messages = sourceMessages(join(import.meta.dirname, '../..'));
    // A scanner that silently finds nothing would pass: pin a floor and a few known sites.
    expect(messages.length).toBeGreaterThanOrEqual(38);
    const sites = messages.map((m) => m.at);
    expect(sites).toContainEqual(expect.stringMatching(/^src\/config\/load\.ts:/));
    expect(sites).toContainEqual(expect.stringMatching(/^src\/billing\/providers\/twilio\.ts:/));
    const uncovered = messages
      .filter((m) => !emitted.some((e) => m.pattern.test(e.message)))
      .map((m) => `${m.at} ${m.literal}`);
    expect(uncovered).toEqual([]);
  });
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
    expect(c.metrics.stateSets).toBe('full');
    expect(loadConfig({ env: {} }).metrics.stateSets).toBe('active');
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
      env: {
        WHATSAPP_ACCESS_TOKEN: 'env-token',
        WHATSAPP_BUSINESS_IDS: '111, 222',
        WHATSAPP_WABA_IDS: '333',
        WHATSAPP_GRAPH_API_URL: 'http://127.0.0.1:1',
        WHATSAPP_GRAPH_API_VERSION: 'v25.0',
      },
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

    const f = loadConfig({
      file: join(dir, 'good/full.yml'),
      env: { ...env, WHATSAPP_ACCESS_TOKEN_FILE: secretFile, WHATSAPP_WABA_IDS: '444' },
    });
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
    expect(loadConfig({ env: { WHATSAPP_EXPORTER_SHARD: '3/4' }, flags: { shard: '1/2' } }).shard).toEqual({
      index: 1,
      count: 2,
    });
    expect(() => loadConfig({ env: {}, flags: { shard: '0/2' } })).toThrow('<environment>: shard: use "i/n"');
    expect(() => loadConfig({ env: { WHATSAPP_EXPORTER_SHARD: 'two' } })).toThrow('<environment>: shard: use "i/n"');
  });

  it('shard auto/N: the index is the StatefulSet ordinal in POD_NAME plus one, from --shard, the env or the file', () => {
    const pod = (name: string) => ({ POD_NAME: name });
    expect(loadConfig({ env: pod('whatsapp-business-exporter-0'), flags: { shard: 'auto/3' } }).shard).toEqual({
      index: 1,
      count: 3,
    });
    expect(loadConfig({ env: { ...pod('wbe-2'), WHATSAPP_EXPORTER_SHARD: 'auto/3' } }).shard).toEqual({
      index: 3,
      count: 3,
    });
    // The flag wins over the environment, as for "i/n".
    expect(
      loadConfig({ env: { ...pod('wbe-2'), WHATSAPP_EXPORTER_SHARD: '1/2' }, flags: { shard: ' auto / 4 ' } }).shard,
    ).toEqual({ index: 3, count: 4 });
    expect(loadConfig({ env: pod('a-b-c-11'), flags: { shard: 'auto/12' } }).shard).toEqual({ index: 12, count: 12 });
    const bad = (name: string | undefined, shard: string) => () =>
      loadConfig({ env: name === undefined ? {} : pod(name), flags: { shard } });
    expect(bad('web', 'auto/3')).toThrow('<environment>: shard: "auto/3" takes the shard from the StatefulSet ordinal');
    expect(bad('web', 'auto/3')).toThrow('but POD_NAME is "web"');
    // More replicas than shards: pod -3 of auto/3 would run a shard twice.
    expect(bad('wbe-3', 'auto/3')).toThrow('the ordinal must be below 3), but POD_NAME is "wbe-3"');
    expect(bad('wbe-01', 'auto/3')).toThrow('but POD_NAME is "wbe-01"');
    expect(bad(undefined, 'auto/3')).toThrow('but POD_NAME is not set');
    expect(bad('wbe-0', 'auto/0')).toThrow('<environment>: shard.count: Too small');
    expect(bad('wbe-0', 'auto/two')).toThrow('<environment>: shard: use "i/n"');
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
