import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { get, TOKEN, V } from './helpers.js';

describe('fault injection over HTTP', () => {
  let sb: Sandbox;
  let waba: string;
  beforeAll(async () => {
    sb = await startSandbox({ phoneNumbers: 30, wabas: 1 });
    waba = sb.state.wabaIds()[0]!;
  });
  afterAll(() => sb.close());
  afterEach(() => sb.faults.clear());

  it('http_5xx: 500 with a transient Graph error, code 2 unless told', async () => {
    sb.faults.add({ kind: 'http_5xx', times: 1 });
    sb.faults.add({ kind: 'http_5xx', code: 1, times: 1 });
    const a = await get(sb, `/${V}/${waba}`);
    expect(a.status).toBe(500);
    expect(a.json.error).toMatchObject({ code: 2, is_transient: true, type: 'OAuthException' });
    expect((await get(sb, `/${V}/${waba}`)).json.error.code).toBe(1);
    expect((await get(sb, `/${V}/${waba}`)).status).toBe(200); // both used up
  });

  it('html: 502 with an HTML body', async () => {
    sb.faults.add({ kind: 'html', match: 'phone_numbers.limit(5){id}' }); // matched against the decoded URL
    const r = await get(sb, `/${V}/${waba}?fields=${encodeURIComponent('phone_numbers.limit(5){id}')}`);
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.json).toBeUndefined();
    expect((await get(sb, `/${V}/${waba}`)).status).toBe(200); // match is a substring filter
  });

  it('slow: answers after delayMs', async () => {
    sb.faults.add({ kind: 'slow', delayMs: 300, times: 1 });
    const t0 = performance.now();
    const r = await get(sb, `/${V}/${waba}`);
    expect(r.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('timeout: never answers; the client gives up and the sandbox keeps serving', async () => {
    sb.faults.add({ kind: 'timeout', times: 1 });
    await expect(
      request(`${sb.url}/${V}/${waba}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect((await get(sb, `/${V}/${waba}`)).status).toBe(200);
  });

  it('truncated: 200 with JSON cut short', async () => {
    sb.faults.add({ kind: 'truncated', times: 1 });
    const r = await get(sb, `/${V}/${waba}/phone_numbers`);
    expect(r.status).toBe(200);
    expect(r.text.startsWith('{"data":[')).toBe(true);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('token_expired: 401 with 190/463', async () => {
    sb.faults.add({ kind: 'token_expired', times: 1 });
    const r = await get(sb, `/${V}/${waba}`);
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
  });

  it('throttle: 80007 with usage at 100% and the regain time', async () => {
    sb.faults.add({ kind: 'throttle', regainMinutes: 7, times: 1 });
    const r = await get(sb, `/${V}/${waba}`);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 80007, message: '(#80007) Rate limit issues' });
    const buc = JSON.parse(r.headers['x-business-use-case-usage']!);
    expect(buc[waba][0]).toMatchObject({
      type: 'whatsapp_business_management',
      call_count: 100,
      estimated_time_to_regain_access: 7,
    });
    sb.faults.add({ kind: 'throttle', times: 1 });
    const d = await get(sb, `/${V}/${waba}`);
    expect(JSON.parse(d.headers['x-business-use-case-usage']!)[waba][0].estimated_time_to_regain_access).toBe(5);
  });

  it('permission: 403 with code 200', async () => {
    sb.faults.add({ kind: 'permission', times: 1 });
    const r = await get(sb, `/${V}/${waba}`);
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe(200);
  });

  it('loop_cursor: paging.next keeps serving the same page', async () => {
    sb.faults.add({ kind: 'loop_cursor' });
    const p1 = await get(sb, `/${V}/${waba}/phone_numbers?fields=id&limit=10`);
    const p2 = await get(sb, p1.json.paging.next);
    const p3 = await get(sb, p2.json.paging.next);
    expect(p2.json.data).toEqual(p1.json.data);
    expect(p3.json.data).toEqual(p1.json.data);
    expect(p3.json.paging.next).toBe(p2.json.paging.next);
    sb.faults.clear();
    const last = await get(sb, `/${V}/${waba}/phone_numbers?fields=id&limit=30`);
    expect(last.json.paging.next).toBeUndefined();
  });

  it('endless_cursor: every next carries a new cursor and serves the first page again', async () => {
    sb.faults.add({ kind: 'endless_cursor' });
    const p1 = await get(sb, `/${V}/${waba}/phone_numbers?fields=id&limit=2`);
    const p2 = await get(sb, p1.json.paging.next);
    const p3 = await get(sb, p2.json.paging.next);
    expect(p2.json.data).toEqual(p1.json.data);
    expect(p3.json.data).toEqual(p1.json.data);
    const cursors = [p1, p2, p3].map((p) => p.json.paging.cursors.after);
    expect(new Set(cursors).size).toBe(3);
  });

  it('ignore_limit: limit and .limit() are ignored, one page holds every item', async () => {
    const all = sb.state.phoneIds().length;
    sb.faults.add({ kind: 'ignore_limit', times: 2 });
    const top = await get(sb, `/${V}/${waba}/phone_numbers?fields=id&limit=1`);
    expect(top.json.data.length).toBeGreaterThan(1);
    expect(top.json.paging.next).toBeUndefined();
    const nested = await get(sb, `/${V}/${waba}?fields=${encodeURIComponent('phone_numbers.limit(1){id}')}`);
    expect(nested.json.phone_numbers.data).toHaveLength(top.json.data.length);
    expect(top.json.data.length).toBeLessThanOrEqual(all);
  });
});

describe('FaultInjector', () => {
  it('matches by substring, honours times and inBatch, lists, removes and clears', () => {
    const f = new FaultInjector();
    const a = f.add({ kind: 'http_5xx', match: 'phone_numbers', times: 2 });
    const b = f.add({ kind: 'html', inBatch: false });
    expect(f.take('/v24.0/1/phone_numbers?limit=5', true)?.kind).toBe('http_5xx');
    expect(f.take('/v24.0/1', true)).toBeUndefined(); // b skips batch elements
    expect(f.take('/v24.0/1', false)?.kind).toBe('html');
    expect(f.take('/v24.0/1/phone_numbers', true)?.kind).toBe('http_5xx');
    expect(f.take('/v24.0/1/phone_numbers', true)).toBeUndefined(); // a used up, b not for batches
    expect(f.list().map((e) => [e.id, e.hits, e.remaining])).toEqual([
      [a, 2, 0],
      [b, 1, null],
    ]);
    expect(f.remove(b)).toBe(true);
    expect(f.remove(b)).toBe(false);
    f.clear();
    expect(f.list()).toEqual([]);
    expect(() => f.add({ kind: 'nope' } as never)).toThrow();
  });
});
