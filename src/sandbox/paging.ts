/**
 * Cursor paging like Graph's: opaque base64 cursors naming an item, `after` = strictly after
 * that item, `before` = strictly before it. A cursor carries the item's index as a hint and
 * its key as the truth, so a page still lines up after the list changed under the client
 * (a WABA removed between two pages) and costs O(1) when it did not.
 */
export interface PageRequest {
  limit: number;
  after?: string;
  before?: string;
}

export interface Page<T> {
  items: T[];
  cursors?: { before: string; after: string };
  hasNext: boolean;
  hasPrevious: boolean;
}

export class InvalidCursorError extends Error {}

export function paginate<T>(all: readonly T[], keyOf: (t: T) => string, req: PageRequest): Page<T> {
  let start = 0;
  let end = all.length;
  if (req.after !== undefined) {
    start = locate(all, keyOf, req.after) + 1;
    end = Math.min(all.length, start + req.limit);
  } else if (req.before !== undefined) {
    end = locate(all, keyOf, req.before);
    start = Math.max(0, end - req.limit);
  } else {
    end = Math.min(all.length, req.limit);
  }
  const items = all.slice(start, end);
  const first = items[0];
  const last = items[items.length - 1];
  return {
    items,
    cursors:
      first === undefined || last === undefined
        ? undefined
        : { before: encodeCursor(start, keyOf(first)), after: encodeCursor(end - 1, keyOf(last)) },
    hasNext: end < all.length,
    hasPrevious: start > 0,
  };
}

/** Index -1 means "before the first item": `after` with it yields the first page (loop_cursor uses it). */
export function encodeCursor(index: number, key: string): string {
  return Buffer.from(`${index}:${key}`, 'utf8').toString('base64url');
}

function locate<T>(all: readonly T[], keyOf: (t: T) => string, cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(-?\d+):(.*)$/s.exec(text);
  if (!m) throw new InvalidCursorError(`invalid cursor ${cursor}`);
  const hint = Number(m[1]);
  const key = m[2]!;
  if (hint === -1) return -1;
  const atHint = all[hint];
  if (atHint !== undefined && keyOf(atHint) === key) return hint;
  const found = all.findIndex((t) => keyOf(t) === key);
  // The item is gone: fall back to its old position, the best guess Graph would make too.
  return found >= 0 ? found : Math.min(hint, all.length);
}

/** `base + path + query`, with `after` set to the cursor and `before` dropped. */
export function nextUrl(baseUrl: string, path: string, query: URLSearchParams, after: string): string {
  const q = new URLSearchParams(query);
  q.delete('before');
  q.set('after', after);
  return `${baseUrl}${path}?${q.toString()}`;
}

/** `base + path + query`, with `before` set to the cursor and `after` dropped. */
export function previousUrl(baseUrl: string, path: string, query: URLSearchParams, before: string): string {
  const q = new URLSearchParams(query);
  q.delete('after');
  q.set('before', before);
  return `${baseUrl}${path}?${q.toString()}`;
}
