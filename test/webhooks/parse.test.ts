import { describe, expect, it } from 'vitest';
import type { StatusEvent, TemplateEvent, WebhookEvent } from '../../src/webhooks/events.js';
import { digits, errorCode, pricingCategory, tier } from '../../src/webhooks/labels.js';
import { parseWebhook } from '../../src/webhooks/parse.js';
import { fixture } from './helpers.js';

const events = (name: string): readonly WebhookEvent[] => {
  const r = parseWebhook(JSON.parse(fixture(name)));
  if (!r.ok) throw new Error(`${name}: ${r.reason}`);
  return r.events;
};
const summary = (es: readonly WebhookEvent[]) => es.map((e) => `${e.kind}:${e.field}:${e.event}`);

describe('parseWebhook: fixtures', () => {
  const table: Array<[string, string[]]> = [
    ['status_sent_marketing', ['status:messages:sent']],
    [
      'status_batch_multi_entry',
      ['status:messages:delivered', 'status:messages:sent', 'status:messages:read', 'status:messages:sent'],
    ],
    ['status_failed_errors', ['status:messages:failed', 'status:messages:failed']],
    ['status_free_and_unpriced', ['status:messages:sent', 'status:messages:sent', 'status:messages:delivered']],
    ['value_errors', ['error:messages:error']],
    ['incoming_message', ['incoming:messages:message']],
    [
      'unknown_fields_and_events',
      ['status:messages:sent', 'generic:security:PIN_CHANGED', 'generic:account_update:other', 'generic:calls:'],
    ],
    ['phone_number_quality_update', ['quality:phone_number_quality_update:FLAGGED']],
    ['business_capability_update', ['capability:business_capability_update:']],
    ['template_status_paused', ['template:message_template_status_update:PAUSED']],
    ['template_status_new_template', ['template:message_template_status_update:APPROVED']],
    ['template_quality_red', ['template:message_template_quality_update:RED']],
    [
      'account_alerts_and_update',
      [
        'generic:account_alerts:INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        'generic:account_update:ACCOUNT_RESTRICTION',
      ],
    ],
  ];
  it.each(table)('%s', (name, expected) => {
    expect(summary(events(name))).toEqual(expected);
  });

  it('reads a status completely', () => {
    const [s] = events('status_sent_marketing') as StatusEvent[];
    expect(s).toMatchObject({
      wabaId: '102290129340398',
      phoneNumberId: '106540352242922',
      messageId: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSQTFCMkMzRDRFNUY2QTdCOEM5AA==',
      status: 'sent',
      recipient: '919876543210',
      timestampMs: 1780315100_000,
      pricing: { category: 'marketing', type: 'regular', billable: true },
      errorCodes: [],
    });
  });

  it('normalises authentication-international and reads error codes', () => {
    const batch = events('status_batch_multi_entry') as StatusEvent[];
    expect(batch[3]?.pricing?.category).toBe('authentication_international');
    expect(batch[2]?.pricing).toBeUndefined();
    const failed = events('status_failed_errors') as StatusEvent[];
    expect(failed.map((f) => f.errorCodes)).toEqual([['131049'], ['other']]);
  });

  it('turns template events into patches', () => {
    const [p] = events('template_status_paused') as TemplateEvent[];
    expect(p).toMatchObject({
      templateId: '806312974732579',
      name: 'spring_sale',
      language: 'en-US',
      patch: { status: 'PAUSED', category: 'MARKETING' },
    });
    const [q] = events('template_quality_red') as TemplateEvent[];
    expect(q?.patch).toEqual({ quality: 'RED' });
  });

  it('gives a redelivery the same keys and different changes different keys', () => {
    const a = events('account_alerts_and_update').map((e) => e.key);
    const b = events('account_alerts_and_update').map((e) => e.key);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });
});

describe('parseWebhook: envelopes', () => {
  const table: Array<[string, unknown, string]> = [
    ['array', [], 'malformed'],
    ['string', 'x', 'malformed'],
    ['null', null, 'malformed'],
    ['number', 42, 'malformed'],
    ['other product', { object: 'page', entry: [] }, 'unknown_object'],
    ['no object key', { entry: [] }, 'unknown_object'],
    ['entry not an array', { object: 'whatsapp_business_account', entry: 'x' }, 'ok:0'],
    [
      'changes junk',
      { object: 'whatsapp_business_account', entry: [1, null, { changes: [null, 3, { field: 7 }] }] },
      'ok:1',
    ],
    [
      'value not an object',
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: [] }] }] },
      'ok:1',
    ],
    [
      'status without id',
      {
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { statuses: [{ status: 'sent' }] } }] }],
      },
      'ok:0',
    ],
  ];
  it.each(table)('%s', (_name, body, expected) => {
    const r = parseWebhook(body);
    expect(r.ok ? `ok:${r.events.length}` : r.reason).toBe(expected);
  });

  it('a change with an unserialisable (too deep) value is counted, not thrown', () => {
    let deep: unknown = {};
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const r = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'account_update', value: deep }] }],
    });
    expect(r.ok && r.events.length).toBe(1);
  });
});

describe('labels', () => {
  it.each([
    [131049, '131049'],
    ['131026', '131026'],
    [131000, 'other'],
    [null, 'other'],
    [1.5, 'other'],
  ])('errorCode(%s) = %s', (raw, expected) => expect(errorCode(raw)).toBe(expected));

  it.each([
    ['MARKETING', 'marketing'],
    ['authentication-international', 'authentication_international'],
    [undefined, ''],
    ['', ''],
    ['free text with spaces', 'other'],
    ['group_marketing', 'group_marketing'],
  ])('pricingCategory(%s) = %s', (raw, expected) => expect(pricingCategory(raw)).toBe(expected));

  it.each([
    [2000, 'TIER_2K'],
    ['2000', 'TIER_2K'],
    [-1, 'TIER_UNLIMITED'],
    ['TIER_UNLIMITED', 'TIER_UNLIMITED'],
    ['tier_10k', 'TIER_10K'],
    [1234, undefined],
    ['garbage', undefined],
  ])('tier(%s) = %s', (raw, expected) => expect(tier(raw)).toBe(expected));

  it.each([
    ['+1 (555) 078-3881', '15550783881'],
    ['919876543210', '919876543210'],
    ['<USER_PHONE_NUMBER>', undefined],
    ['12', undefined],
  ])('digits(%s) = %s', (raw, expected) => expect(digits(raw)).toBe(expected));
});
