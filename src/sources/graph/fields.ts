import { DEFAULT_PHONE_PAGE_LIMIT } from '../../config/defaults.js';
import type { FieldPlan } from './field-retry.js';
import type { GraphNode } from './field-support.js';

/**
 * Every Graph field the exporter reads, per node type. `core` fields are in Meta's Business
 * Messaging API spec (facebook/openapi, business-messaging-api_v23.0.yaml) and carry what the
 * alerts need; a rejection of one fails the request as before. `optional` fields are left out
 * when Graph rejects them (field-retry.ts): the ones the spec lags on or does not define, and
 * the ones that only inform. docs/graph-fields.md lists each with its source and what happens
 * when it is missing or rejected; test/contract/graph-fields.test.ts keeps that table true.
 */
export const FIELDS = {
  waba: {
    core: ['id', 'name', 'currency', 'timezone_id', 'account_review_status'],
    optional: [
      'owner_business_info',
      'on_behalf_of_business_info',
      'business_verification_status',
      'ownership_type',
      'whatsapp_business_manager_messaging_limit',
      // Expanded in the listing (no call of its own): `{data: [{whatsapp_business_api_data: {id, name, link}}]}`.
      'subscribed_apps',
    ],
  },
  phone_number: {
    core: ['id', 'display_phone_number', 'verified_name', 'status', 'quality_rating', 'name_status'],
    optional: [
      'messaging_limit_tier',
      'whatsapp_business_manager_messaging_limit',
      'throughput',
      'health_status',
      'platform_type',
      'host_platform',
      'account_mode',
      'code_verification_status',
      'unified_cert_status',
      'is_official_business_account',
    ],
  },
  template: { core: ['id', 'name', 'language', 'status', 'category'], optional: ['quality_score'] },
  business: { core: ['id', 'name'], optional: ['whatsapp_business_manager_messaging_limit'] },
} as const satisfies Record<GraphNode, { core: readonly string[]; optional: readonly string[] }>;

const LIMIT = 'whatsapp_business_manager_messaging_limit';

/** whatsapp_business_manager_messaging_limit exists from v24.0; asking for it earlier fails the whole call (code 100). */
export const hasPortfolioLimit = (apiVersion: string): boolean =>
  Number(apiVersion.replace(/^v/, '').split('.')[0]) >= 24;

/** The optional fields of a node worth asking on this API version (not the limit before v24.0). */
const optional = (node: GraphNode, apiVersion: string): readonly string[] =>
  hasPortfolioLimit(apiVersion) ? FIELDS[node].optional : FIELDS[node].optional.filter((f) => f !== LIMIT);

const plan = (
  source: string,
  nodes: readonly GraphNode[],
  apiVersion: string,
  format: FieldPlan['format'],
): FieldPlan => ({
  source,
  nodes: nodes.map((node) => ({ node, core: FIELDS[node].core, optional: optional(node, apiVersion) })),
  format,
});

const get = (chosen: ReadonlyMap<GraphNode, readonly string[]>, node: GraphNode) => (chosen.get(node) ?? []).join(',');

/** WABA fields with the phone numbers expanded in the same call (META-API §2.2). */
export const accountsPlan = (apiVersion: string): FieldPlan =>
  plan('graph_accounts', ['waba', 'phone_number'], apiVersion, (c) =>
    [get(c, 'waba'), `phone_numbers.limit(${DEFAULT_PHONE_PAGE_LIMIT}){${get(c, 'phone_number')}}`].join(','),
  );

export const templatesPlan = (apiVersion: string): FieldPlan =>
  plan('graph_templates', ['template'], apiVersion, (c) => get(c, 'template'));

export const limitsPlan = (apiVersion: string): FieldPlan =>
  plan('graph_limits', ['business'], apiVersion, (c) => get(c, 'business'));

/** Every plan, for the gauge's series (each source's optional fields, at 0 until one is rejected). */
export const ALL_PLANS = (apiVersion: string): FieldPlan[] => [
  accountsPlan(apiVersion),
  templatesPlan(apiVersion),
  limitsPlan(apiVersion),
];

/** The fields= value with every field asked (what a first request sends). */
export const allFields = (p: FieldPlan): string =>
  p.format(new Map(p.nodes.map((n) => [n.node, [...n.core, ...n.optional]])));
