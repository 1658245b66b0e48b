import { request, type Dispatcher } from 'undici';
import { BodyTooLarge, readBounded } from '../../util/bounded-body.js';
import { transportFailure } from '../../util/transport.js';
import { connectError, timeoutError, tooLargeError } from './errors.js';

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
  /** The body is read up to this many bytes; past it the exchange is cut off (`too_large`). */
  maxBytes: number;
  dispatcher?: Dispatcher;
  endpoint: string;
}

/**
 * One HTTP exchange with a hard deadline covering headers and body, and a bounded body read.
 * Errors come back as GraphError (timeout / connect / too_large); the URL is never put into an error, so a token passed
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
    const text = await readBounded(res.body, o.maxBytes, res.headers);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, text };
  } catch (err) {
    if (err instanceof BodyTooLarge)
      throw tooLargeError(o.endpoint, `more than ${o.maxBytes} bytes (graph.max_response_size)`);
    if (transportFailure(err, signal) === 'timeout') throw timeoutError(o.endpoint, o.timeoutMs);
    throw connectError(o.endpoint, err);
  }
}
