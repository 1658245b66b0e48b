import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { type EnumField, normEnum, type UnknownEnum } from '../../src/sources/graph/enums.js';
import { accountsPlan, allFields, templatesPlan } from '../../src/sources/graph/fields.js';
import { parsePhone, parseTemplate, parseWaba } from '../../src/sources/graph/parse.js';
import { PHONE_PAGE, shapeProblem, TEMPLATE_PAGE, WABA, WABA_PAGE } from '../../src/sources/graph/schema.js';

/**
 * Conformance with Meta's own description of the API: test/fixtures/meta-spec holds the parts of
 * Meta's Business Messaging API OpenAPI spec (facebook/openapi, MIT) for the Graph GETs the
 * exporter makes, extracted by scripts/meta-spec-extract.mjs. A new API version is that one file
 * (one command, one reviewed diff). Three checks:
 * 1. every value of every enum the spec declares for a field we read is known to the exporter;
 * 2. every example answer of the spec passes our shape checks and parses without unknown values;
 * 3. the sandbox, asked what the exporter asks, answers in the spec's shapes, except where the live
 *    API differs from the spec (DIVERGENCES, each with its reason).
 */
interface Extract {
  info: { version: string };
  paths: Record<string, { schema: object; examples: Record<string, unknown> }>;
  schemas: Record<string, object>;
}
const SPEC = JSON.parse(
  readFileSync(new URL('../fixtures/meta-spec/business-messaging-api.json', import.meta.url), 'utf8'),
) as Extract;

/** Every enum of the extract (schema, or schema.property), and the exporter's field for it. */
const ENUM_FIELDS: Readonly<Record<string, EnumField | 'not read'>> = {
  AccountReviewStatus: 'account_review_status',
  WhatsAppBusinessAccountReviewStatus: 'account_review_status',
  BusinessVerificationStatus: 'business_verification_status',
  WhatsAppBusinessAccountVerificationStatus: 'business_verification_status',
  OwnershipType: 'ownership_type',
  WhatsAppBusinessAccountOwnershipType: 'ownership_type',
  WhatsAppBusinessAccountHostPlatform: 'host_platform',
  'WhatsAppBusinessAccountPhoneNumber.messaging_limit_tier': 'messaging_limit_tier',
  WhatsAppBusinessSandboxEligibility: 'account_mode',
  WhatsAppBusinessSandboxEligibility_1: 'account_mode',
  WhatsAppBusinessUnifiedCertStatus: 'unified_cert_status',
  WhatsAppCodeVerificationStatus: 'code_verification_status',
  WhatsAppCodeVerificationStatus_1: 'code_verification_status',
  WhatsAppPhoneNumberQualityRating: 'quality_rating',
  WhatsAppPhoneNumberQualityRating_1: 'quality_rating',
  WhatsAppPhoneNumberStatus: 'status',
  WhatsAppDisplayNameStatus: 'name_status',
  'MessageTemplate.status': 'template_status',
  'BusinessSchedule.day_of_week': 'not read',
};

function enumsOf(schemas: Record<string, object>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(schemas)) {
    const s = schema as { enum?: string[]; properties?: Record<string, { enum?: string[] }> };
    if (s.enum) out.set(name, s.enum);
    for (const [prop, p] of Object.entries(s.properties ?? {})) if (p.enum) out.set(`${name}.${prop}`, p.enum);
  }
  return out;
}

describe(`Meta's Business Messaging API spec ${SPEC.info.version}: enums`, () => {
  it('every enum of a field the exporter reads is mapped to its field (a new one needs a decision)', () => {
    expect([...enumsOf(SPEC.schemas).keys()].sort()).toEqual(Object.keys(ENUM_FIELDS).sort());
  });

  for (const [name, values] of enumsOf(SPEC.schemas)) {
    const field = ENUM_FIELDS[name];
    if (field === undefined || field === 'not read') continue;
    it(`${name}: every value is known for ${field}`, () => {
      const unknown: UnknownEnum[] = [];
      for (const v of values) normEnum(field, v, unknown);
      expect(unknown).toEqual([]);
    });
  }
});

/** The spec's example answers of one path. */
const examples = (path: string) => Object.entries(SPEC.paths[path]?.examples ?? {});

describe(`Meta's Business Messaging API spec ${SPEC.info.version}: example answers pass our shape checks and parse`, () => {
  const listings = [
    '/{Version}/{Business-ID}/owned_whatsapp_business_accounts',
    '/{Version}/{Business-ID}/client_whatsapp_business_accounts',
  ];
  it.each(listings.flatMap((p) => examples(p).map(([name, v]) => [`${p} ${name}`, v] as const)))(
    '%s',
    (_name, value) => {
      expect(shapeProblem(WABA_PAGE, value)).toBeUndefined();
      const unknown: UnknownEnum[] = [];
      for (const w of (value as { data: unknown[] }).data)
        expect(parseWaba(w, [], { businessId: 'B', via: 'owned' }, unknown)).toBeDefined();
      expect(unknown).toEqual([]);
    },
  );

  it.each(examples('/{Version}/{WABA-ID}'))('/{WABA-ID} %s', (_name, value) => {
    expect(shapeProblem(WABA, value)).toBeUndefined();
    const unknown: UnknownEnum[] = [];
    const w = parseWaba(value, [], undefined, unknown);
    expect(w?.id).toBe((value as { id: string }).id);
    expect(unknown).toEqual([]);
  });

  it.each(examples('/{Version}/{WABA-ID}/phone_numbers'))('/{WABA-ID}/phone_numbers %s', (_name, value) => {
    expect(shapeProblem(PHONE_PAGE, value)).toBeUndefined();
    const unknown: UnknownEnum[] = [];
    const phones = (value as { data: unknown[] }).data.map((p) => parsePhone(p, 'W', 'B', unknown));
    expect(phones.every((p) => p?.id)).toBe(true);
    expect(unknown).toEqual([]);
  });

  it.each(examples('/{Version}/{WABA-ID}/message_templates'))('/{WABA-ID}/message_templates %s', (_name, value) => {
    expect(shapeProblem(TEMPLATE_PAGE, value)).toBeUndefined();
    const unknown: UnknownEnum[] = [];
    const templates = (value as { data: unknown[] }).data.map((t) => parseTemplate(t, unknown));
    expect(templates.every((t) => t?.name)).toBe(true);
    expect(unknown).toEqual([]);
  });

  it.each(examples('/{Version}/{WABA-ID}/subscribed_apps'))('/{WABA-ID}/subscribed_apps %s', (_name, value) => {
    // Read as the WABA's subscribed_apps field: the edge object, or the spec's plain array.
    expect(shapeProblem(WABA, { id: '1', subscribed_apps: value })).toBeUndefined();
    const w = parseWaba({ id: '1', subscribed_apps: value }, [], undefined, [], true);
    expect(w?.subscribedApps).toBe((value as { data: unknown[] }).data.length);
  });
});

/**
 * Where the live API answers differently from the spec; the sandbox follows the live API, and the
 * exporter reads both (src/sources/graph/schema.ts). Each is removed from an answer before the
 * spec's schema checks it, and checked on its own where it has a shape.
 */
const DIVERGENCES = {
  // The spec declares WABA.phone_numbers and WABA.subscribed_apps as arrays; expanded through
  // `fields=` Graph answers an edge object {data, paging}. The items are checked on their own below.
  phone_numbers: 'edge object, not array',
  subscribed_apps: 'edge object, not array',
  // The live API's status values (CONNECTED, DISCONNECTED, FLAGGED…) and Meta's NA rating are not in
  // every enum of the spec, whose own examples use values outside them: enums are compared above, in
  // both directions, so the structural check below ignores them.
  enums: 'structure only',
} as const;

/** The spec's schema for a path as a zod schema, enums relaxed to their type ($refs resolved as $defs). */
function specSchema(ref: object): z.ZodType {
  const relax = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(relax);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'enum' || k === 'example' || k === 'examples' || k === 'pattern') continue;
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : relax(v);
    }
    return out;
  };
  return z.fromJSONSchema({ ...(relax(ref) as object), $defs: relax(SPEC.schemas) } as never);
}

function withoutDivergences(item: Record<string, unknown>): Record<string, unknown> {
  const out = { ...item };
  for (const k of Object.keys(DIVERGENCES)) delete out[k];
  return out;
}

describe(`the sandbox answers in the shapes of Meta's spec ${SPEC.info.version} (fields as the exporter asks)`, () => {
  let sb: Sandbox;
  let business: string;
  let waba: string;
  const VERSION = 'v24.0';
  const get = async (path: string, params: Record<string, string>) => {
    const qs = new URLSearchParams(params).toString();
    const res = await request(`${sb.url}/${VERSION}/${path}?${qs}`, { headers: { authorization: 'Bearer spec-test' } });
    expect(res.statusCode).toBe(200);
    return (await res.body.json()) as { data: Array<Record<string, unknown>> } & Record<string, unknown>;
  };
  const check = (schema: z.ZodType, value: unknown) => {
    const r = schema.safeParse(value);
    expect(r.success ? [] : r.error.issues.slice(0, 3)).toEqual([]);
  };
  beforeAll(async () => {
    sb = await startSandbox({ seed: 1, scenario: 'static', phoneNumbers: 300, wabas: 90, businesses: 2 });
    [business] = sb.state.businessIds() as [string];
    waba = sb.state.wabaIds()[0] as string;
    sb.state.shareWabaAsClient(sb.state.wabaIds()[89] as string, business);
  });
  afterAll(() => sb.close());

  const phoneItem = () => specSchema({ $ref: '#/components/schemas/WhatsAppBusinessAccountPhoneNumber' });

  it.each(['owned_whatsapp_business_accounts', 'client_whatsapp_business_accounts'])('%s', async (edge) => {
    const body = await get(`${business}/${edge}`, { fields: allFields(accountsPlan(VERSION)), limit: '50' });
    expect(body.data.length).toBeGreaterThan(0);
    const path = `/{Version}/{Business-ID}/${edge}`;
    check(specSchema(SPEC.paths[path]?.schema as object), { ...body, data: body.data.map(withoutDivergences) });
    // The expanded phone numbers: an edge object whose items are the spec's phone numbers.
    for (const w of body.data) {
      const phones = w.phone_numbers as { data: unknown[] } | undefined;
      for (const p of phones?.data ?? []) check(phoneItem(), p);
    }
  });

  it('/{WABA-ID}', async () => {
    const body = await get(waba, { fields: allFields(accountsPlan(VERSION)) });
    check(specSchema(SPEC.paths['/{Version}/{WABA-ID}']?.schema as object), withoutDivergences(body));
    expect((body.subscribed_apps as { data: unknown[] }).data.length).toBe(1);
  });

  it('/{WABA-ID}/phone_numbers', async () => {
    const phoneFields = allFields(accountsPlan(VERSION)).match(/phone_numbers\.limit\(\d+\)\{(.*)\}$/)?.[1] ?? '';
    const body = await get(`${waba}/phone_numbers`, { fields: phoneFields });
    check(specSchema(SPEC.paths['/{Version}/{WABA-ID}/phone_numbers']?.schema as object), body);
  });

  it('/{WABA-ID}/message_templates', async () => {
    const body = await get(`${waba}/message_templates`, { fields: allFields(templatesPlan(VERSION)) });
    check(specSchema(SPEC.paths['/{Version}/{WABA-ID}/message_templates']?.schema as object), body);
  });

  it('/{WABA-ID}/subscribed_apps', async () => {
    const body = await get(`${waba}/subscribed_apps`, {});
    check(specSchema(SPEC.paths['/{Version}/{WABA-ID}/subscribed_apps']?.schema as object), body);
  });
});
