import { z } from 'zod';
import * as D from './defaults.js';
import { parseBytes } from './bytes.js';
import { parseDuration } from './duration.js';

/** A duration field: "30s", "5m", "1h" or seconds as a number; parsed to milliseconds. */
const duration = (def: string) =>
  z
    .union([z.string(), z.number()])
    .default(def)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)} (use e.g. 30s, 5m, 1h)` });
        return z.NEVER;
      }
      return ms;
    });

const optionalDuration = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)} (use e.g. 30s, 5m, 1h)` });
      return z.NEVER;
    }
    return ms;
  });

/** Graph object ids are numeric strings; YAML may hand us numbers, which lose digits past 2^53. */
const graphId = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    ctx.addIssue({ code: 'custom', message: 'ids must be quoted strings (large numbers lose digits in YAML)' });
    return z.NEVER;
  }
  if (!/^\d{1,32}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `not a Graph object id: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return v;
});

const bytes = (def: string) =>
  z
    .union([z.string(), z.number()])
    .default(def)
    .transform((v, ctx) => {
      const n = parseBytes(v);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(v)} (use e.g. 512kb, 1mb)` });
        return z.NEVER;
      }
      return n;
    });

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'names may use letters, digits, _ . - and must not start with a digit');

/** Secrets are given either inline (usually "${ENV_VAR}") or as a *_file path; load.ts resolves them. */
const secretPair = { value: z.string().min(1).optional(), file: z.string().min(1).optional() };

const source = (interval: string) =>
  z.strictObject({
    enabled: z.boolean().default(true),
    interval: duration(interval),
    max_staleness: optionalDuration,
  });

const PROVIDERS = ['http_json', 'twilio', 'gupshup_partner', 'telnyx', 'ycloud', 'infobip', 'statement'] as const;

/** One billing account: where its balance comes from, its thresholds and the links people act on. */
const billingAccount = z.strictObject({
  name,
  provider: z.enum(PROVIDERS),
  interval: duration(D.DEFAULT_BILLING_INTERVAL),
  max_staleness: optionalDuration,
  /** ISO 4217; required when the provider does not report a currency. */
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'currency is an ISO 4217 code like USD').transform((s) => s.toUpperCase()).optional(),
  thresholds: z
    .strictObject({ low: z.number().nonnegative().optional(), critical: z.number().nonnegative().optional() })
    .prefault({}),
  top_up_url: z.url().optional(),
  payment_link_url: z.url().optional(),
  rate_card_url: z.url().optional(),
  // http_json
  url: z.url({ protocol: /^https?$/ }).optional(),
  method: z.enum(['GET', 'POST']).default('GET'),
  /** Header values are treated as secrets: never logged or printed. */
  headers: z.record(z.string(), z.string()).optional(),
  headers_file: z.string().optional(),
  basic_auth: z.strictObject({ username: z.string().min(1), password: secretPair.value, password_file: secretPair.file }).optional(),
  balance_path: z.string().min(1).optional(),
  currency_path: z.string().min(1).optional(),
  /** Some APIs answer 200 with an error body: the value at success_path must equal success_value. */
  success_path: z.string().min(1).optional(),
  success_value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  timeout: duration('10s'),
  // presets
  account_sid: z.string().optional(),
  app_id: z.string().optional(),
  api_key: secretPair.value,
  api_key_file: secretPair.file,
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  // statement / ledger (any provider may add one)
  statement: z
    .strictObject({
      file: z.string().min(1).optional(),
      url: z.url({ protocol: /^https?$/ }).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      format: z.enum(['csv', 'json']).optional(),
      interval: duration(D.DEFAULT_STATEMENT_INTERVAL),
      max_staleness: optionalDuration,
    })
    .optional(),
});

export const configSchema = z.strictObject({
  graph: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).default(D.DEFAULT_GRAPH_URL),
      api_version: z.string().regex(/^v\d+\.\d+$/, 'api_version looks like v24.0').default(D.DEFAULT_GRAPH_API_VERSION),
      timeout: duration(D.DEFAULT_HTTP_TIMEOUT),
      max_retries: z.number().int().min(0).max(10).default(D.DEFAULT_MAX_RETRIES),
      retry_base: duration(D.DEFAULT_RETRY_BASE),
      retry_max: duration(D.DEFAULT_RETRY_MAX),
      batch_size: z.number().int().min(1).max(D.MAX_BATCH_SIZE).default(D.MAX_BATCH_SIZE),
      batch_window: duration(D.DEFAULT_BATCH_WINDOW),
      max_concurrent_requests: z.number().int().min(1).max(64).default(D.DEFAULT_MAX_CONCURRENT_REQUESTS),
      page_limit: z.number().int().min(1).max(500).default(D.DEFAULT_PAGE_LIMIT),
      throttle_pause: duration(D.DEFAULT_THROTTLE_PAUSE),
      /** Meta's Business Management budget per app and WABA per rolling hour (200 without a registered number). */
      hourly_budget_per_waba: z.number().int().min(1).max(1_000_000).default(D.DEFAULT_HOURLY_BUDGET_PER_WABA),
      /** Share of that budget the exporter may plan to use; per-WABA intervals stretch to fit. */
      budget_share: z.number().gt(0).max(1).default(D.DEFAULT_BUDGET_SHARE),
      /** Above this usage ratio reported by Meta, loops touching the object slow down. */
      usage_slowdown_threshold: z.number().gt(0).max(1).default(D.DEFAULT_USAGE_SLOWDOWN_THRESHOLD),
    })
    .prefault({}),
  /** This replica's shard: {index, count} (1-based), or "i/n" (also --shard and WHATSAPP_EXPORTER_SHARD). */
  shard: z
    .strictObject({ index: z.number().int().min(1), count: z.number().int().min(1).max(D.MAX_SHARDS) })
    .default({ index: 1, count: 1 }),
  credentials: z
    .array(
      z.strictObject({
        name,
        access_token: secretPair.value,
        access_token_file: secretPair.file,
        /** Optional app token ("app_id|app_secret") for debug_token; the access token itself is used otherwise. */
        app_token: secretPair.value,
        app_token_file: secretPair.file,
      }),
    )
    .default([]),
  businesses: z
    .array(
      z.strictObject({
        id: graphId,
        credential: name.default('default'),
        discover: z.array(z.enum(['owned', 'client'])).min(1).default(['owned', 'client']),
      }),
    )
    .default([]),
  wabas: z.array(z.strictObject({ id: graphId, credential: name.default('default') })).default([]),
  sources: z
    .strictObject({
      graph_accounts: source(D.DEFAULT_INTERVALS.graph_accounts).prefault({}),
      graph_limits: source(D.DEFAULT_INTERVALS.graph_limits).prefault({}),
      graph_templates: source(D.DEFAULT_INTERVALS.graph_templates)
        .extend({ per_template_series: z.boolean().default(true) })
        .prefault({}),
      graph_token: source(D.DEFAULT_INTERVALS.graph_token).prefault({}),
    })
    .prefault({}),
  poller: z
    .strictObject({
      jitter: z.number().min(0).max(0.5).default(D.DEFAULT_JITTER),
      staleness_intervals: z.number().min(1).max(100).default(D.DEFAULT_STALENESS_INTERVALS),
    })
    .prefault({}),
  web: z
    .strictObject({
      listen_address: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/, 'use host:port or :port').default(D.DEFAULT_LISTEN_ADDRESS),
      telemetry_path: z.string().regex(/^\/[^\s?#]*$/, 'must start with /').default(D.DEFAULT_TELEMETRY_PATH),
      basic_auth: z
        .strictObject({ username: z.string().min(1), password: secretPair.value, password_file: secretPair.file })
        .optional(),
      bearer_token: secretPair.value,
      bearer_token_file: secretPair.file,
    })
    .prefault({}),
  storage: z.strictObject({ path: z.string().min(1).default(D.DEFAULT_STORAGE_PATH) }).prefault({}),
  billing: z
    .strictObject({
      accounts: z.array(billingAccount).default([]),
      /** CSV rate card: market, pricing_category, currency, price (or Meta's published wide format). */
      rate_card: z.strictObject({ file: z.string().min(1) }).optional(),
      /** Meta's pricing_analytics per WABA (cost and volume, 24 h and month to date). */
      meta_pricing: z.strictObject({ enabled: z.boolean().default(true), interval: duration(D.DEFAULT_PRICING_INTERVAL), max_staleness: optionalDuration }).prefault({}),
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      enabled: z.boolean().default(true),
      path: z.string().regex(/^\/[^\s?#]*$/, 'must start with /').default(D.DEFAULT_WEBHOOK_PATH),
      /** One secret, or several comma-separated while rotating. */
      app_secret: secretPair.value,
      app_secret_file: secretPair.file,
      verify_token: secretPair.value,
      verify_token_file: secretPair.file,
      max_body_size: bytes(D.DEFAULT_WEBHOOK_MAX_BODY),
      /** How long (message id, status) keys are kept to drop Meta's redeliveries (Meta retries for up to 7 days). */
      dedupe_retention: duration(D.DEFAULT_DEDUPE_RETENTION),
      marketing_frequency_cap: z
        .strictObject({ messages: z.number().int().min(1).max(1000), window: duration('7d') })
        .optional(),
    })
    .prefault({}),
  log: z
    .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default(D.DEFAULT_LOG_LEVEL) })
    .prefault({}),
  sandbox: z
    .strictObject({
      phone_numbers: z.number().int().min(1).max(100_000).default(3),
      wabas: z.number().int().min(1).max(20_000).default(2),
      businesses: z.number().int().min(1).max(2_000).default(1),
      scenario: z.enum(['demo', 'static']).default('demo'),
    })
    .prefault({}),
});

export type RawConfig = z.output<typeof configSchema>;
