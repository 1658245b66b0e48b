/**
 * Keyset paging for the JSON API (docs/api.md): items are sorted by a stable key, and a cursor is
 * the last key a page returned. The next page starts after that key in whatever the snapshot holds
 * then, so a walk never repeats or skips an item that exists for the whole walk, however the
 * snapshot changes in between (an offset would shift when an earlier item appears or goes).
 */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

/** A client error: answered 400 with its message, never 500. */
export class ApiError extends Error {
  readonly status = 400;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly next_cursor: string | null;
  /** Items matching the filters now (the walk may see a slightly different set). */
  readonly total: number;
}

const VERSION = 'v1';

/** A cursor names its list, so one list's cursor is not taken for another's position. */
export function encodeCursor(key: string, list: string): string {
  return Buffer.from(JSON.stringify([VERSION, list, key])).toString('base64url');
}

export function decodeCursor(cursor: string, list: string): string {
  const bad = () => new ApiError('cursor is not one this API returned (pass next_cursor as it came)');
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== VERSION ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string'
  )
    throw bad();
  if (parsed[1] !== list) throw new ApiError(`cursor belongs to the ${parsed[1].slice(0, 40)} list, not to ${list}`);
  return parsed[2];
}

/** The page after `cursor` (or the first) of `sorted`, which is sorted by `keyOf` (pure); `list` names the list. */
export function pageOf<T>(
  sorted: readonly T[],
  keyOf: (t: T) => string,
  limit: number,
  cursor: string | undefined,
  list: string,
): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    const after = decodeCursor(cursor, list);
    // First index whose key is greater than `after` (binary search: the list is sorted).
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid] as T) <= after) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + limit);
  const last = items[items.length - 1];
  const more = start + limit < sorted.length;
  return {
    items,
    next_cursor: more && last !== undefined ? encodeCursor(keyOf(last), list) : null,
    total: sorted.length,
  };
}

/** Sorts by key with plain string order, the order the cursor compares in. */
export function byKey<T>(items: T[], keyOf: (t: T) => string): T[] {
  return items.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
