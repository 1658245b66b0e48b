import { afterEach, describe, expect, it } from 'vitest';
import { BIZ, fixture, lines, rig, value, WABA, WABA2, PHONE, PHONE2, type Rig } from './helpers.js';
import { LIMITS, TEMPLATES } from '../../src/sources/keys.js';

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

const id = `business_id="${BIZ}",waba_id="${WABA}",phone_number_id="${PHONE}"`;
const id2 = `business_id="${BIZ}",waba_id="${WABA2}",phone_number_id="${PHONE2}"`;
const template = (x: Rig, name: string) => x.store.get(TEMPLATES, WABA)?.data?.templates.find((t) => t.name === name);

describe('message statuses', () => {
  it('counts statuses by pricing category, billable messages once, errors by bounded code', async () => {
    r = await rig();
    for (const f of [
      'status_sent_marketing',
      'status_batch_multi_entry',
      'status_failed_errors',
      'status_free_and_unpriced',
      'value_errors',
    ])
      expect((await r.post(fixture(f))).status).toBe(200);
    const m = await r.metrics();
    const st = (ids: string, status: string, cat: string) =>
      value(m, `whatsapp_message_statuses_total{${ids},status="${status}",pricing_category="${cat}"}`);
    expect(st(id, 'sent', 'marketing')).toBe(1);
    expect(st(id, 'delivered', 'marketing')).toBe(1);
    expect(st(id, 'read', '')).toBe(1);
    expect(st(id, 'sent', 'utility')).toBe(2); // one regular, one free_customer_service
    expect(st(id2, 'sent', 'authentication_international')).toBe(1);
    expect(st(id, 'failed', '')).toBe(2);
    // sent + delivered of the same marketing message carry pricing: billed once.
    expect(value(m, `whatsapp_billable_messages_total{${id},pricing_category="marketing"}`)).toBe(1);
    expect(value(m, `whatsapp_billable_messages_total{${id},pricing_category="utility"}`)).toBe(1);
    expect(value(m, `whatsapp_billable_messages_total{${id},pricing_category="service"}`)).toBeUndefined();
    expect(value(m, `whatsapp_billable_messages_total{${id2},pricing_category="authentication_international"}`)).toBe(
      1,
    );
    expect(value(m, `whatsapp_message_errors_total{${id},code="131049"}`)).toBe(1);
    expect(value(m, `whatsapp_message_errors_total{${id},code="other"}`)).toBe(1);
    expect(value(m, `whatsapp_message_errors_total{${id},code="130429"}`)).toBe(1);
    expect(value(m, 'whatsapp_webhook_events_total{field="messages",event="error"}')).toBe(1);
  });

  it("Meta's v25 username statuses: billed, and each person counted once in the 24 h recipients", async () => {
    r = await rig();
    r.clock.set(1_780_315_300_000);
    expect((await r.post(fixture('status_username_v25'))).status).toBe(200);
    const m = await r.metrics();
    // Three billable marketing messages: to a user id only, to a phone number with its user id, and
    // to that user id again (the alias the second taught makes it the same person).
    expect(value(m, `whatsapp_billable_messages_total{${id},pricing_category="marketing"}`)).toBe(3);
    expect(value(m, `whatsapp_unique_recipients_24h{business_id="${BIZ}"}`)).toBe(2);
    expect(value(m, `whatsapp_phone_number_unique_recipients_24h{${id}}`)).toBe(2);
  });

  it('counts events of unknown fields under their own name and free text as "other"', async () => {
    r = await rig();
    expect((await r.post(fixture('unknown_fields_and_events'))).status).toBe(200);
    expect((await r.post(fixture('incoming_message'))).status).toBe(200);
    const m = await r.metrics();
    expect(value(m, 'whatsapp_webhook_events_total{field="security",event="PIN_CHANGED"}')).toBe(1);
    expect(value(m, 'whatsapp_webhook_events_total{field="account_update",event="other"}')).toBe(1);
    expect(value(m, 'whatsapp_webhook_events_total{field="calls",event=""}')).toBe(1);
    expect(value(m, 'whatsapp_webhook_events_total{field="messages",event="message"}')).toBe(1);
    expect(value(m, `whatsapp_message_statuses_total{${id},status="sent",pricing_category="marketing"}`)).toBe(1);
    expect(value(m, 'whatsapp_webhook_last_received_timestamp_seconds{field="security"}')).toBe(r.clock.now() / 1000);
  });

  it('labels events of WABAs the exporter does not poll with the payload ids and business_id ""', async () => {
    r = await rig();
    const body = fixture('status_sent_marketing').replaceAll('102290129340398', '555000000000001');
    expect((await r.post(body)).status).toBe(200);
    const m = await r.metrics();
    expect(
      value(
        m,
        `whatsapp_message_statuses_total{business_id="",waba_id="555000000000001",phone_number_id="${PHONE}",status="sent",pricing_category="marketing"}`,
      ),
    ).toBe(1);
  });

  it('prices billable messages with priceFor by the recipient country', async () => {
    const asked: string[] = [];
    r = await rig({
      priceFor: (country, category) => {
        asked.push(`${country}/${category}`);
        return country === 'IN'
          ? { price: 0.0107, currency: 'USD' }
          : country === 'BR'
            ? { price: 0.008, currency: 'USD' }
            : undefined;
      },
    });
    await r.post(fixture('status_sent_marketing'));
    await r.post(fixture('status_batch_multi_entry'));
    const m = await r.metrics();
    // Priced while planning (the delivered status asks again; its billable unit is then a duplicate).
    expect([...new Set(asked)].sort()).toEqual(['BR/utility', 'GG/authentication_international', 'IN/marketing']);
    expect(
      value(
        m,
        `whatsapp_estimated_cost_total{business_id="${BIZ}",waba_id="${WABA}",pricing_category="marketing",currency="USD"}`,
      ),
    ).toBeCloseTo(0.0107);
    expect(
      value(
        m,
        `whatsapp_estimated_cost_total{business_id="${BIZ}",waba_id="${WABA}",pricing_category="utility",currency="USD"}`,
      ),
    ).toBeCloseTo(0.008);
    expect(lines(m, 'whatsapp_estimated_cost_total')).toHaveLength(2);
  });
});

describe('events that change the snapshot', () => {
  it('a quality update kicks the accounts loop owning the number and patches the portfolio tier', async () => {
    r = await rig();
    expect((await r.post(fixture('phone_number_quality_update'))).status).toBe(200);
    expect(r.kicks).toEqual([['graph_accounts', BIZ]]);
    expect(r.store.get(LIMITS, BIZ)?.data?.tier).toBe('TIER_10K');
    const m = await r.metrics();
    expect(value(m, 'whatsapp_webhook_events_total{field="phone_number_quality_update",event="FLAGGED"}')).toBe(1);
    // A redelivery neither kicks nor counts again.
    await r.post(fixture('phone_number_quality_update'));
    expect(r.kicks).toHaveLength(1);
  });

  it('a capability update with an integer limit patches the tier', async () => {
    r = await rig();
    await r.post(fixture('business_capability_update'));
    expect(r.store.get(LIMITS, BIZ)?.data?.tier).toBe('TIER_100K');
  });

  it('a template status update changes the snapshot immediately, keeping lastSuccess', async () => {
    r = await rig();
    const before = r.store.get(TEMPLATES, WABA);
    let changes = 0;
    r.store.on('change', (s) => s === 'graph_templates' && changes++);
    await r.post(fixture('template_status_paused'));
    expect(template(r, 'spring_sale')?.status).toBe('PAUSED');
    expect(template(r, 'order_confirmation')?.status).toBe('APPROVED');
    expect(r.store.get(TEMPLATES, WABA)?.lastSuccess).toBe(before?.lastSuccess);
    expect(changes).toBe(1);
  });

  it('adds a template the snapshot does not know yet, and patches quality', async () => {
    r = await rig();
    await r.post(fixture('template_status_new_template'));
    await r.post(fixture('template_quality_red'));
    expect(template(r, 'summer_launch')).toEqual({
      id: '1234567890123456',
      name: 'summer_launch',
      language: 'pt_BR',
      status: 'APPROVED',
      category: 'MARKETING',
    });
    expect(template(r, 'order_confirmation')?.quality).toBe('RED');
  });

  it('counts account alerts and updates', async () => {
    r = await rig();
    await r.post(fixture('account_alerts_and_update'));
    const m = await r.metrics();
    expect(
      value(
        m,
        'whatsapp_webhook_events_total{field="account_alerts",event="INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED"}',
      ),
    ).toBe(1);
    expect(value(m, 'whatsapp_webhook_events_total{field="account_update",event="ACCOUNT_RESTRICTION"}')).toBe(1);
  });
});
