import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import type { Collector } from './types.js';
import { TOKEN } from '../sources/keys.js';

export const TOKEN_EXPIRY = gauge(
  metric('access_token_expiry_timestamp_seconds'),
  'When the access token expires (Unix seconds; +Inf = never). `credential` is the configured name, never the token.',
  ['credential'],
);
export const TOKEN_VALID = gauge(
  metric('access_token_valid'),
  'Whether Meta reports the access token as valid (1) or not (0).',
  ['credential'],
);

/**
 * Fresh answers as Meta gave them. Past max_staleness (debug_token failing for longer), a token is
 * not suddenly "unknown" when what is known says it cannot work: one Meta last reported invalid, or
 * one whose expiry time has passed, stays 0 (an outage of the token endpoint must not resolve
 * WhatsAppAccessTokenInvalid). One last reported valid is dropped, like every other data series:
 * 1 would be a guess, and 0 a made-up failure (source_up and WhatsAppExporterDataStale say the
 * check itself is failing). The expiry time goes with the data.
 */
export const tokenCollector: Collector = {
  name: 'token',
  sources: [TOKEN],
  collect(view, out) {
    const fresh = new Set<string>();
    for (const { target, data } of view.fresh(TOKEN)) {
      fresh.add(target);
      out.add(TOKEN_VALID, { credential: data.credential }, data.valid ? 1 : 0);
      if (data.expiresAt !== undefined) out.add(TOKEN_EXPIRY, { credential: data.credential }, data.expiresAt);
    }
    for (const { target, data } of view.known(TOKEN)) {
      if (fresh.has(target)) continue;
      const expired = data.expiresAt !== undefined && data.expiresAt * 1000 <= view.now;
      if (!data.valid || expired) out.add(TOKEN_VALID, { credential: data.credential }, 0);
    }
  },
};
