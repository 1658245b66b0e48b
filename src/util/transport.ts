/**
 * What a failed HTTP exchange that never produced an answer was, for the `reason` labels of the
 * Graph and billing failure counters: `timeout` when nothing came back in time (our deadline, or
 * undici's connect, headers or body timer), `connect` when the other side said no or could not be
 * reached at all (refused, reset, unreachable, DNS, broken pipe, the socket closed under us, TLS).
 * The two call for different fixes (a slow upstream vs. a wrong URL, a proxy or a firewall), which
 * is why they are not one reason.
 *
 * undici's `request` rejects with Node's socket error itself (`code: 'ECONNREFUSED'`), its own
 * errors carry `UND_ERR_*` codes (a socket closed mid-exchange is `UND_ERR_SOCKET`), `fetch` wraps
 * either in a TypeError's `cause`, and Node's dual-stack connect can throw an AggregateError of
 * one error per address: the code is looked for in all of these places.
 */
export type TransportFailure = 'timeout' | 'connect';

/** Codes of an exchange that got no answer in time; anything else thrown is `connect`. */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // The only abort signal we pass is the request's deadline.
  'UND_ERR_ABORTED',
  'ABORT_ERR',
  'ETIMEDOUT',
]);

/** Codes seen for `connect`, for documentation and tests (the classification does not need them). */
export const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** `timeout` or `connect` for an error thrown by an HTTP exchange with deadline `signal`. */
export function transportFailure(err: unknown, signal?: AbortSignal): TransportFailure {
  if (signal?.aborted) return 'timeout';
  const code = transportCode(err);
  if (code !== undefined && TIMEOUT_CODES.has(code)) return 'timeout';
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connect';
}

/** The first string `code` on the error, its `cause` chain or its `errors` (AggregateError). */
export function transportCode(err: unknown, depth = 0): string | undefined {
  if (err === null || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  const fromCause = transportCode(e.cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(e.errors))
    for (const inner of e.errors) {
      const c = transportCode(inner, depth + 1);
      if (c !== undefined) return c;
    }
  return undefined;
}
