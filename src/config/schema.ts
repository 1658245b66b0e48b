import { z } from 'zod';
import { billingAccountSchema } from '../billing/providers/index.js';
import * as D from './defaults.js';
import { bytes, duration, graphId, httpUrl, name, optionalDuration, secretPair } from './fields.js';

const source = (interval: string) =>
  z.strictObject({
    enabled: z.boolean().default(true),
    interval: duration(interval),
    max_staleness: optionalDuration,
  });

/** A family-name pattern: must compile as a regular expression. */
const familyPattern = z.string().superRefine((p, ctx) => {
  try {
    new RegExp(`^(?:${p})$`);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a valid regular expression' });
  }
});

export const configSchema = z.strictObject({
  graph: z
    .strictObject({
      url: httpUrl.default(D.DEFAULT_GRAPH_URL),
      api_version: z
        .string()
        .regex(/^v\d+\.\d+$/, 'api_version looks like v24.0')
        .default(D.DEFAULT_GRAPH_API_VERSION),
      timeout: duration(D.DEFAULT_HTTP_TIMEOUT),
      max_retries: z.number().int().min(0).max(10).default(D.DEFAULT_MAX_RETRIES),
      retry_base: duration(D.DEFAULT_RETRY_BASE),
      retry_max: duration(D.DEFAULT_RETRY_MAX),
      batch_size: z.number().int().min(1).max(D.MAX_BATCH_SIZE).default(D.MAX_BATCH_SIZE),
      batch_window: duration(D.DEFAULT_BATCH_WINDOW),
      max_concurrent_requests: z.number().int().min(1).max(64).default(D.DEFAULT_MAX_CONCURRENT_REQUESTS),
      page_limit: z.number().int().min(1).max(500).default(D.DEFAULT_PAGE_LIMIT),
      /** Bytes of one answer read at most; a larger one is cut off and counted as `too_large`. */
      max_response_size: bytes(D.DEFAULT_MAX_RESPONSE_SIZE),
      /** Items of one edge page at most (at least page_limit's maximum, 500). */
      max_page_items: z.number().int().min(500).max(1_000_000).default(D.DEFAULT_MAX_PAGE_ITEMS),
      throttle_pause: duration(D.DEFAULT_THROTTLE_PAUSE),
      /** A field Graph rejected on a node type is asked again after this (src/sources/graph/field-support.ts). */
      field_recheck: duration(D.DEFAULT_FIELD_RECHECK),
      /** Meta's Business Management budget per app and WABA per rolling hour (200 without a registered number). */
      hourly_budget_per_waba: z.number().int().min(1).max(1_000_000).default(D.DEFAULT_HOURLY_BUDGET_PER_WABA),
      /** Share of that budget the exporter may plan to use; per-WABA intervals stretch to fit. */
      budget_share: z.number().gt(0).max(1).default(D.DEFAULT_BUDGET_SHARE),
      /** Above this usage ratio reported by Meta, loops touching the object slow down. */
      usage_slowdown_threshold: z.number().gt(0).max(1).default(D.DEFAULT_USAGE_SLOWDOWN_THRESHOLD),
    })
    .prefault({}),
  /**
   * This replica's shard: {index, count} (1-based), or "i/n" or "auto/n" (the StatefulSet ordinal in
   * POD_NAME; src/shard/auto.ts), also from --shard and WHATSAPP_EXPORTER_SHARD.
   */
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
        discover: z
          .array(z.enum(['owned', 'client']))
          .min(1)
          .default(['owned', 'client']),
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
  /** What the exposition contains (docs/metrics.md "State sets"). */
  metrics: z
    .strictObject({
      /** `active`: only the current state of each state set (value 1); `full`: every known state, 0 or 1. */
      state_sets: z.enum(['active', 'full']).default(D.DEFAULT_STATE_SETS),
      /** The finest identity of message, money and template counts (docs/metrics.md "Grain"). */
      aggregate_by: z.enum(['business', 'waba', 'phone_number']).default(D.DEFAULT_AGGREGATE_BY),
      /** Anchored regular expressions over family names (docs/metrics.md "Choosing families"). */
      allow: z.array(familyPattern).default([]),
      deny: z.array(familyPattern).default([]),
      opt_in: z.array(familyPattern).default([]),
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
      listen_address: z
        .string()
        .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/, 'use host:port or :port')
        .default(D.DEFAULT_LISTEN_ADDRESS),
      telemetry_path: z
        .string()
        .regex(/^\/[^\s?#]*$/, 'must start with /')
        .default(D.DEFAULT_TELEMETRY_PATH),
      /**
       * Negotiate OpenMetrics when the scraper asks for it. Off by default, as in client_golang
       * (HandlerOpts.EnableOpenMetrics): Prometheus prefers OpenMetrics, and its OpenMetrics parser
       * made scrapes about a third slower at 10,000 numbers (docs/metrics.md, "OpenMetrics").
       */
      enable_openmetrics: z.boolean().default(false),
      /** A client must have sent its request headers within this (capped at request_timeout). */
      header_timeout: duration(D.DEFAULT_HEADER_TIMEOUT),
      /** ... and its whole request, body included, within this: a slow webhook POST cannot hold a socket for minutes. */
      request_timeout: duration(D.DEFAULT_REQUEST_TIMEOUT),
      /** Connections held at once; past it the oldest not being answered are closed. */
      max_connections: z.number().int().min(16).max(1_000_000).default(D.DEFAULT_MAX_CONNECTIONS),
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
      /** One per account; its `provider` picks the option schema (src/billing/providers). */
      accounts: z.array(billingAccountSchema).default([]),
      /** Bytes of one provider answer (balance, bulk listing, statement) read at most. */
      max_response_size: bytes(D.DEFAULT_MAX_RESPONSE_SIZE),
      /** CSV rate card: market, pricing_category, currency, price (or Meta's published wide format). */
      rate_card: z.strictObject({ file: z.string().min(1) }).optional(),
      /** Meta's pricing_analytics per WABA (cost and volume, 24 h and month to date). */
      meta_pricing: z
        .strictObject({
          enabled: z.boolean().default(true),
          interval: duration(D.DEFAULT_PRICING_INTERVAL),
          max_staleness: optionalDuration,
        })
        .prefault({}),
    })
    .prefault({}),
  webhooks: z
    .strictObject({
      enabled: z.boolean().default(true),
      path: z
        .string()
        .regex(/^\/[^\s?#]*$/, 'must start with /')
        .default(D.DEFAULT_WEBHOOK_PATH),
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
  /**
   * A BSP's customers: who gets their own alerts (docs/customers.md). Each names the portfolios and
   * billing accounts that are theirs and where their alerts go; `whatsapp-business-exporter
   * alertmanager-config` turns this into Alertmanager routes.
   */
  customers: z
    .array(
      z.strictObject({
        name,
        business_ids: z
          .array(z.string().regex(/^[0-9]{1,32}$/, 'a business id is digits'))
          .max(10_000)
          .default([]),
        billing_accounts: z.array(name).max(1_000).default([]),
        email: z.array(z.email('an e-mail address')).max(20).default([]),
        /** A secret (it often carries a token): from the file in production. */
        webhook_url: secretPair.value,
        webhook_url_file: secretPair.file,
      }),
    )
    .max(10_000)
    .default([]),
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
