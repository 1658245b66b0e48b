import { describe, expect, it } from 'vitest';
import { FieldsSyntaxError, formatFields, parseFields, type FieldSpec } from '../../src/sandbox/index.js';

const f = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, modifiers: {}, ...extra });

describe('parseFields', () => {
  const cases: [string, FieldSpec[]][] = [
    ['id', [f('id')]],
    ['id,name', [f('id'), f('name')]],
    [' id , name ', [f('id'), f('name')]],
    ['id,,name,', [f('id'), f('name')]],
    ['', []],
    ['phone_numbers{id,quality_rating}', [f('phone_numbers', { children: [f('id'), f('quality_rating')] })]],
    ['phone_numbers.limit(100){id}', [f('phone_numbers', { modifiers: { limit: '100' }, children: [f('id')] })]],
    ['phone_numbers{id}.limit(5)', [f('phone_numbers', { modifiers: { limit: '5' }, children: [f('id')] })]],
    [
      'phone_numbers.limit(2).after(QUZ){id}',
      [f('phone_numbers', { modifiers: { limit: '2', after: 'QUZ' }, children: [f('id')] })],
    ],
    ['message_templates{}', [f('message_templates', { children: [] })]],
    [
      'owned_whatsapp_business_accounts{id,phone_numbers.limit(2){id,health_status{can_send_message,entities{id}}}}',
      [
        f('owned_whatsapp_business_accounts', {
          children: [
            f('id'),
            f('phone_numbers', {
              modifiers: { limit: '2' },
              children: [
                f('id'),
                f('health_status', { children: [f('can_send_message'), f('entities', { children: [f('id')] })] }),
              ],
            }),
          ],
        }),
      ],
    ],
    [
      'pricing_analytics.start(1748761200).end(1749687703).granularity(DAILY).dimensions(["COUNTRY","PHONE"])',
      [
        f('pricing_analytics', {
          modifiers: {
            start: '1748761200',
            end: '1749687703',
            granularity: 'DAILY',
            dimensions: '["COUNTRY","PHONE"]',
          },
        }),
      ],
    ],
    ['x.filter("a)b{c}")', [f('x', { modifiers: { filter: '"a)b{c}"' } })]],
    ['name.as(title),id', [f('name', { alias: 'title' }), f('id')]],
    ['a { b } , c', [f('a', { children: [f('b')] }), f('c')]],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(parseFields(input)).toEqual(expected);
  });

  const bad = [
    'id,na}me',
    'phone_numbers{id',
    'a.limit(5',
    'a.(5)',
    'a.limit',
    'a{b}{c}',
    '{id}',
    'a-b',
    'a.limit(5]',
    'a.f("x)',
  ];
  it.each(bad)('rejects %j with a positioned syntax error', (input) => {
    expect(() => parseFields(input)).toThrow(FieldsSyntaxError);
    try {
      parseFields(input);
    } catch (e) {
      expect((e as FieldsSyntaxError).position).toBeGreaterThanOrEqual(0);
      expect((e as Error).message).toMatch(/^Syntax error/);
    }
  });

  it('formatFields round-trips', () => {
    for (const s of [
      'id,name',
      'phone_numbers.limit(100){id,health_status{can_send_message}}',
      'name.as(title)',
      'a.start(1).end(2){b{c}}',
    ]) {
      expect(parseFields(formatFields(parseFields(s)))).toEqual(parseFields(s));
    }
  });
});
