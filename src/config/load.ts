import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type {
  Customer,
  Config,
  Credential,
  GraphSourceName,
  SourceSettings,
  WebAuth,
  WebhookSettings,
} from './config.js';
import { applyEnvOverrides, expandEnv } from './env.js';
import { buildBilling } from '../billing/build.js';
import { ConfigError, formatPath, type ConfigIssue } from './errors.js';
import { configSchema, type RawConfig } from './schema.js';
import { redactor, rememberRedactor, urlSecrets } from './redact.js';
import { Secret } from './secret.js';
import { autoShardCount, shardFromPodName } from '../shard/auto.js';
import { parseShard } from '../shard/shard.js';

export interface LoadOptions {
  /** Path of the YAML file; without it the configuration comes from defaults and the environment. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Command-line flags win over the file and the environment. */
  flags?: {
    listenAddress?: string;
    telemetryPath?: string;
    enableOpenMetrics?: boolean;
    storagePath?: string;
    logLevel?: string;
    shard?: string;
  };
}

/**
 * Reads, expands, validates and freezes the configuration. Throws ConfigError naming every bad key;
 * its text never holds a value that came from the environment, a secret or a URL's credentials
 * (they print as <secret>). The same redaction is kept for errors found later (redactorOf).
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const sensitive = new Set<string>();
  let built: Config | undefined;
  const redact = () => redactor([...sensitive, ...(built ? secretsIn(built) : [])]);
  try {
    built = load(opts, sensitive);
  } catch (err) {
    if (err instanceof ConfigError) throw err.redacted(redact());
    throw err;
  }
  rememberRedactor(built, redact());
  return built;
}

function load(opts: LoadOptions, sensitive: Set<string>): Config {
  const env = opts.env ?? process.env;
  const label = opts.file ?? '<environment>';
  const issues: ConfigIssue[] = [];
  let doc: unknown = {};
  if (opts.file) doc = readYaml(opts.file);
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(label, [{ path: '', message: 'the top level must be a mapping' }]);

  let raw = expandEnv(doc, env, issues, [], sensitive) as Record<string, unknown>;
  raw = applyEnvOverrides(raw, env);
  for (const v of envSecrets(env)) sensitive.add(v);
  for (const u of stringsIn(raw)) for (const v of urlSecrets(u)) sensitive.add(v);
  raw = applyFlags(raw, opts.flags ?? {});
  raw = shardString(raw, env, issues);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys') {
        for (const k of i.keys) issues.push({ path: formatPath([...i.path, k]), message: 'unknown key' });
      } else issues.push({ path: formatPath(i.path), message: i.message });
    }
    throw new ConfigError(label, issues);
  }
  if (issues.length > 0) throw new ConfigError(label, issues);
  const config = build(parsed.data, issues);
  // Secrets resolved so far (inline, from files) are redacted from the errors below too.
  for (const v of secretsIn(config)) sensitive.add(v);
  if (issues.length > 0) throw new ConfigError(label, issues);
  return deepFreeze(config);
}

/** The environment variables that are secrets themselves (their *_FILE contents become Secrets). */
function envSecrets(env: NodeJS.ProcessEnv): string[] {
  const url = env.WHATSAPP_GRAPH_API_URL;
  return [
    env.WHATSAPP_ACCESS_TOKEN,
    env.WHATSAPP_APP_SECRET,
    env.WHATSAPP_WEBHOOK_VERIFY_TOKEN,
    ...(url ? urlSecrets(url) : []),
  ].filter((v): v is string => v !== undefined && v !== '');
}

function stringsIn(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(stringsIn);
  return [];
}

/** Every Secret's value in a configuration (comma-separated app secrets one by one too). */
function secretsIn(node: unknown): string[] {
  if (node instanceof Secret)
    return [
      node.reveal(),
      ...node
        .reveal()
        .split(',')
        .map((s) => s.trim()),
    ];
  if (Array.isArray(node)) return node.flatMap(secretsIn);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(secretsIn);
  return [];
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [
      { path: '', message: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` },
    ]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  return doc.toJS();
}

function applyFlags(raw: Record<string, unknown>, flags: NonNullable<LoadOptions['flags']>): Record<string, unknown> {
  const out = { ...raw };
  const web = { ...((out.web as Record<string, unknown>) ?? {}) };
  if (flags.listenAddress !== undefined) web.listen_address = flags.listenAddress;
  if (flags.telemetryPath !== undefined) web.telemetry_path = flags.telemetryPath;
  if (flags.enableOpenMetrics !== undefined) web.enable_openmetrics = flags.enableOpenMetrics;
  if (Object.keys(web).length) out.web = web;
  if (flags.storagePath !== undefined) out.storage = { ...((out.storage as object) ?? {}), path: flags.storagePath };
  if (flags.logLevel !== undefined) out.log = { ...((out.log as object) ?? {}), level: flags.logLevel };
  if (flags.shard !== undefined) out.shard = flags.shard;
  return out;
}

/**
 * `shard: "2/3"` (from the file, WHATSAPP_EXPORTER_SHARD or --shard) → {index: 2, count: 3};
 * `"auto/3"` takes the index from the StatefulSet ordinal in POD_NAME (src/shard/auto.ts).
 */
function shardString(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
): Record<string, unknown> {
  if (typeof raw.shard !== 'string') return raw;
  const count = autoShardCount(raw.shard);
  if (count !== undefined) {
    // A count out of range is left to the schema, which names shard.count.
    if (count < 1) return { ...raw, shard: { index: 1, count } };
    const pod = env.POD_NAME;
    const s = shardFromPodName(pod, count);
    if (!s)
      issues.push({
        path: 'shard',
        message: `"auto/${count}" takes the shard from the StatefulSet ordinal ending POD_NAME (pod <name>-0 is shard 1; the ordinal must be below ${count}), but POD_NAME is ${pod === undefined ? 'not set' : JSON.stringify(pod)}`,
      });
    return { ...raw, shard: s ?? { index: 1, count } };
  }
  const s = parseShard(raw.shard);
  if (!s)
    issues.push({
      path: 'shard',
      message: `use "i/n" with 1 <= i <= n, e.g. "2/3", or "auto/n" on a StatefulSet (got ${JSON.stringify(raw.shard)})`,
    });
  return { ...raw, shard: s ?? { index: 1, count: 1 } };
}

/** Resolves an inline-or-file secret pair; exactly one of them may be set. */
function secret(
  value: string | undefined,
  file: string | undefined,
  path: string,
  issues: ConfigIssue[],
  required: boolean,
): Secret | undefined {
  if (value !== undefined && file !== undefined) {
    issues.push({ path, message: `set either ${path.split('.').pop()} or ${path.split('.').pop()}_file, not both` });
    return undefined;
  }
  if (file !== undefined) {
    try {
      const v = readFileSync(file, 'utf8').trim();
      if (v === '') issues.push({ path: `${path}_file`, message: 'the secret file is empty' });
      return new Secret(v);
    } catch (err) {
      issues.push({
        path: `${path}_file`,
        message: `cannot read secret file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      });
      return undefined;
    }
  }
  if (value !== undefined) return new Secret(value);
  if (required) issues.push({ path, message: `${path.split('.').pop()} or ${path.split('.').pop()}_file is required` });
  return undefined;
}

function build(c: RawConfig, issues: ConfigIssue[]): Config {
  const credentials: Credential[] = [];
  const seen = new Set<string>();
  c.credentials.forEach((cr, i) => {
    const p = `credentials[${i}]`;
    if (seen.has(cr.name)) issues.push({ path: `${p}.name`, message: `duplicate credential name "${cr.name}"` });
    seen.add(cr.name);
    const accessToken = secret(cr.access_token, cr.access_token_file, `${p}.access_token`, issues, true);
    const appToken = secret(cr.app_token, cr.app_token_file, `${p}.app_token`, issues, false);
    if (accessToken)
      credentials.push(appToken ? { name: cr.name, accessToken, appToken } : { name: cr.name, accessToken });
  });
  const mode = credentials.length === 0 && c.credentials.length === 0 ? 'sandbox' : 'meta';
  if (c.shard.index > c.shard.count)
    issues.push({ path: 'shard.index', message: `must not exceed shard.count (${c.shard.count})` });
  if (mode === 'meta') {
    c.businesses.forEach((b, i) => {
      if (!seen.has(b.credential))
        issues.push({ path: `businesses[${i}].credential`, message: `no credential named "${b.credential}"` });
    });
    c.wabas.forEach((w, i) => {
      if (!seen.has(w.credential))
        issues.push({ path: `wabas[${i}].credential`, message: `no credential named "${w.credential}"` });
    });
    if (c.businesses.length === 0 && c.wabas.length === 0) {
      issues.push({
        path: 'businesses',
        message:
          'a token is set but no business or WABA ids (set businesses/wabas or WHATSAPP_BUSINESS_IDS / WHATSAPP_WABA_IDS)',
      });
    }
  }
  return {
    mode,
    graph: c.graph,
    credentials,
    businesses: c.businesses,
    wabas: c.wabas,
    sources: sources(c),
    templates: { perTemplateSeries: c.sources.graph_templates.per_template_series },
    metrics: {
      stateSets: c.metrics.state_sets,
      aggregateBy: c.metrics.aggregate_by,
      allow: c.metrics.allow,
      deny: c.metrics.deny,
      optIn: c.metrics.opt_in,
    },
    poller: c.poller,
    web: {
      listenAddress: c.web.listen_address,
      telemetryPath: c.web.telemetry_path,
      enableOpenMetrics: c.web.enable_openmetrics,
      // Node refuses a header timeout longer than the request timeout; the request timeout covers it anyway.
      headerTimeoutMs: Math.min(c.web.header_timeout, c.web.request_timeout),
      requestTimeoutMs: c.web.request_timeout,
      maxConnections: c.web.max_connections,
      auth: webAuth(c, issues),
    },
    storage: c.storage,
    webhooks: webhooks(c, issues),
    // Sandbox mode replaces the credentials with one named "default" (src/config/sandbox.ts).
    billing: buildBilling(
      c.billing,
      issues,
      secret,
      c.poller.staleness_intervals,
      mode === 'sandbox' ? new Set(['default']) : seen,
    ),
    customers: customers(c, issues),
    log: c.log,
    sandbox: c.sandbox,
    shard: c.shard,
  };
}

/**
 * Customers, checked against the rest of the config: an account must be configured, and an
 * account or portfolio belongs to one customer at most (the alert rules join a single `customer`
 * onto it). A portfolio cannot be checked here (a BSP's client portfolios are discovered); one not
 * in the snapshot is counted (whatsapp_exporter_unresolved_references).
 */
function customers(c: RawConfig, issues: ConfigIssue[]): Customer[] {
  const accounts = new Set(c.billing.accounts.map((a) => a.name));
  const names = new Set<string>();
  const ownerOf = { account: new Map<string, string>(), business: new Map<string, string>() };
  const claim = (kind: 'account' | 'business', id: string, customer: string, path: string) => {
    const other = ownerOf[kind].get(id);
    if (other !== undefined && other !== customer)
      issues.push({ path, message: `${kind} ${id} already belongs to customer "${other}"` });
    ownerOf[kind].set(id, customer);
  };
  return c.customers.map((cu, i) => {
    const p = `customers[${i}]`;
    if (names.has(cu.name)) issues.push({ path: `${p}.name`, message: `duplicate customer name "${cu.name}"` });
    names.add(cu.name);
    cu.billing_accounts.forEach((a, j) => {
      if (!accounts.has(a))
        issues.push({ path: `${p}.billing_accounts[${j}]`, message: `no billing account named "${a}"` });
      claim('account', a, cu.name, `${p}.billing_accounts[${j}]`);
    });
    cu.business_ids.forEach((b, j) => {
      claim('business', b, cu.name, `${p}.business_ids[${j}]`);
    });
    const webhookUrl = secret(cu.webhook_url, cu.webhook_url_file, `${p}.webhook_url`, issues, false);
    if (webhookUrl && !/^https?:\/\//.test(webhookUrl.reveal()))
      issues.push({ path: `${p}.webhook_url`, message: 'must be an http(s) URL' });
    if (cu.email.length === 0 && !webhookUrl)
      issues.push({ path: p, message: 'a customer needs email or webhook_url (where its alerts go)' });
    return {
      name: cu.name,
      businessIds: [...new Set(cu.business_ids)],
      accounts: [...new Set(cu.billing_accounts)],
      email: cu.email,
      ...(webhookUrl ? { webhookUrl } : {}),
    };
  });
}

function sources(c: RawConfig): Record<GraphSourceName, SourceSettings> {
  const out = {} as Record<GraphSourceName, SourceSettings>;
  for (const name of Object.keys(c.sources) as GraphSourceName[]) {
    const s = c.sources[name];
    out[name] = {
      enabled: s.enabled,
      intervalMs: s.interval,
      maxStalenessMs: s.max_staleness ?? s.interval * c.poller.staleness_intervals,
    };
  }
  return out;
}

function webhooks(c: RawConfig, issues: ConfigIssue[]): WebhookSettings {
  const w = c.webhooks;
  const secret_ = secret(w.app_secret, w.app_secret_file, 'webhooks.app_secret', issues, false);
  const appSecrets = (secret_?.reveal() ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new Secret(s));
  const verifyToken = secret(w.verify_token, w.verify_token_file, 'webhooks.verify_token', issues, false);
  return {
    enabled: w.enabled,
    path: w.path,
    appSecrets,
    verifyToken,
    maxBodyBytes: w.max_body_size,
    dedupeRetentionMs: w.dedupe_retention,
    marketingFrequencyCap: w.marketing_frequency_cap && {
      messages: w.marketing_frequency_cap.messages,
      windowMs: w.marketing_frequency_cap.window,
    },
  };
}

function webAuth(c: RawConfig, issues: ConfigIssue[]): WebAuth {
  const bearer = secret(c.web.bearer_token, c.web.bearer_token_file, 'web.bearer_token', issues, false);
  const basic = c.web.basic_auth;
  if (bearer && basic) {
    issues.push({ path: 'web', message: 'configure basic_auth or bearer_token, not both' });
    return { kind: 'none' };
  }
  if (basic) {
    const password = secret(basic.password, basic.password_file, 'web.basic_auth.password', issues, true);
    return password ? { kind: 'basic', username: basic.username, password } : { kind: 'none' };
  }
  return bearer ? { kind: 'bearer', token: bearer } : { kind: 'none' };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !(o instanceof Secret) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
