import { formatPath, type ConfigIssue } from './errors.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands ${VAR} and ${VAR:-default} in every string of the parsed YAML tree. Expansion happens
 * after YAML parsing, so a value from the environment can never change the document's structure.
 * An unset variable without a default is an issue at that key, not a silent empty string.
 */
export function expandEnv(
  node: unknown,
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
  path: PropertyKey[] = [],
  /** Collects every value taken from the environment: error texts must not echo them. */
  expanded?: Set<string>,
): unknown {
  if (typeof node === 'string') {
    return node.replace(REF, (_m, name: string, def: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') {
        expanded?.add(v);
        return v;
      }
      if (def !== undefined) return def;
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => expandEnv(v, env, issues, [...path, i], expanded));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = expandEnv(v, env, issues, [...path, k], expanded);
    return out;
  }
  return node;
}

const list = (v: string | undefined): string[] | undefined =>
  v === undefined || v.trim() === ''
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/**
 * The single-account environment interface: WHATSAPP_ACCESS_TOKEN(_FILE), WHATSAPP_BUSINESS_IDS,
 * WHATSAPP_WABA_IDS, WHATSAPP_GRAPH_API_URL, WHATSAPP_GRAPH_API_VERSION. Env values override the
 * file: a token replaces the "default" credential's token (its app token from the file stays), an
 * id list replaces the file's list.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  const graph = { ...((out.graph as Record<string, unknown> | undefined) ?? {}) };
  if (env.WHATSAPP_GRAPH_API_URL) graph.url = env.WHATSAPP_GRAPH_API_URL;
  if (env.WHATSAPP_GRAPH_API_VERSION) graph.api_version = env.WHATSAPP_GRAPH_API_VERSION;
  if (Object.keys(graph).length > 0) out.graph = graph;

  const token = env.WHATSAPP_ACCESS_TOKEN;
  const tokenFile = env.WHATSAPP_ACCESS_TOKEN_FILE;
  if (token || tokenFile) {
    const creds = Array.isArray(out.credentials) ? (out.credentials as Record<string, unknown>[]) : [];
    const others = creds.filter((c) => c?.name !== 'default');
    const fromFile = creds.find((c) => c?.name === 'default') ?? {};
    const def: Record<string, unknown> = { ...fromFile, name: 'default' };
    delete def.access_token;
    delete def.access_token_file;
    if (token) def.access_token = token;
    else def.access_token_file = tokenFile;
    out.credentials = [def, ...others];
  }
  const webhooks = { ...((out.webhooks as Record<string, unknown> | undefined) ?? {}) };
  if (env.WHATSAPP_APP_SECRET) {
    webhooks.app_secret = env.WHATSAPP_APP_SECRET;
    delete webhooks.app_secret_file;
  } else if (env.WHATSAPP_APP_SECRET_FILE) {
    webhooks.app_secret_file = env.WHATSAPP_APP_SECRET_FILE;
    delete webhooks.app_secret;
  }
  if (env.WHATSAPP_WEBHOOK_VERIFY_TOKEN) {
    webhooks.verify_token = env.WHATSAPP_WEBHOOK_VERIFY_TOKEN;
    delete webhooks.verify_token_file;
  }
  if (Object.keys(webhooks).length) out.webhooks = webhooks;
  // "2/3"; load.ts turns the string into {index, count} (or an issue at `shard`).
  if (env.WHATSAPP_EXPORTER_SHARD) out.shard = env.WHATSAPP_EXPORTER_SHARD;
  const businesses = list(env.WHATSAPP_BUSINESS_IDS);
  if (businesses) out.businesses = businesses.map((id) => ({ id }));
  const wabas = list(env.WHATSAPP_WABA_IDS);
  if (wabas) out.wabas = wabas.map((id) => ({ id }));
  return out;
}
