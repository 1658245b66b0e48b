import { afterEach, describe, expect, it } from 'vitest';
import { BIZ, PHONE, PHONE2, rig, value, WABA, WABA2, type Rig } from './helpers.js';

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

const HOUR = 3600_000;
let seq = 0;

/**
 * One Meta-shaped status POST: `sent` with pricing for each recipient. A recipient is a phone
 * number's digits, `user:<id>` for a status that carries only the business-scoped user id (Graph
 * v25 usernames), or `<digits>+user:<id>` for one that carries both.
 */
function statuses(o: {
  waba?: string;
  phone?: string;
  recipients: string[];
  category?: string;
  type?: string;
  status?: string;
  atMs: number;
}): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: o.waba ?? WABA,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: o.phone ?? PHONE },
              statuses: o.recipients.map((rc) => ({
                id: `wamid.TEST${++seq}`,
                status: o.status ?? 'sent',
                timestamp: String(Math.floor(o.atMs / 1000)),
                ...recipientFields(rc),
                pricing: {
                  billable: o.type === undefined || o.type === 'regular',
                  pricing_model: 'PMP',
                  type: o.type ?? 'regular',
                  category: o.category ?? 'marketing',
                },
              })),
            },
          },
        ],
      },
    ],
  });
}

function recipientFields(rc: string): Record<string, string> {
  const [phone, user] = rc.startsWith('user:') ? [undefined, rc.slice(5)] : rc.split('+user:');
  return { ...(phone ? { recipient_id: phone } : {}), ...(user ? { recipient_user_id: user } : {}) };
}

const biz = (m: string) => value(m, `whatsapp_unique_recipients_24h{business_id="${BIZ}"}`);
const perPhone = (m: string, waba: string, phone: string) =>
  value(
    m,
    `whatsapp_phone_number_unique_recipients_24h{business_id="${BIZ}",waba_id="${waba}",phone_number_id="${phone}"}`,
  );

describe('unique recipients in the rolling 24 h', () => {
  it('counts distinct business-initiated recipients per portfolio and per number', async () => {
    r = await rig();
    const now = r.clock.now();
    await r.post(statuses({ recipients: ['919876543210', '5511987654321'], atMs: now }));
    await r.post(statuses({ recipients: ['919876543210'], category: 'utility', atMs: now }));
    await r.post(
      statuses({
        waba: WABA2,
        phone: PHONE2,
        recipients: ['919876543210', '447911123456'],
        category: 'authentication',
        atMs: now,
      }),
    );
    // Not counted: service, free customer-service utility, failed.
    await r.post(
      statuses({ recipients: ['4915123456789'], category: 'service', type: 'free_customer_service', atMs: now }),
    );
    await r.post(
      statuses({ recipients: ['4915123456780'], category: 'utility', type: 'free_customer_service', atMs: now }),
    );
    await r.post(statuses({ recipients: ['4915123456781'], status: 'failed', atMs: now }));
    const m = await r.metrics();
    expect(biz(m)).toBe(3);
    expect(perPhone(m, WABA, PHONE)).toBe(2);
    expect(perPhone(m, WABA2, PHONE2)).toBe(2);
  });

  it('usernames: a status with only the user id counts; one with both teaches the alias, so later user-id statuses count the same person', async () => {
    r = await rig();
    const now = r.clock.now();
    // Before v25 this status was billable but not counted: no recipient_id.
    await r.post(statuses({ recipients: ['user:US.13491208655302741918'], atMs: now }));
    expect(biz(await r.metrics())).toBe(1);
    // Both ids in one status, then the same user by id alone (another POST, then in the same POST).
    await r.post(statuses({ recipients: ['919876543210+user:IN.900000000000000001'], atMs: now }));
    await r.post(statuses({ recipients: ['user:IN.900000000000000001'], atMs: now }));
    await r.post(
      statuses({ recipients: ['5511987654321+user:BR.700000000000000001', 'user:BR.700000000000000001'], atMs: now }),
    );
    // The phone number alone later: the same person again.
    await r.post(statuses({ recipients: ['919876543210', '5511987654321'], atMs: now }));
    expect(biz(await r.metrics())).toBe(3);
    // The alias survives a restart (it is in the state DB with the recipients).
    const dir = r.dir;
    const clock = r.clock;
    await r.close();
    r = await rig({ dir, clock });
    await r.post(statuses({ recipients: ['user:IN.900000000000000001'], atMs: now }));
    expect(biz(await r.metrics())).toBe(3);
    expect(perPhone(await r.metrics(), WABA, PHONE)).toBe(3);
    // The residual double count, documented: a user seen by id alone first, and only later with
    // its phone number, is two recipients (nothing linked them when the first status came).
    await r.post(statuses({ recipients: ['user:GB.500000000000000001'], atMs: now }));
    await r.post(statuses({ recipients: ['447911123456+user:GB.500000000000000001'], atMs: now }));
    expect(biz(await r.metrics())).toBe(5);
  });

  it('forgets a recipient 24 h after the last message (ManualClock)', async () => {
    r = await rig();
    const t0 = r.clock.now();
    await r.post(statuses({ recipients: ['919876543210'], atMs: t0 }));
    await r.post(statuses({ recipients: ['5511987654321'], atMs: t0 + 2 * HOUR }));
    r.clock.advance(2 * HOUR);
    await r.post(statuses({ recipients: ['5511987654321'], atMs: r.clock.now() }));
    expect(biz(await r.metrics())).toBe(2);
    r.clock.set(t0 + 24 * HOUR + 1);
    expect(biz(await r.metrics())).toBe(1);
    r.clock.set(t0 + 26 * HOUR + 1);
    const m = await r.metrics();
    expect(biz(m)).toBe(0);
    expect(perPhone(m, WABA, PHONE)).toBe(0);
  });

  it('a status older than 24 h (late redelivery) does not count', async () => {
    r = await rig();
    await r.post(statuses({ recipients: ['919876543210'], atMs: r.clock.now() - 25 * HOUR }));
    expect(biz(await r.metrics())).toBe(0);
  });

  it('survives a restart and stores no number in clear', async () => {
    r = await rig();
    await r.post(statuses({ recipients: ['919876543210', '5511987654321'], atMs: r.clock.now() }));
    const { dir, clock } = r;
    const dump = JSON.stringify(r.mod.db.dump(), (_k, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
        ? Buffer.from((v as { data: number[] }).data).toString('latin1')
        : v,
    );
    expect(dump).not.toContain('919876543210');
    expect(dump).not.toContain('9876543210');
    await r.close();
    r = await rig({ dir, clock });
    const m = await r.metrics();
    expect(biz(m)).toBe(2);
    expect(
      value(
        m,
        `whatsapp_message_statuses_total{business_id="${BIZ}",waba_id="${WABA}",phone_number_id="${PHONE}",status="sent",pricing_category="marketing"}`,
      ),
    ).toBe(2);
  });
});

describe('marketing frequency cap', () => {
  it('counts recipients with at least N distinct marketing messages in the window', async () => {
    r = await rig({ cap: { messages: 2, windowMs: 7 * 24 * HOUR } });
    const t0 = r.clock.now();
    const a = '919876543210';
    const b = '5511987654321';
    await r.post(statuses({ recipients: [a, b], atMs: t0 }));
    await r.post(statuses({ recipients: [a], atMs: t0 }));
    await r.post(statuses({ recipients: [b], category: 'utility', atMs: t0 })); // utility does not count
    let m = await r.metrics();
    expect(value(m, `whatsapp_marketing_recipients_at_frequency_cap{business_id="${BIZ}"}`)).toBe(1);
    expect(value(m, `whatsapp_marketing_frequency_cap_messages{business_id="${BIZ}"}`)).toBe(2);
    expect(value(m, `whatsapp_marketing_frequency_cap_window_seconds{business_id="${BIZ}"}`)).toBe(7 * 24 * 3600);
    r.clock.advance(7 * 24 * HOUR + 1);
    m = await r.metrics();
    expect(value(m, `whatsapp_marketing_recipients_at_frequency_cap{business_id="${BIZ}"}`)).toBe(0);
  });

  it('exports no cap series when no cap is configured', async () => {
    r = await rig();
    await r.post(statuses({ recipients: ['919876543210'], atMs: r.clock.now() }));
    expect(await r.metrics()).not.toContain('frequency_cap');
  });
});
