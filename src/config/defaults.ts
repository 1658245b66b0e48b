/**
 * Every default in one place, named. The Graph budget reasoning behind the intervals is in the
 * docs/sharding-and-budget.md ("Upstream cost"): with batching, one full refresh costs about ceil(WABAs / 50) HTTP calls,
 * but Meta still counts every sub-request against 200 (or 5,000) calls per hour per app and WABA.
 */
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
/** v24.0 is the first version with the portfolio-level messaging limit field. */
export const DEFAULT_GRAPH_API_VERSION = 'v24.0';
export const DEFAULT_LISTEN_ADDRESS = ':9914';
export const DEFAULT_TELEMETRY_PATH = '/metrics';
export const DEFAULT_STORAGE_PATH = './data';
export const DEFAULT_LOG_LEVEL = 'info';

export const DEFAULT_HTTP_TIMEOUT = '15s';
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_RETRY_BASE = '500ms';
export const DEFAULT_RETRY_MAX = '10s';
/** Meta's documented maximum of sub-requests in one batch call. */
export const MAX_BATCH_SIZE = 50;
export const DEFAULT_BATCH_WINDOW = '20ms';
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 4;
/** Page size for listings; WABAs come with their phone numbers expanded, so keep pages moderate. */
export const DEFAULT_PAGE_LIMIT = 50;
export const DEFAULT_PHONE_PAGE_LIMIT = 100;
export const DEFAULT_TEMPLATE_PAGE_LIMIT = 100;
/** Hard stop for paging, so a cursor that loops upstream cannot spin forever. */
export const MAX_PAGES = 500;
/**
 * Follow-up pages one refresh may read at least, whatever its interval (poller/budget.ts,
 * pagesPerRefresh): 5,000 more WABAs at the default page_limit, so a BSP's portfolio of thousands of
 * client WABAs lists in one refresh. A portfolio listing is charged to the business, not to a WABA's
 * hourly budget; paging loops are stopped by repeat detection (paging.ts), not by this floor.
 */
export const MIN_PAGES_PER_REFRESH = 100;
/**
 * The largest answer one upstream request may send. The largest legitimate Graph answer at the
 * default limits is a listing page of 50 WABAs with 100 numbers each (or a batch of 50 WABAs with
 * 100 numbers each): 3.9 MB alone, 4.4 MB inside a batch, measured against the sandbox at about
 * 780 bytes per number (docs/sharding-and-budget.md, "Bounded answers"). 16 MB leaves room for
 * longer names and health entities than the sandbox's, and bounds what one answer costs the
 * 256 MB heap of the image (text, then parsed objects) to well under half of it.
 */
export const DEFAULT_MAX_RESPONSE_SIZE = '16mb';
/**
 * Items in one edge page at most. Meta pages at most `limit` items and we ask for at most 500
 * (graph.page_limit), 100 numbers or templates: a page of thousands is an upstream fault.
 */
export const DEFAULT_MAX_PAGE_ITEMS = 1_000;
/** When Meta throttles without saying for how long, wait this long before the next try. */
export const DEFAULT_THROTTLE_PAUSE = '5m';
/** Meta rolls fields out gradually: a rejected field is asked again a few times a day. */
export const DEFAULT_FIELD_RECHECK = '6h';

export const DEFAULT_INTERVALS = {
  graph_accounts: '5m',
  graph_limits: '15m',
  graph_templates: '30m',
  graph_token: '1h',
} as const;
/**
 * State sets export only their current state by default: five per-number state sets in full mode
 * are 70 % of the series at 10,000 numbers, almost all zeros (docs/metrics.md "State sets").
 */
export const DEFAULT_STATE_SETS = 'active';
/**
 * Message, money and template counts are summed per business portfolio by default: at 10,000
 * numbers per-number counters would cost the user's Prometheus more than everything else together
 * (docs/metrics.md, "Grain"). Failures stay per number (whatsapp_message_errors_total).
 */
export const DEFAULT_AGGREGATE_BY = 'business';
/** Data older than this many intervals is dropped rather than served as if it were current. */
export const DEFAULT_STALENESS_INTERVALS = 5;
export const DEFAULT_JITTER = 0.1;

/** Faster loops for the demo sandbox, so a first-time user sees the numbers move. */
export const SANDBOX_INTERVALS = {
  graph_accounts: '15s',
  graph_limits: '30s',
  graph_templates: '30s',
  graph_token: '1m',
} as const;
export const SANDBOX_TOKEN = 'sandbox-access-token';

/**
 * Slow clients: Node's defaults (60 s for headers, 300 s for a whole request) let one slow POST hold
 * a socket for five minutes. A webhook is at most about 1 MB and Meta sends it at once; a scrape
 * is a GET. Seconds are plenty for both.
 */
export const DEFAULT_HEADER_TIMEOUT = '10s';
export const DEFAULT_REQUEST_TIMEOUT = '15s';
/** Connections held at once; past it the oldest not being answered are closed (src/web/connections.ts). */
export const DEFAULT_MAX_CONNECTIONS = 1_000;

export const DEFAULT_WEBHOOK_PATH = '/webhooks/whatsapp';
/** Meta may batch up to 1,000 updates (~0.5 MB); larger bodies are refused with 413. */
export const DEFAULT_WEBHOOK_MAX_BODY = '1mb';
export const DEFAULT_DEDUPE_RETENTION = '8d';

/** Providers say balances are eventually consistent; 5 minutes is plenty and cheap. */
export const DEFAULT_BILLING_INTERVAL = '5m';
export const DEFAULT_STATEMENT_INTERVAL = '15m';
/**
 * Meta's limit for the credit-line APIs (`/{business_id}/extendedcredits`, …): 5,000 requests per
 * hour (META-API §5.2). The configured intervals of all meta_credit_line accounts together plan to
 * use at most `graph.budget_share` of it; beyond that they are stretched.
 */
export const CREDIT_LINE_HOURLY_BUDGET = 5_000;
/** Active shares of one credit line exported (whatsapp_credit_line_allocation_info); more are cut, counted and logged. */
export const MAX_CREDIT_LINE_ALLOCATIONS = 200;
/** pricing_analytics is approximate and delayed; hourly is enough (2 sub-requests per WABA per refresh). */
export const DEFAULT_PRICING_INTERVAL = '1h';

/** Meta: 200 calls per hour per app and WABA without a registered number (5,000 with one). */
export const DEFAULT_HOURLY_BUDGET_PER_WABA = 200;
/** Plan to use at most half of it: the rest is for the customer's own tooling and for retries. */
export const DEFAULT_BUDGET_SHARE = 0.5;
/** Above 75 % of Meta's reported usage, loops touching that object slow down. */
export const DEFAULT_USAGE_SLOWDOWN_THRESHOLD = 0.75;
/** At 100 % reported usage the next delay is this many times the interval. */
export const MAX_USAGE_SLOWDOWN = 4;
export const MAX_SHARDS = 1024;
