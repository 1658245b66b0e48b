/**
 * The node-type table: for each Graph type, the fields Meta knows, the ones derived from other
 * state (limits, owner, health), the default selection, and the edges that can be listed or
 * expanded. Rendering (render.ts) is generic over this table, which is what makes nested
 * expansion work at any depth (`owned_whatsapp_business_accounts{phone_numbers{…}}`).
 */
import { phoneHealth, wabaHealth } from './health.js';
import type { SandboxState } from './state.js';
import type {
  AllocationEntry,
  BusinessEntry,
  CreditLineEntry,
  PhoneEntry,
  TemplateEntry,
  WabaEntry,
  WireObject,
} from './types.js';
import { SANDBOX_APP_ID, SANDBOX_APP_NAME, SANDBOX_USER_ID } from './types.js';

export interface UserEntry {
  wire: WireObject;
}
/** One item of a WABA's subscribed_apps edge (no id of its own: `{whatsapp_business_api_data: {…}}`). */
export interface AppEntry {
  wire: WireObject;
}
interface EntryOf {
  business: BusinessEntry;
  waba: WabaEntry;
  phone: PhoneEntry;
  template: TemplateEntry;
  user: UserEntry;
  credit_line: CreditLineEntry;
  allocation: AllocationEntry;
  app: AppEntry;
}
export type NodeKind = keyof EntryOf;
export type NodeRef = { [K in NodeKind]: { kind: K; entry: EntryOf[K] } }[NodeKind];

export interface EdgeDef {
  child: NodeKind;
  /** Stats kind when the edge is requested as a path (not when expanded in `fields`). */
  statsKind: string;
  /** Graph's default selection for items of this edge, when it differs from the node default. */
  defaultFields?: string;
  list(entry: never, state: SandboxState): NodeRef[];
}

export interface NodeType {
  /** Graph type name, as Meta prints it in "nonexisting field" errors. */
  graphType: string;
  defaultFields: string;
  /** Fields Meta knows for the type (whether or not the sandbox fills them). */
  known: ReadonlySet<string>;
  derived: Record<string, (entry: never, state: SandboxState) => unknown>;
  edges: Record<string, EdgeDef>;
  /** Items that carry no id (Graph adds the id to every node otherwise). */
  noId?: boolean;
}

/** Fields added in v24.0 (META-API §8): older versions reject them with error 100, like Meta. */
export const V24_FIELDS = new Set(['whatsapp_business_manager_messaging_limit']);

const limitOf = (state: SandboxState, businessId: string) =>
  state.business(businessId)?.wire.whatsapp_business_manager_messaging_limit;

const business = {
  graphType: 'Business',
  defaultFields: 'id,name',
  known: new Set([
    'id',
    'name',
    'whatsapp_business_manager_messaging_limit',
    'verification_status',
    'created_time',
    'timezone_id',
    'link',
    'vertical',
    'primary_page',
    'profile_picture_uri',
    'two_factor_type',
    'updated_time',
  ]),
  derived: {},
  edges: {
    owned_whatsapp_business_accounts: {
      child: 'waba',
      statsKind: 'owned_wabas',
      defaultFields: 'id,name,message_template_namespace,timezone_id',
      list: (b: BusinessEntry, s: SandboxState) => s.ownedWabas(b).map((entry) => ({ kind: 'waba', entry })),
    },
    client_whatsapp_business_accounts: {
      child: 'waba',
      statsKind: 'client_wabas',
      defaultFields: 'id,name,message_template_namespace,timezone_id',
      list: (b: BusinessEntry, s: SandboxState) => s.clientWabas(b).map((entry) => ({ kind: 'waba', entry })),
    },
    extendedcredits: {
      child: 'credit_line',
      statsKind: 'extendedcredits',
      list: (b: BusinessEntry, s: SandboxState) =>
        s.creditLinesOf(b.wire.id).map((entry) => ({ kind: 'credit_line', entry })),
    },
  },
} satisfies NodeType;

const waba = {
  graphType: 'WhatsAppBusinessAccount',
  defaultFields: 'id,name',
  known: new Set([
    'id',
    'name',
    'currency',
    'timezone_id',
    'message_template_namespace',
    'account_review_status',
    'business_verification_status',
    'ownership_type',
    'country',
    'primary_business_location',
    'creation_time',
    'health_status',
    'whatsapp_business_manager_messaging_limit',
    'status',
    'is_enabled_for_insights',
    'owner_business_info',
    'on_behalf_of_business_info',
    'auth_international_rate_eligibility',
    'marketing_messages_lite_api_status',
    'marketing_messages_onboarding_status',
    'disable_marketing_messages_on_cloud_api',
    'primary_funding_id',
    'purchase_order_number',
    'is_shared_with_partners',
    'template_auto_archival_enabled',
    // Analytics are real WABA fields the sandbox does not simulate: accepted, returned absent.
    'analytics',
    'conversation_analytics',
    'pricing_analytics',
    'template_analytics',
    'call_analytics',
    'subscribed_apps',
    'assigned_users',
  ]),
  derived: {
    owner_business_info: (w: WabaEntry, s: SandboxState) =>
      s.quirks.ownerInfo === 'owner_business_info' ? ownerOf(w, s) : undefined,
    on_behalf_of_business_info: (w: WabaEntry, s: SandboxState) =>
      s.quirks.ownerInfo === 'on_behalf_of_business_info' ? ownerOf(w, s) : undefined,
    whatsapp_business_manager_messaging_limit: (w: WabaEntry, s: SandboxState) => limitOf(s, w.businessId),
    health_status: (w: WabaEntry, s: SandboxState) => wabaHealth(w, s),
  },
  edges: {
    phone_numbers: {
      child: 'phone',
      statsKind: 'phone_numbers',
      list: (w: WabaEntry, s: SandboxState) => s.phonesOf(w).map((entry) => ({ kind: 'phone', entry })),
    },
    subscribed_apps: {
      child: 'app',
      statsKind: 'subscribed_apps',
      list: (w: WabaEntry) =>
        Array.from({ length: w.subscribedApps ?? 1 }, (_, i) => ({
          kind: 'app',
          entry: { wire: sandboxApp(i) },
        })),
    },
    message_templates: {
      child: 'template',
      statsKind: 'message_templates',
      defaultFields: 'name,parameter_format,components,language,status,category,id',
      list: (w: WabaEntry) => w.templates.map((entry) => ({ kind: 'template', entry })),
    },
  },
} satisfies NodeType;

const phone = {
  graphType: 'WhatsAppBusinessPhoneNumber',
  defaultFields: 'id,display_phone_number,verified_name,quality_rating',
  known: new Set([
    'id',
    'display_phone_number',
    'verified_name',
    'quality_rating',
    'quality_score',
    'status',
    'code_verification_status',
    'name_status',
    'new_name_status',
    'platform_type',
    'throughput',
    'account_mode',
    'is_official_business_account',
    'is_pin_enabled',
    'is_on_biz_app',
    'is_preverified_number',
    'last_onboarded_time',
    'search_visibility',
    'eligibility_for_api_business_global_search',
    'webhook_configuration',
    'certificate',
    'new_certificate',
    'country_code',
    'country_dial_code',
    'messaging_limit_tier',
    'whatsapp_business_manager_messaging_limit',
    'health_status',
    'new_display_phone_number',
    'official_business_account',
    // Fields of Meta's Business Messaging API spec (WhatsAppBusinessAccountPhoneNumber).
    'host_platform',
    'unified_cert_status',
    'username',
  ]),
  derived: {
    quality_score: (p: PhoneEntry) => ({ score: p.wire.quality_rating }),
    // Deprecated; on v24.0+ Meta returns the portfolio limit here too (META-API §1.1).
    messaging_limit_tier: (p: PhoneEntry, s: SandboxState) => limitOf(s, s.waba(p.wabaId)?.businessId ?? ''),
    whatsapp_business_manager_messaging_limit: (p: PhoneEntry, s: SandboxState) =>
      limitOf(s, s.waba(p.wabaId)?.businessId ?? ''),
    health_status: (p: PhoneEntry, s: SandboxState) => phoneHealth(p, s),
  },
  edges: {},
} satisfies NodeType;

const template = {
  graphType: 'WhatsAppBusinessHSM',
  defaultFields: 'name,parameter_format,components,language,status,category,id',
  known: new Set([
    'id',
    'name',
    'language',
    'status',
    'category',
    'quality_score',
    'components',
    'parameter_format',
    'sub_category',
    'rejected_reason',
    'previous_category',
    'correct_category',
    'library_template_name',
    'message_send_ttl_seconds',
    'cta_url_link_tracking_opted_out',
  ]),
  derived: {},
  edges: {},
} satisfies NodeType;

const user = {
  graphType: 'User',
  defaultFields: 'id,name',
  known: new Set(['id', 'name']),
  derived: {},
  edges: {
    businesses: {
      child: 'business',
      statsKind: 'me_businesses',
      list: (_u: UserEntry, s: SandboxState) => s.allBusinesses().map((entry) => ({ kind: 'business', entry })),
    },
  },
} satisfies NodeType;

/** ExtendedCredit: a Meta credit line (facebook-python-business-sdk adobjects/extendedcredit.py). */
const creditLine = {
  graphType: 'ExtendedCredit',
  defaultFields: 'id',
  known: new Set([
    'id',
    'allocated_amount',
    'balance',
    'credit_available',
    'credit_type',
    'is_access_revoked',
    'is_automated_experience',
    'legal_entity_name',
    'liable_address',
    'liable_biz_name',
    'max_balance',
    'online_max_balance',
    'owner_business',
    'owner_business_name',
    'partition_from',
    'receiving_credit_allocation_config',
    'send_bill_to_address',
    'send_bill_to_biz_name',
    'sold_to_address',
  ]),
  derived: {
    owner_business: (l: CreditLineEntry, s: SandboxState) => {
      const b = s.business(l.businessId);
      return b ? { id: b.wire.id, name: b.wire.name } : undefined;
    },
  },
  edges: {
    owning_credit_allocation_configs: {
      child: 'allocation',
      statsKind: 'allocation_configs',
      list: (l: CreditLineEntry) => l.allocations.map((entry) => ({ kind: 'allocation', entry })),
    },
  },
} satisfies NodeType;

/** ExtendedCreditAllocationConfig: one share of a line (adobjects/extendedcreditallocationconfig.py). */
const allocation = {
  graphType: 'ExtendedCreditAllocationConfig',
  defaultFields: 'id',
  known: new Set([
    'id',
    'currency_amount',
    'liability_type',
    'owning_business',
    'owning_credential',
    'partition_type',
    'receiving_business',
    'receiving_credential',
    'request_status',
    'send_bill_to',
  ]),
  derived: {
    owning_credential: (a: AllocationEntry) => ({ id: a.creditLineId }),
    owning_business: (a: AllocationEntry, s: SandboxState) => {
      const b = s.business(s.creditLine(a.creditLineId)?.businessId ?? '');
      return b ? { id: b.wire.id, name: b.wire.name } : undefined;
    },
  },
  edges: {},
} satisfies NodeType;

/** An app subscribed to a WABA (SubscribedAppsResponse in Meta's spec). */
const app = {
  graphType: 'Application',
  defaultFields: 'whatsapp_business_api_data',
  known: new Set(['whatsapp_business_api_data']),
  derived: {},
  edges: {},
  noId: true,
} satisfies NodeType;

const ownerOf = (w: WabaEntry, s: SandboxState) => {
  const b = s.business(w.businessId);
  return b ? { id: b.wire.id, name: b.wire.name } : undefined;
};

const sandboxApp = (i: number): WireObject => {
  const id = String(BigInt(SANDBOX_APP_ID) + BigInt(i));
  // `id` only keys the paging cursor; the item itself has none (noId).
  return {
    id,
    whatsapp_business_api_data: {
      id,
      name: i === 0 ? SANDBOX_APP_NAME : `${SANDBOX_APP_NAME} ${i + 1}`,
      link: `https://www.facebook.com/games/?app_id=${id}`,
    },
  };
};

export const NODE_TYPES: Record<NodeKind, NodeType> = {
  business,
  waba,
  phone,
  template,
  user,
  credit_line: creditLine,
  allocation,
  app,
};

/** The token's system user, answering `/me`. */
export const ME: UserEntry = { wire: { id: SANDBOX_USER_ID, name: 'Sandbox System User' } };
