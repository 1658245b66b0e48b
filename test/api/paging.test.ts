// The API's paging and parameter checks, pure: keyset cursors that survive a changing list, and
// every bad input a 400 with a message.
import { describe, expect, it } from 'vitest';
import { ApiError, decodeCursor, encodeCursor, pageOf } from '../../src/web/api/paging.js';
import { readParams } from '../../src/web/api/params.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${String(i).padStart(5, '0')}`);
const walk = (list: () => string[], limit: number) => {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = pageOf(list(), (x) => x, limit, cursor, 'test');
    seen.push(...p.items);
    if (p.next_cursor === null) return seen;
    cursor = p.next_cursor;
  }
  throw new Error('the walk did not end');
};

describe('keyset paging', () => {
  it('walks every item once, and the last page has no cursor', () => {
    const all = ids(1234);
    expect(walk(() => all, 500)).toEqual(all);
    expect(pageOf(all, (x) => x, 500, undefined, 'test')).toMatchObject({ total: 1234 });
    expect(pageOf(all.slice(0, 500), (x) => x, 500, undefined, 'test').next_cursor).toBeNull();
  });

  it('never repeats or skips an item that stays, while items come and go between pages', () => {
    const stay = ids(1000).filter((_, i) => i % 3 !== 0);
    let extra = ids(1000).filter((_, i) => i % 3 === 0);
    let calls = 0;
    const list = () => {
      // Every page: a third of the volatile items leave, new ones appear before and after the cursor.
      calls++;
      extra = extra.filter((_, i) => i % 3 !== calls % 3).concat([`id${calls}a`, `zz${calls}`]);
      return [...stay, ...extra].sort();
    };
    const seen = walk(list, 100);
    expect(new Set(seen).size).toBe(seen.length);
    for (const s of stay) expect(seen).toContain(s);
  });

  it('refuses a cursor it did not make', () => {
    expect(decodeCursor(encodeCursor('id00042', 'test'), 'test')).toBe('id00042');
    // Another list's cursor is refused, not taken for a position in this one.
    expect(() => decodeCursor(encodeCursor('id00042', 'templates'), 'test')).toThrow('belongs to the templates list');
    for (const bad of [
      'x',
      '!!',
      encodeCursor('a', 'test').slice(0, -2),
      Buffer.from('["v2","test","a"]').toString('base64url'),
    ])
      expect(() => pageOf(ids(3), (x) => x, 10, bad, 'test')).toThrow(ApiError);
  });
});

describe('parameters', () => {
  it('takes known filters, a limit from 1 to 500 and a cursor', () => {
    expect(readParams({ limit: '500', cursor: 'abc', q: 'x' }, ['q'])).toEqual({
      limit: 500,
      cursor: 'abc',
      filters: { q: 'x' },
    });
    expect(readParams({}, []).limit).toBe(100);
  });

  it.each([
    [{ limit: '0' }, 'limit must be from 1 to 500'],
    [{ limit: '501' }, 'limit must be from 1 to 500'],
    [{ limit: 'ten' }, 'limit must be a whole number'],
    [{ limit: ['1', '2'] }, 'parameter "limit" must be given once'],
    [{ colour: 'red' }, 'unknown parameter "colour"'],
    [{ q: 'x'.repeat(201) }, 'parameter "q" is longer than 200 characters'],
  ])('%j is a 400: %s', (query, message) => {
    expect(() => readParams(query as Record<string, unknown>, ['q'])).toThrow(message);
  });
});
