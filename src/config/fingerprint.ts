import { createHmac, randomBytes } from 'node:crypto';
import { Secret } from './secret.js';

/** Per process: a digest is only ever compared with another one of the same process. */
const KEY = randomBytes(32);

/**
 * A comparable form of a config section in which a Secret stands for a keyed digest of its value.
 * JSON.stringify would print every Secret as "<secret>", so two sections differing only in a
 * secret (a new web.bearer_token) compared equal and the change was applied on reload without
 * the "needs a restart" warning. The digests never leave this process and are never logged.
 */
export function fingerprint(value: unknown): string {
  return JSON.stringify(reveal(value));
}

function reveal(v: unknown): unknown {
  if (v instanceof Secret) return { secret: createHmac('sha256', KEY).update(v.reveal()).digest('hex') };
  if (Array.isArray(v)) return v.map(reveal);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}
