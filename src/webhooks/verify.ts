import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(app secret, raw body bytes) against
 * every configured secret (several while rotating). Pure; runs before the body is parsed, and
 * compares in constant time so the signature cannot be guessed byte by byte.
 */
export function verifySignature(raw: Uint8Array, header: string | undefined, secrets: readonly string[]): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length).trim();
  if (!HEX64.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  let ok = false;
  // Every secret is tried even after a match, so timing does not reveal which one matched.
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

/** The header value Meta would send for `raw` (sandbox stream, tests, bench). */
export function sign(raw: Uint8Array | string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(raw).digest('hex');
}

/**
 * The GET verification handshake (META-API §4.0): the challenge to echo back, or undefined when
 * the request is not a subscribe with the right token. Tokens are compared as SHA-256 digests so
 * the comparison is constant-time whatever their lengths.
 */
export function handshake(query: URLSearchParams, verifyToken: string | undefined): string | undefined {
  const mode = query.get('hub.mode');
  const token = query.get('hub.verify_token');
  const challenge = query.get('hub.challenge');
  if (mode !== 'subscribe' || token === null || challenge === null || !verifyToken) return undefined;
  if (challenge.length > 1024) return undefined;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(verifyToken).digest();
  return timingSafeEqual(a, b) ? challenge : undefined;
}
