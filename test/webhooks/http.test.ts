import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/webhooks/verify.js';
import { fixture, lines, PATH, rig, SECRET, value, VERIFY_TOKEN, type Rig } from './helpers.js';

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

const REQ = 'whatsapp_webhook_requests_total';
const failures = (m: string, reason: string) => value(m, `whatsapp_webhook_request_failures_total{reason="${reason}"}`);
const sent = (m: string) =>
  lines(m, 'whatsapp_message_statuses_total').reduce((n, l) => n + Number(l.split(' ').pop()), 0);

/** Everything a rejected request must leave as it was. */
async function state(x: Rig) {
  const m = await x.metrics();
  return {
    rows: x.mod.db.rowCounts(),
    statuses: sent(m),
    events: lines(m, 'whatsapp_webhook_events_total'),
    snapshot: x.store.all(),
  };
}

describe('GET: verification handshake', () => {
  it('echoes the challenge as text/plain for the right token', async () => {
    r = await rig();
    const ok = await r.get(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok).toMatchObject({ status: 200, text: '1158201444' });
    expect(ok.type).toMatch(/^text\/plain/);
    // The challenge is the caller's text echoed back: a browser must not sniff it into HTML (#19).
    expect(ok.nosniff).toBe('nosniff');
  });

  it('echoes markup as inert text: text/plain and nosniff', async () => {
    r = await rig();
    const ok = await r.get(
      `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=${encodeURIComponent('<script>alert(1)</script>')}`,
    );
    expect(ok).toMatchObject({ status: 200, text: '<script>alert(1)</script>', nosniff: 'nosniff' });
    expect(ok.type).toMatch(/^text\/plain/);
  });

  it.each([
    ['wrong token', 'hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1'],
    ['wrong mode', `hub.mode=other&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`],
    ['no parameters', ''],
  ])('403 on %s', async (_n, q) => {
    r = await rig();
    expect((await r.get(q)).status).toBe(403);
  });
});

describe('POST: rejected requests change nothing', () => {
  const body = fixture('status_sent_marketing');
  const cases: Array<[string, (x: Rig) => Promise<{ status: number }>, number, string]> = [
    ['bad signature', (x) => x.post(body, { secret: 'not-the-secret' }), 401, 'bad_signature'],
    ['missing signature header', (x) => x.post(body, { signature: null }), 401, 'bad_signature'],
    [
      'truncated body (signature of the full body)',
      (x) => x.post(body.slice(0, 100), { signature: sign(body, SECRET) }),
      401,
      'bad_signature',
    ],
    ['truncated body, re-signed', (x) => x.post(body.slice(0, 100)), 400, 'malformed'],
    ['non-JSON', (x) => x.post('hello, world'), 400, 'malformed'],
    ['JSON that is not an object', (x) => x.post('[1,2,3]'), 400, 'malformed'],
    ['2 MB body', (x) => x.post(Buffer.alloc(2 * 1024 * 1024, 0x20)), 413, 'too_large'],
    ['another product (200, counted)', (x) => x.post(fixture('not_whatsapp')), 200, 'unknown_object'],
  ];
  it.each(cases)('%s', async (_n, send, status, reason) => {
    r = await rig();
    await r.post(fixture('account_alerts_and_update')); // some state to keep
    const before = await state(r);
    const res = await send(r);
    expect(res.status).toBe(status);
    const m = await r.metrics();
    expect(failures(m, reason)).toBe(1);
    expect(value(m, REQ)).toBe(2);
    expect(await state(r)).toEqual(before);
  });

  it('401 for every POST while no app secret is configured', async () => {
    r = await rig({ secrets: [] });
    const res = await r.post(fixture('status_sent_marketing'));
    expect(res.status).toBe(401);
    expect(r.mod.db.rowCounts().dedupe).toBe(0);
  });

  it('a declared Content-Length over the limit is refused without buffering', async () => {
    r = await rig({ maxBodyBytes: 1000 });
    const res = await r.post(Buffer.alloc(1001, 0x20));
    expect(res.status).toBe(413);
    expect(failures(await r.metrics(), 'too_large')).toBe(1);
  });
});

describe('POST: accepted', () => {
  it('the same payload posted three times counts once', async () => {
    r = await rig();
    for (let i = 0; i < 3; i++) expect((await r.post(fixture('status_batch_multi_entry'))).status).toBe(200);
    const m = await r.metrics();
    expect(value(m, REQ)).toBe(3);
    expect(sent(m)).toBe(4);
    expect(value(m, 'whatsapp_webhook_events_total{field="messages",event="sent"}')).toBe(2);
    expect(r.mod.db.rowCounts().dedupe).toBe(4 + 3); // 4 (message, status) keys + 3 billable messages
  });

  it('accepts either secret while rotating', async () => {
    r = await rig({ secrets: ['old-secret', 'new-secret'] });
    expect((await r.post(fixture('status_sent_marketing'), { secret: 'old-secret' })).status).toBe(200);
    expect((await r.post(fixture('value_errors'), { secret: 'new-secret' })).status).toBe(200);
    expect((await r.post(fixture('incoming_message'), { secret: SECRET })).status).toBe(401);
  });

  it('invalidates the webhook fragments once per POST', async () => {
    r = await rig();
    const before = r.invalidations();
    await r.post(fixture('status_batch_multi_entry'));
    expect(r.invalidations() - before).toBe(1);
    await r.post('junk');
    expect(r.invalidations() - before).toBe(2);
  });

  it('follows a config reload of the path and of enabled', async () => {
    r = await rig();
    r.settings.current = { ...r.settings.current, enabled: false };
    expect((await r.post(fixture('status_sent_marketing'))).status).toBe(404);
    r.settings.current = { ...r.settings.current, enabled: true, path: '/hooks/meta' };
    expect((await r.post(fixture('status_sent_marketing'))).status).toBe(404);
    expect(PATH).not.toBe('/hooks/meta');
  });

  it('never logs bodies, recipient numbers or secrets', async () => {
    r = await rig();
    await r.post(fixture('status_batch_multi_entry'));
    await r.post(fixture('status_batch_multi_entry'), { secret: 'wrong' });
    await r.post('not json');
    const logs = r.logs();
    for (const secretOrPii of [SECRET, '919876543210', '5511987654321', 'wamid.', VERIFY_TOKEN])
      expect(logs).not.toContain(secretOrPii);
  });
});

describe('POST while not accepting (a shard before its first portfolio listing)', () => {
  it('a signed POST gets 503 and changes nothing; a bad signature is still 401; then it counts', async () => {
    let accepting = false;
    r = await rig({ accepting: () => accepting });
    const body = fixture('status_sent_marketing');
    const before = await state(r);
    expect((await r.post(body)).status).toBe(503);
    expect((await r.post(body, { secret: 'not-the-secret' })).status).toBe(401);
    const m = await r.metrics();
    expect(failures(m, 'not_ready')).toBe(1);
    expect(failures(m, 'bad_signature')).toBe(1);
    expect(await state(r)).toEqual(before);
    accepting = true;
    expect((await r.post(body)).status).toBe(200);
    expect(sent(await r.metrics())).toBe(before.statuses + 1);
  });
});
