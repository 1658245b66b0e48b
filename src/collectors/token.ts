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

export const tokenCollector: Collector = {
  name: 'token',
  sources: [TOKEN],
  collect(view, out) {
    for (const { data } of view.fresh(TOKEN)) {
      out.add(TOKEN_VALID, { credential: data.credential }, data.valid ? 1 : 0);
      if (data.expiresAt !== undefined) out.add(TOKEN_EXPIRY, { credential: data.credential }, data.expiresAt);
    }
  },
};
