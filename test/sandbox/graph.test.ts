import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { get, V } from './helpers.js';

describe('Graph endpoints', () => {
  let sb: Sandbox;
  let biz: string;
  let waba: string;
  beforeAll(async () => {
    sb = await startSandbox();
    biz = sb.state.businessIds()[0]!;
    waba = sb.state.wabaIds()[0]!;
  });
  afterAll(() => sb.close());

  it('lists owned WABAs with Meta default fields', async () => {
    const r = await get(sb, `/${V}/${biz}/owned_whatsapp_business_accounts`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.json.data).toHaveLength(2);
    expect(Object.keys(r.json.data[0]).sort()).toEqual(['id', 'message_template_namespace', 'name', 'timezone_id']);
    expect(r.json.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(r.json.paging.next).toBeUndefined();
  });

  it('honours fields, adds id, and expands nested edges with their own paging', async () => {
    const fields =
      'name,currency,owner_business_info,whatsapp_business_manager_messaging_limit,phone_numbers.limit(1){display_phone_number,quality_rating,throughput{level}},message_templates{name,status}';
    const r = await get(sb, `/${V}/${biz}/owned_whatsapp_business_accounts?fields=${encodeURIComponent(fields)}`);
    const w0 = r.json.data[0];
    expect(w0).toMatchObject({
      id: waba,
      currency: expect.any(String),
      whatsapp_business_manager_messaging_limit: 'TIER_10K',
      owner_business_info: { id: biz, name: 'Acme Retail 1' },
    });
    expect(w0.phone_numbers.data).toEqual([
      {
        display_phone_number: expect.any(String),
        quality_rating: 'GREEN',
        throughput: { level: expect.stringMatching(/STANDARD|HIGH/) },
        id: sb.state.phoneIds()[0],
      },
    ]);
    expect(w0.message_templates.data).toHaveLength(4);
    // The nested next link is a real edge URL on the sandbox: following it gives page two.
    const next = w0.phone_numbers.paging.next as string;
    expect(next.startsWith(`${sb.url}/${V}/${waba}/phone_numbers?`)).toBe(true);
    const page2 = await get(sb, next);
    expect(page2.json.data.map((p: { id: string }) => p.id)).toEqual([sb.state.phoneIds()[1]]);
    expect(Object.keys(page2.json.data[0]).sort()).toEqual([
      'display_phone_number',
      'id',
      'quality_rating',
      'throughput',
    ]);
  });

  it('omits an expanded edge that has nothing in it, as Graph does', async () => {
    const empty = await startSandbox({ phoneNumbers: 0, wabas: 1 });
    try {
      const r = await get(empty, `/${V}/${empty.state.wabaIds()[0]}?fields=id,phone_numbers{id}`);
      expect(r.json).toEqual({ id: empty.state.wabaIds()[0] });
      const edge = await get(empty, `/${V}/${empty.state.wabaIds()[0]}/phone_numbers`);
      expect(edge.json).toEqual({ data: [] });
    } finally {
      await empty.close();
    }
  });

  it('serves WABA, phone, business, template and me nodes', async () => {
    const w = await get(sb, `/${V}/${waba}`);
    expect(w.json).toEqual({ id: waba, name: 'Acme Retail 1 Support' });
    const phone = sb.state.phoneIds()[0]!;
    const p = await get(sb, `/${V}/${phone}`);
    expect(Object.keys(p.json).sort()).toEqual(['display_phone_number', 'id', 'quality_rating', 'verified_name']);
    const full = await get(
      sb,
      `/${V}/${phone}?fields=status,name_status,platform_type,messaging_limit_tier,whatsapp_business_manager_messaging_limit,health_status,quality_score`,
    );
    expect(full.json).toMatchObject({
      status: 'CONNECTED',
      platform_type: 'CLOUD_API',
      messaging_limit_tier: 'TIER_10K',
      whatsapp_business_manager_messaging_limit: 'TIER_10K',
      quality_score: { score: 'GREEN' },
    });
    expect(full.json.health_status.can_send_message).toBe('AVAILABLE');
    expect(full.json.health_status.entities.map((e: { entity_type: string }) => e.entity_type)).toEqual([
      'PHONE_NUMBER',
      'WABA',
      'BUSINESS',
      'APP',
    ]);
    const b = await get(sb, `/${V}/${biz}?fields=id,name,whatsapp_business_manager_messaging_limit`);
    expect(b.json).toEqual({ id: biz, name: 'Acme Retail 1', whatsapp_business_manager_messaging_limit: 'TIER_10K' });
    const me = await get(sb, `/${V}/me/businesses`);
    expect(me.json.data).toEqual([{ id: biz, name: 'Acme Retail 1' }]);
    const templates = await get(
      sb,
      `/${V}/${waba}/message_templates?fields=id,name,language,status,category,quality_score&limit=3`,
    );
    expect(templates.json.data).toHaveLength(3);
    expect(templates.json.data[0]).toMatchObject({
      status: 'APPROVED',
      category: 'MARKETING',
      quality_score: { score: expect.any(String), date: expect.any(Number) },
    });
    const tpl = await get(sb, `/${V}/${templates.json.data[0].id}?fields=name`);
    expect(tpl.json.name).toBe(templates.json.data[0].name);
  });

  it('accepts any vNN.N segment and unversioned paths; gates v24-only fields on older versions', async () => {
    expect((await get(sb, `/v25.0/${waba}`)).status).toBe(200);
    expect((await get(sb, `/${waba}`)).status).toBe(200);
    const old = await get(sb, `/v23.0/${biz}?fields=whatsapp_business_manager_messaging_limit`);
    expect(old.status).toBe(400);
    expect(old.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
  });

  it('answers unknown ids with 100/33 and unknown fields/paths/syntax with 100/2500', async () => {
    const r = await get(sb, `/${V}/123456789012345`);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({
      code: 100,
      error_subcode: 33,
      type: 'GraphMethodException',
      fbtrace_id: expect.any(String),
    });
    const f = await get(sb, `/${V}/${waba}?fields=id,bogus`);
    expect(f.json.error).toMatchObject({
      code: 100,
      message: '(#100) Tried accessing nonexisting field (bogus) on node type (WhatsAppBusinessAccount)',
    });
    // Validation covers nested selections even when the list would be empty.
    const nested = await get(sb, `/${V}/${waba}?fields=phone_numbers{bogus}`);
    expect(nested.json.error.code).toBe(100);
    const s = await get(sb, `/${V}/${waba}?fields=${encodeURIComponent('phone_numbers{id')}`);
    expect(s.status).toBe(400);
    expect(s.json.error.message).toMatch(/^\(#100\) Syntax error/);
    const p = await get(sb, `/${V}/${waba}/nope`);
    expect(p.json.error.code).toBe(2500);
    const lim = await get(sb, `/${V}/${waba}/phone_numbers?limit=0`);
    expect(lim.json.error.code).toBe(100);
  });
});

describe('paging', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ phoneNumbers: 60, wabas: 1, templatesPerWaba: 30 });
  });
  afterAll(() => sb.close());

  it('walks every page via paging.next, which repeats the query on the sandbox url', async () => {
    const waba = sb.state.wabaIds()[0]!;
    const seen: string[] = [];
    let url: string | undefined = `/${V}/${waba}/phone_numbers?fields=id,quality_rating`;
    let pages = 0;
    while (url) {
      const r = await get(sb, url);
      expect(r.status).toBe(200);
      seen.push(...r.json.data.map((p: { id: string }) => p.id));
      url = r.json.paging?.next;
      if (url) {
        expect(url.startsWith(`${sb.url}/${V}/${waba}/phone_numbers?`)).toBe(true);
        expect(new URL(url).searchParams.get('fields')).toBe('id,quality_rating');
      }
      pages++;
    }
    expect(pages).toBe(3); // 25 + 25 + 10, Meta's default page size
    expect(seen).toEqual(sb.state.phoneIds());
  });

  it('supports limit, after and before cursors', async () => {
    const waba = sb.state.wabaIds()[0]!;
    const p1 = await get(sb, `/${V}/${waba}/message_templates?fields=name&limit=10`);
    const p2 = await get(
      sb,
      `/${V}/${waba}/message_templates?fields=name&limit=10&after=${p1.json.paging.cursors.after}`,
    );
    expect(p2.json.data).toHaveLength(10);
    expect(p2.json.paging.previous).toContain('before=');
    const back = await get(
      sb,
      `/${V}/${waba}/message_templates?fields=name&limit=10&before=${p2.json.paging.cursors.before}`,
    );
    expect(back.json.data).toEqual(p1.json.data);
    const bad = await get(sb, `/${V}/${waba}/message_templates?after=not-a-cursor`);
    expect(bad.json.error.code).toBe(131059);
  });

  it('keeps a cursor valid when the list changed between pages', async () => {
    const local = await startSandbox({ phoneNumbers: 10, wabas: 10, businesses: 1 });
    try {
      const biz = local.state.businessIds()[0]!;
      const p1 = await get(local, `/${V}/${biz}/owned_whatsapp_business_accounts?limit=4&fields=id`);
      local.state.removeWaba(local.state.wabaIds()[0]!);
      const p2 = await get(local, p1.json.paging.next);
      expect(p2.json.data.map((w: { id: string }) => w.id)).toEqual(local.state.wabaIds().slice(3, 7));
    } finally {
      await local.close();
    }
  });
});

describe('state levers', () => {
  it('patches, limits, unshares, shares and duplicates show on the wire', async () => {
    const sb = await startSandbox({ phoneNumbers: 4, wabas: 2, businesses: 2 });
    try {
      const [b0, b1] = sb.state.businessIds() as [string, string];
      const [w0, w1] = sb.state.wabaIds() as [string, string];
      const phone = sb.state.phoneIds()[0]!;

      sb.state.updatePhone(phone, { quality_rating: 'PURPLE', brand_new_field: 7 });
      const p = await get(sb, `/${V}/${phone}?fields=quality_rating,brand_new_field,health_status`);
      expect(p.json).toMatchObject({ quality_rating: 'PURPLE', brand_new_field: 7 });
      sb.state.updatePhone(phone, { quality_rating: 'RED' });
      const red = await get(sb, `/${V}/${phone}?fields=health_status`);
      expect(red.json.health_status.can_send_message).toBe('LIMITED');
      expect(red.json.health_status.entities[0].additional_info).toHaveLength(1);

      sb.state.setBusinessLimit(b0, 'TIER_2K');
      const w = await get(
        sb,
        `/${V}/${w0}?fields=whatsapp_business_manager_messaging_limit,phone_numbers{whatsapp_business_manager_messaging_limit}`,
      );
      expect(w.json.whatsapp_business_manager_messaging_limit).toBe('TIER_2K');
      expect(w.json.phone_numbers.data[0].whatsapp_business_manager_messaging_limit).toBe('TIER_2K');

      const tpl = sb.state.getTemplates(w0)[0]!;
      sb.state.setTemplateStatus(w0, tpl.name, tpl.language, 'DISABLED');
      const t = await get(sb, `/${V}/${w0}/message_templates?fields=status&limit=1`);
      expect(t.json.data[0].status).toBe('DISABLED');

      const w1Phone = sb.state.phoneIds()[3]!; // numbers are spread evenly: the last two sit under w1
      sb.state.removeWaba(w1);
      expect((await get(sb, `/${V}/${b1}/owned_whatsapp_business_accounts`)).json.data).toEqual([]);
      const gone = await get(sb, `/${V}/${w1}`);
      expect(gone.json.error).toMatchObject({ code: 100, error_subcode: 33 });
      expect((await get(sb, `/${V}/${w1Phone}`)).json.error.error_subcode).toBe(33);
      sb.state.restoreWaba(w1);
      expect((await get(sb, `/${V}/${b1}/owned_whatsapp_business_accounts`)).json.data).toHaveLength(1);

      sb.state.shareWabaAsClient(w1, b0);
      const client = await get(sb, `/${V}/${b0}/client_whatsapp_business_accounts`);
      expect(client.json.data.map((x: { id: string }) => x.id)).toEqual([w1]);

      sb.state.duplicatePhone(phone, w1);
      const dup = await get(sb, `/${V}/${w1}/phone_numbers`);
      expect(dup.json.data.map((x: { id: string }) => x.id)).toContain(phone);
      expect(() => sb.state.updatePhone('nope', {})).toThrow(/unknown phone number/);
    } finally {
      await sb.close();
    }
  });
});

describe('auth', () => {
  it('maps missing, invalid and expired tokens to 104 and 190/467, 190/463', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const nowS = clock.now() / 1000;
    const sb = await startSandbox({
      clock,
      tokens: { good: {}, dead: { valid: false }, soon: { expiresAt: nowS + 60 } },
    });
    try {
      const waba = sb.state.wabaIds()[0]!;
      const missing = await get(sb, `/${V}/${waba}`, null);
      expect(missing.status).toBe(401);
      expect(missing.json.error).toMatchObject({ code: 104, type: 'OAuthException' });
      const invalid = await get(sb, `/${V}/${waba}`, 'dead');
      expect(invalid.status).toBe(401);
      expect(invalid.json.error).toMatchObject({ code: 190, error_subcode: 467 });
      expect(invalid.headers['www-authenticate']).toMatch(/^OAuth/);
      expect((await get(sb, `/${V}/${waba}`, 'unknown')).json.error.error_subcode).toBe(467);
      expect((await get(sb, `/${V}/${waba}`, 'soon')).status).toBe(200);
      expect((await get(sb, `/${V}/${waba}?access_token=good`, null)).status).toBe(200);
      clock.advance(61_000);
      const expired = await get(sb, `/${V}/${waba}`, 'soon');
      expect(expired.json.error).toMatchObject({ code: 190, error_subcode: 463, type: 'OAuthException' });
      sb.state.setToken('soon', { expiresAt: 0 });
      expect((await get(sb, `/${V}/${waba}`, 'soon')).status).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('debug_token reports validity inside data, like Meta', async () => {
    const clock = new ManualClock();
    const sb = await startSandbox({
      clock,
      tokens: { good: { expiresAt: 0 }, old: { expiresAt: clock.now() / 1000 - 10 }, dead: { valid: false } },
    });
    try {
      const ok = await get(sb, `/${V}/debug_token?input_token=good`, 'good');
      expect(ok.json.data).toMatchObject({
        app_id: expect.any(String),
        type: 'SYSTEM_USER',
        application: expect.any(String),
        expires_at: 0,
        is_valid: true,
        issued_at: clock.now() / 1000,
        data_access_expires_at: 0,
      });
      expect(ok.json.data.scopes).toContain('whatsapp_business_management');
      const old = await get(sb, `/${V}/debug_token?input_token=old`, 'old');
      expect(old.status).toBe(200);
      expect(old.json.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
      expect((await get(sb, `/${V}/debug_token?input_token=dead`, 'good')).json.data.error.subcode).toBe(467);
      expect((await get(sb, `/${V}/debug_token`, 'good')).json.error.code).toBe(100);
      expect((await get(sb, `/${V}/debug_token?input_token=good`, null)).json.error.code).toBe(104);
    } finally {
      await sb.close();
    }
  });
});
