import { request, type Dispatcher } from 'undici';
import { transportFailure } from '../../util/transport.js';
import { connectError, timeoutError } from './errors.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

export interface HttpSendOptions {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
  endpoint: string;
}

/**
 * One HTTP exchange with a hard deadline covering headers and body. Errors come back as
 * GraphError (timeout / connect); the URL is never put into an error, so a token passed
 * as a query parameter by a caller could not leak through a log line.
 */
export async function send(o: HttpSendOptions): Promise<HttpAnswer> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  try {
    const res = await request(o.url, {
      method: o.method,
      headers: o.headers,
      body: o.body,
      signal,
      dispatcher: o.dispatcher,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
    });
    const text = await res.body.text();
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, text };
  } catch (err) {
    if (transportFailure(err, signal) === 'timeout') throw timeoutError(o.endpoint, o.timeoutMs);
    throw connectError(o.endpoint, err);
  }
}
