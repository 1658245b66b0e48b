import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { postBatch, TOKEN, V } from './helpers.js';

describe('Graph batch', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(() => sb.close());
  afterEach(() => {
    sb.faults.clear();
    sb.stats.reset();
  });

  it('answers an aligned array mixing success and failure; each element counts', async () => {
    const [w0, w1] = sb.state.wabaIds() as [string, string];
    const phone = sb.state.phoneIds()[0]!;
    const r = await postBatch(sb, [
      { method: 'GET', relative_url: `${w0}?fields=id,name` },
      { method: 'GET', relative_url: `/${V}/${w1}/phone_numbers?fields=id` },
      { method: 'GET', relative_url: `/${phone}?fields=quality_rating` },
      { method: 'GET', relative_url: `v22.0/999999999999999` },
      { relative_url: `${w0}?fields=nope` },
    ]);
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(5);
    const bodies = r.json.map((e: { body: string }) => JSON.parse(e.body));
    expect(r.json.map((e: { code: number }) => e.code)).toEqual([200, 200, 200, 400, 400]);
    expect(bodies[0]).toEqual({ id: w0, name: 'Acme Retail 1 Support' });
    expect(bodies[1].data).toHaveLength(1);
    expect(bodies[2]).toEqual({ quality_rating: 'GREEN', id: phone });
    expect(bodies[3].error).toMatchObject({ code: 100, error_subcode: 33 });
    expect(bodies[4].error.code).toBe(100);
    const headers = r.json[0].headers as { name: string; value: string }[];
    const buc = JSON.parse(headers.find((h) => h.name === 'X-Business-Use-Case-Usage')!.value);
    expect(Object.keys(buc)).toEqual([w0]);
    expect(headers.some((h) => h.name === 'X-App-Usage')).toBe(true);
    expect(sb.stats.toJSON()).toEqual({
      httpRequests: 1,
      subRequests: 5,
      byKind: { batch: 1, waba: 2, phone_numbers: 1, phone: 1, unknown: 1 },
    });
  });

  it('accepts a JSON body, POST / without version, and include_headers=false', async () => {
    const w0 = sb.state.wabaIds()[0]!;
    const res = await request(`${sb.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        access_token: TOKEN,
        include_headers: false,
        batch: [{ method: 'GET', relative_url: w0 }],
      }),
    });
    const json = (await res.body.json()) as { code: number; headers?: unknown; body: string }[];
    expect(res.statusCode).toBe(200);
    expect(json[0]).toEqual({ code: 200, body: JSON.stringify({ id: w0, name: 'Acme Retail 1 Support' }) });
  });

  it('accepts 50 elements and rejects 51 with error 100', async () => {
    const el = { method: 'GET', relative_url: sb.state.wabaIds()[0]! };
    expect((await postBatch(sb, Array(50).fill(el))).json).toHaveLength(50);
    const tooMany = await postBatch(sb, Array(51).fill(el));
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
    expect((await postBatch(sb, 'not json')).json.error.code).toBe(100);
  });

  it('puts null where an element timed out, and faults elements individually', async () => {
    const [w0, w1] = sb.state.wabaIds() as [string, string];
    sb.faults.add({ kind: 'timeout', match: `${w1}/phone_numbers` });
    sb.faults.add({ kind: 'http_5xx', match: `${w0}/message_templates` });
    sb.faults.add({ kind: 'html', match: 'me/businesses' });
    const r = await postBatch(sb, [
      { method: 'GET', relative_url: `${w0}/phone_numbers` },
      { method: 'GET', relative_url: `${w1}/phone_numbers` },
      { method: 'GET', relative_url: `${w0}/message_templates` },
      { method: 'GET', relative_url: `me/businesses` },
    ]);
    expect(r.status).toBe(200);
    expect(r.json[0].code).toBe(200);
    expect(r.json[1]).toBeNull();
    expect(r.json[2].code).toBe(500);
    expect(JSON.parse(r.json[2].body).error).toMatchObject({ code: 2, is_transient: true });
    expect(r.json[3].code).toBe(502);
    expect(r.json[3].body).toMatch(/^<!DOCTYPE html>/);
  });

  it('skips batch elements for inBatch:false faults', async () => {
    const w0 = sb.state.wabaIds()[0]!;
    sb.faults.add({ kind: 'permission', match: w0, inBatch: false });
    const r = await postBatch(sb, [{ method: 'GET', relative_url: w0 }]);
    expect(r.json[0].code).toBe(200);
  });

  it('needs a valid token on the batch itself', async () => {
    const res = await request(`${sb.url}/${V}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ batch: '[]' }).toString(),
    });
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as { error: { code: number } }).error.code).toBe(104);
  });
});
