import { z } from 'zod';

/**
 * The shapes the Graph parsers rely on, checked before parsing so that an answer of another shape
 * is a counted failure (reason "schema", the path that did not match) instead of silently dropped
 * numbers or templates. Only what we read is typed; every other key passes. A field that is
 * absent (or null) is allowed: the collector then exports nothing for it. Shapes follow Meta's
 * Business Messaging API spec (facebook/openapi, business-messaging-api_v23.0.yaml) and the live
 * API where they differ (ids as strings or numbers; `phone_numbers` expanded as an edge object).
 */
const id = z.union([z.string(), z.number()]);
const text = z.string().nullish();
/** An enum field: any string (unknown values pass through and are counted by normEnum). */
const enumValue = z.string().nullish();
const struct = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).nullish();

const paging = z
  .looseObject({
    next: z.string().nullish(),
    cursors: z.looseObject({ after: z.string().nullish() }).nullish(),
  })
  .nullish();

/** `{data: [...], paging: {...}}`: a listed or expanded edge (never a bare array). */
export const edgeOf = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item), paging });

export const PHONE = z.looseObject({
  id,
  display_phone_number: text,
  verified_name: text,
  status: enumValue,
  quality_rating: enumValue,
  quality_score: struct({ score: enumValue }),
  name_status: enumValue,
  platform_type: enumValue,
  host_platform: enumValue,
  throughput: struct({ level: enumValue }),
  health_status: struct({ can_send_message: enumValue }),
  messaging_limit_tier: enumValue,
  whatsapp_business_manager_messaging_limit: enumValue,
  account_mode: enumValue,
  code_verification_status: enumValue,
  unified_cert_status: enumValue,
  is_official_business_account: z.boolean().nullish(),
});

const businessInfo = struct({ id: id.nullish(), name: text });

export const WABA = z.looseObject({
  id,
  name: text,
  currency: text,
  timezone_id: id.nullish(),
  account_review_status: enumValue,
  business_verification_status: enumValue,
  ownership_type: enumValue,
  owner_business_info: businessInfo,
  on_behalf_of_business_info: businessInfo,
  whatsapp_business_manager_messaging_limit: enumValue,
  phone_numbers: edgeOf(PHONE).nullish(),
  // An expanded edge `{data: [...]}`; the spec declares a plain array: both are read.
  subscribed_apps: z.union([z.array(z.unknown()), edgeOf(z.unknown())]).nullish(),
});

export const WABA_PAGE = edgeOf(WABA);
export const PHONE_PAGE = edgeOf(PHONE);

export const TEMPLATE_PAGE = edgeOf(
  z.looseObject({
    id: id.nullish(),
    name: z.string(),
    language: text,
    status: enumValue,
    category: enumValue,
    quality_score: struct({ score: enumValue }),
  }),
);

export const BUSINESS_LIMIT = z.looseObject({ whatsapp_business_manager_messaging_limit: enumValue });

const dataPoint = z.looseObject({
  pricing_category: text,
  pricing_type: text,
  volume: z.number().nullish(),
  cost: z.union([z.number(), z.string()]).nullish(),
});
export const PRICING = z.looseObject({
  pricing_analytics: z.looseObject({ data: z.array(z.looseObject({ data_points: z.array(dataPoint) })) }).nullish(),
});

/**
 * Checks `raw` against `schema`. Undefined when it matches, else the first mismatch as
 * "path: message" (paths like `data[3].verified_name`; never the value, which may be long).
 */
export function shapeProblem(schema: z.ZodType, raw: unknown): string | undefined {
  const r = schema.safeParse(raw);
  if (r.success) return undefined;
  const issue = r.error.issues[0];
  if (!issue) return 'does not match';
  return `${formatPath(issue.path) || '(top level)'}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}
