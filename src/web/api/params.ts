import { ApiError, DEFAULT_LIMIT, MAX_LIMIT } from './paging.js';

/**
 * The query string of an API call, checked: every parameter is known to the endpoint and given
 * once, `limit` is a whole number from 1 to MAX_LIMIT. Anything else is a 400 naming the parameter.
 */
export function readParams(
  query: Record<string, unknown>,
  filters: readonly string[],
): { limit: number; cursor?: string; filters: Record<string, string> } {
  const known = new Set(['limit', 'cursor', ...filters]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (!known.has(k)) throw new ApiError(`unknown parameter "${k.slice(0, 40)}" (known: ${[...known].join(', ')})`);
    if (typeof v !== 'string') throw new ApiError(`parameter "${k}" must be given once`);
    if (v.length > 200) throw new ApiError(`parameter "${k}" is longer than 200 characters`);
    out[k] = v;
  }
  let limit = DEFAULT_LIMIT;
  if (out.limit !== undefined) {
    if (!/^[0-9]{1,6}$/.test(out.limit)) throw new ApiError('limit must be a whole number');
    limit = Number(out.limit);
    if (limit < 1 || limit > MAX_LIMIT) throw new ApiError(`limit must be from 1 to ${MAX_LIMIT}`);
  }
  const { limit: _l, cursor, ...rest } = out;
  return { limit, ...(cursor === undefined ? {} : { cursor }), filters: rest };
}
