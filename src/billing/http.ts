import { request, type Dispatcher } from 'undici';
import type { Secret } from '../config/secret.js';
import { transportCode, transportFailure } from '../util/transport.js';
import { BillingError, statusError } from './errors.js';

export interface BillingHttp {
  dispatcher?: Dispatcher;
  observer?: BillingObserver;
}

export interface BillingObserver {
  billingRequest(provider: string): void;
  billingFailure(provider: string, reason: string): void;
}

/**
 * GETs (or POSTs) a provider endpoint and returns the body text. Header values are secrets: they
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
    const text = await res.body.text();
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
