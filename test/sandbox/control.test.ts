import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { control, get, postBatch, V } from './helpers.js';

describe('/_sandbox control API', () => {
  let sb: Sandbox;
  const clock = new ManualClock();
  beforeAll(async () => {
    sb = await startSandbox({ clock, phoneNumbers: 4, wabas: 2, businesses: 2 });
  });
  afterAll(() => sb.close());

  it('manages faults', async () => {
    const waba = sb.state.wabaIds()[0]!;
    const added = await control(sb, 'POST', '/faults', { kind: 'http_5xx', match: waba, times: 1 });
    expect(added.status).toBe(201);
    const id = added.json.id as string;
    expect((await control(sb, 'GET', '/faults')).json).toEqual([
      { id, spec: { kind: 'http_5xx', match: waba, times: 1 }, hits: 0, remaining: 1 },
    ]);
    expect((await get(sb, `/${V}/${waba}`)).status).toBe(500);
    expect((await control(sb, 'DELETE', `/faults/${id}`)).status).toBe(204);
    expect((await control(sb, 'DELETE', `/faults/${id}`)).status).toBe(404);
    await control(sb, 'POST', '/faults', { kind: 'timeout', match: 'x' });
    expect((await control(sb, 'DELETE', '/faults')).status).toBe(204);
    expect(sb.faults.list()).toEqual([]);
    const bad = await control(sb, 'POST', '/faults', { kind: 'meteor' });
    expect(bad.status).toBe(400);
    expect((await control(sb, 'POST', '/faults', { kind: 'slow', colour: 'red' })).status).toBe(400);
  });

  it('patches phones, WABAs, limits, templates and tokens', async () => {
    const [b0, b1] = sb.state.businessIds() as [string, string];
    const [w0, w1] = sb.state.wabaIds() as [string, string];
    const phone = sb.state.phoneIds()[0]!;
    expect(
      (await control(sb, 'POST', `/phones/${phone}`, { quality_rating: 'UNKNOWN', status: 'BANNED' })).status,
    ).toBe(200);
    const p = await get(sb, `/${V}/${phone}?fields=quality_rating,health_status`);
    expect(p.json.quality_rating).toBe('UNKNOWN');
    expect(p.json.health_status.can_send_message).toBe('BLOCKED');
    expect((await control(sb, 'POST', '/phones/000/', { a: 1 })).status).toBe(404);

    await control(sb, 'POST', `/businesses/${b0}/limit`, { tier: 'TIER_UNLIMITED' });
    expect(
      (await get(sb, `/${V}/${b0}?fields=whatsapp_business_manager_messaging_limit`)).json
        .whatsapp_business_manager_messaging_limit,
    ).toBe('TIER_UNLIMITED');
    expect((await control(sb, 'POST', `/businesses/${b0}/limit`, {})).status).toBe(400);

    const tpl = sb.state.getTemplates(w0)[1]!;
    await control(sb, 'POST', '/templates', { waba_id: w0, name: tpl.name, language: tpl.language, status: 'PAUSED' });
    expect(sb.state.getTemplates(w0)[1]!.status).toBe('PAUSED');
    expect(
      (await control(sb, 'POST', '/templates', { waba_id: w0, name: 'nope', language: 'xx', status: 'PAUSED' })).status,
    ).toBe(404);

    await control(sb, 'POST', `/wabas/${w0}`, { account_review_status: 'REJECTED' });
    expect((await get(sb, `/${V}/${w0}?fields=health_status`)).json.health_status.can_send_message).toBe('BLOCKED');
    await control(sb, 'POST', `/wabas/${w1}/remove`);
    expect((await get(sb, `/${V}/${w1}`)).json.error.error_subcode).toBe(33);
    expect((await control(sb, 'GET', '/state')).json).toMatchObject({
      scenario: 'static',
      businesses: 2,
      wabas: 2,
      phone_numbers: 4,
      templates: 8,
      removed_wabas: [w1],
    });
    await control(sb, 'POST', `/wabas/${w1}/restore`);
    await control(sb, 'POST', `/wabas/${w1}/share`, { business_id: b0 });
    expect((await get(sb, `/${V}/${b0}/client_whatsapp_business_accounts`)).json.data[0].id).toBe(w1);
    await control(sb, 'POST', `/phones/${phone}/duplicate`, { waba_id: w1 });
    expect((await get(sb, `/${V}/${w1}/phone_numbers`)).json.data.map((x: { id: string }) => x.id)).toContain(phone);
    expect(b1).toBeDefined();

    await control(sb, 'POST', '/tokens', { token: 'short', expires_at: clock.now() / 1000 + 1 });
    expect((await get(sb, `/${V}/${w0}`, 'short')).status).toBe(200);
    clock.advance(2_000);
    expect((await get(sb, `/${V}/${w0}`, 'short')).json.error.error_subcode).toBe(463);
    await control(sb, 'POST', '/tokens', { token: 'short', valid: false });
    expect((await get(sb, `/${V}/${w0}`, 'short')).json.error.error_subcode).toBe(467);
  });

  it('is not counted, not faulted, and 404s unknown routes', async () => {
    sb.stats.reset();
    sb.faults.add({ kind: 'http_5xx' });
    try {
      expect((await control(sb, 'GET', '/state')).status).toBe(200);
      expect((await control(sb, 'GET', '/nope')).status).toBe(404);
      expect(sb.stats.httpRequests).toBe(0);
      // …while the Graph part, batch envelope included, is faulted.
      expect((await postBatch(sb, [])).status).toBe(500);
    } finally {
      sb.faults.clear();
    }
  });
});
