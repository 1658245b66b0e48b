/**
 * Records the sandbox keeps. Each entry splits the *wire* object (exactly the fields Meta would
 * return, patchable with any value so tests can inject unknown enums) from the *structure*
 * (which WABA a number hangs under, which WABAs a portfolio owns). Keeping them apart means a
 * structural key can never leak into a response, and a patched field is rendered like any other.
 */

/** A Graph object as it goes on the wire; open so tests can patch in fields and values Meta may add. */
export interface WireObject {
  id: string;
  [field: string]: unknown;
}

export interface BusinessWire extends WireObject {
  name: string;
  /** Portfolio-wide messaging limit (v24.0+); WABA and phone nodes derive theirs from this. */
  whatsapp_business_manager_messaging_limit: string;
  verification_status: string;
  created_time: string;
  timezone_id: string;
}

export interface WabaWire extends WireObject {
  name: string;
  currency: string;
  timezone_id: string;
  message_template_namespace: string;
  account_review_status: string;
  business_verification_status: string;
  ownership_type: string;
  country: string;
  creation_time: number;
  is_enabled_for_insights: boolean;
}

export interface PhoneWire extends WireObject {
  display_phone_number: string;
  verified_name: string;
  quality_rating: string;
  status: string;
  code_verification_status: string;
  name_status: string;
  platform_type: string;
  throughput: { level: string };
  account_mode: string;
  is_official_business_account: boolean;
  last_onboarded_time: string;
  country_code: string;
  country_dial_code: string;
}

export interface TemplateWire extends WireObject {
  name: string;
  language: string;
  status: string;
  category: string;
  quality_score: { score: string; date: number };
}

export interface BusinessEntry {
  wire: BusinessWire;
  /** WABA ids in `owned_whatsapp_business_accounts`, in listing order. */
  owned: string[];
  /** WABA ids in `client_whatsapp_business_accounts` (shared by clients: the BSP case). */
  client: string[];
}

export interface WabaEntry {
  wire: WabaWire;
  businessId: string;
  /** Phone ids listed under this WABA; may contain a number that is owned by another WABA (duplicates). */
  phoneIds: string[];
  templates: TemplateEntry[];
}

export interface PhoneEntry {
  wire: PhoneWire;
  /** The WABA that owns the number (usage is charged to it; health entities name it). */
  wabaId: string;
}

export interface TemplateEntry {
  wire: TemplateWire;
  wabaId: string;
}

export interface Population {
  businesses: BusinessEntry[];
  wabas: WabaEntry[];
  phones: PhoneEntry[];
}

/** The Graph "app" and system user the sandbox pretends the token belongs to. */
export const SANDBOX_APP_ID = '900000000000001';
export const SANDBOX_APP_NAME = 'WhatsApp Business Exporter (sandbox)';
export const SANDBOX_USER_ID = '800000000000001';
