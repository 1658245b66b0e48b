/**
 * Graph API error classification. We branch on Meta's numeric `code` (and HTTP status), never on
 * message text: Meta has announced that error titles will change.
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
import { transportCode } from '../../util/transport.js';

/**
 * The `reason` label of whatsapp_exporter_graph_api_request_failures_total (initialised to 0).
 * `timeout`: no answer in time; `connect`: refused, reset, unreachable or unresolvable
 * (src/util/transport.ts). `parse`: not JSON; `schema`: JSON of another shape than the one we read
 * (src/sources/graph/schema.ts); `too_large`: an answer over graph.max_response_size, a page over
 * graph.max_page_items, or a listing needing more pages than one refresh may spend (paging.ts).
 */
export const FAILURE_REASONS = [
  'auth',
  'permission',
  'rate_limited',
  'timeout',
  'connect',
  'http_5xx',
  'http_4xx',
  'parse',
  'schema',
  'too_large',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** 190 invalid/expired token, 102 session, 104 token missing, 0 AuthException. */
const AUTH_CODES = new Set([0, 102, 104, 190]);
/** 10 permission denied, 3 capability; 200–299 API permissions. */
const PERMISSION_CODES = new Set([3, 10]);
/** App, user, page, custom, WABA and throughput throttles (META-API §5.4). */
export const THROTTLE_CODES = new Set([4, 17, 32, 613, 80007, 130429]);
/** "Unknown error" / "service temporarily unavailable": transient, retry with backoff. */
const TRANSIENT_CODES = new Set([1, 2]);

export interface GraphErrorFields {
  reason: FailureReason;
  endpoint: string;
  status?: number;
  code?: number;
  subcode?: number;
  fbtraceId?: string;
  /** Retry with backoff (5xx, timeouts, connection failures, transient codes). Throttling is never retried: it pauses. */
  retryable: boolean;
  /** For throttling: how long Meta says to wait, in ms, when it says. */
  regainMs?: number;
}

export class GraphError extends Error implements GraphErrorFields {
  readonly component = 'graph';
  readonly reason: FailureReason;
  readonly endpoint: string;
  readonly status?: number;
  readonly code?: number;
  readonly subcode?: number;
  readonly fbtraceId?: string;
  readonly retryable: boolean;
  readonly regainMs?: number;
  constructor(message: string, f: GraphErrorFields) {
    super(message);
    this.name = 'GraphError';
    this.reason = f.reason;
    this.endpoint = f.endpoint;
    this.status = f.status;
    this.code = f.code;
    this.subcode = f.subcode;
    this.fbtraceId = f.fbtraceId;
    this.retryable = f.retryable;
    this.regainMs = f.regainMs;
  }
  /** Structured fields for logs; never contains request URLs or tokens. */
  toLog(): Record<string, unknown> {
    return {
      reason: this.reason,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      subcode: this.subcode,
      fbtrace_id: this.fbtraceId,
      msg: this.message,
    };
  }
}

interface Envelope {
  error?: { message?: unknown; code?: unknown; error_subcode?: unknown; fbtrace_id?: unknown; is_transient?: unknown };
}

/** Classifies a non-success answer (HTTP status + parsed body, if any) into a GraphError. Pure. */
export function classify(endpoint: string, status: number, body: unknown, regainMs?: number): GraphError {
  const env = (body && typeof body === 'object' ? (body as Envelope).error : undefined) ?? undefined;
  const code = typeof env?.code === 'number' ? env.code : undefined;
  const subcode = typeof env?.error_subcode === 'number' ? env.error_subcode : undefined;
  const fbtraceId = typeof env?.fbtrace_id === 'string' ? env.fbtrace_id : undefined;
  const metaMsg = typeof env?.message === 'string' ? env.message.slice(0, 200) : undefined;
  const base = { endpoint, status, code, subcode, fbtraceId };
  const msg = (what: string) =>
    `${what}${code !== undefined ? ` (code ${code}${subcode !== undefined ? `/${subcode}` : ''})` : ''}${metaMsg ? `: ${metaMsg}` : ''}`;

  if (code !== undefined) {
    if (AUTH_CODES.has(code))
      return new GraphError(msg('access token rejected'), { ...base, reason: 'auth', retryable: false });
    if (THROTTLE_CODES.has(code))
      return new GraphError(msg('throttled by Meta'), { ...base, reason: 'rate_limited', retryable: false, regainMs });
    if (PERMISSION_CODES.has(code) || (code >= 200 && code <= 299))
      return new GraphError(msg('permission denied'), { ...base, reason: 'permission', retryable: false });
    if (TRANSIENT_CODES.has(code) || env?.is_transient === true || status >= 500) {
      return new GraphError(msg(`Graph API error HTTP ${status}`), { ...base, reason: 'http_5xx', retryable: true });
    }
    return new GraphError(msg(`Graph API error HTTP ${status}`), { ...base, reason: 'http_4xx', retryable: false });
  }
  if (status === 429)
    return new GraphError('throttled (HTTP 429)', { ...base, reason: 'rate_limited', retryable: false, regainMs });
  if (status === 401)
    return new GraphError(`access token rejected (HTTP 401)`, { ...base, reason: 'auth', retryable: false });
  if (status === 403)
    return new GraphError(`permission denied (HTTP 403)`, { ...base, reason: 'permission', retryable: false });
  if (status >= 500)
    return new GraphError(`Graph API answered HTTP ${status}`, { ...base, reason: 'http_5xx', retryable: true });
  if (status >= 400)
    return new GraphError(`Graph API answered HTTP ${status}`, { ...base, reason: 'http_4xx', retryable: false });
  return new GraphError(`unexpected answer (HTTP ${status})`, { ...base, reason: 'parse', retryable: false });
}

export const timeoutError = (endpoint: string, ms: number) =>
  new GraphError(`no answer within ${ms} ms`, { endpoint, reason: 'timeout', retryable: true });

export const parseError = (endpoint: string, status: number, what: string) =>
  new GraphError(`unparsable answer (HTTP ${status}): ${what}`, {
    endpoint,
    status,
    reason: 'parse',
    retryable: status >= 500,
  });

/** A connection that was refused, reset or never made (a timeout is timeoutError). */
export const connectError = (endpoint: string, err: unknown) =>
  new GraphError(`connection failed: ${transportCode(err) ?? (err as Error).name ?? 'unknown'}`, {
    endpoint,
    reason: 'connect',
    retryable: true,
  });

/** A 200 answer of another shape than the parsers rely on: `problem` is the path and what was expected. */
export const schemaError = (endpoint: string, problem: string) =>
  new GraphError(`answer does not match the expected shape at ${problem}`, {
    endpoint,
    status: 200,
    reason: 'schema',
    retryable: false,
  });

/**
 * An answer (or listing) too large to read: never retried, since the same request gets the same
 * answer; the loop keeps its last good data until max_staleness, like any failed refresh.
 */
export const tooLargeError = (endpoint: string, what: string) =>
  new GraphError(`answer too large: ${what}`, { endpoint, reason: 'too_large', retryable: false });
