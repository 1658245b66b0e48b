import { request, type Dispatcher } from 'undici';
import type { Secret } from '../config/secret.js';
import { DEFAULT_MAX_RESPONSE_SIZE } from '../config/defaults.js';
import { parseBytes } from '../config/bytes.js';
import { BodyTooLarge, readBounded } from '../util/bounded-body.js';
import { transportCode, transportFailure } from '../util/transport.js';
import { BillingError, statusError } from './errors.js';

export interface BillingHttp {
  dispatcher?: Dispatcher;
  observer?: BillingObserver;
  /** Bytes of one answer read at most (billing.max_response_size; read per request, so a reload applies). */
  maxResponseBytes?: () => number;
}

export interface BillingObserver {
  billingRequest(provider: string): void;
  billingFailure(provider: string, reason: string): void;
}

const DEFAULT_MAX_BYTES = parseBytes(DEFAULT_MAX_RESPONSE_SIZE) as number;

/**
 * GETs (or POSTs) a provider endpoint and returns the body text, read up to a byte limit. Header values are secrets: they
 * go on the wire and nowhere else; errors carry status and reason, never the URL or headers.
 */
export async function fetchText(
  provider: string,
  o: { url: string; method?: 'GET' | 'POST'; headers: Readonly<Record<string, Secret>>; timeoutMs: number },
  http: BillingHttp,
): Promise<string> {
  const headers: Record<string, string> = { accept: 'application/json, text/csv;q=0.9, */*;q=0.5' };
  for (const [k, v] of Object.entries(o.headers)) headers[k] = v.reveal();
  http.observer?.billingRequest(provider);
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await request(o.url, {
      method: o.method ?? 'GET',
      headers,
      signal,
      dispatcher: http.dispatcher,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
    const limit = http.maxResponseBytes?.() ?? DEFAULT_MAX_BYTES;
    const text = await readBounded(res.body, limit, res.headers).catch((err: unknown) => {
      throw err instanceof BodyTooLarge
        ? new BillingError(`answer larger than ${limit} bytes (billing.max_response_size)`, provider, 'too_large')
        : err;
    });
    if (res.statusCode < 200 || res.statusCode >= 300) throw statusError(provider, res.statusCode);
    return text;
  } catch (err) {
    // A refused or reset connection is not a slow provider: `connect` vs `timeout` (util/transport.ts).
    const e =
      err instanceof BillingError
        ? err
        : transportFailure(err, signal) === 'timeout'
          ? new BillingError(`no answer within ${o.timeoutMs} ms`, provider, 'timeout')
          : new BillingError(`connection failed: ${transportCode(err) ?? 'unknown'}`, provider, 'connect');
    http.observer?.billingFailure(provider, e.reason);
    throw e;
  }
}
