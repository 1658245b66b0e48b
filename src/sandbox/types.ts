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
  /** Apps subscribed to its webhooks (the `subscribed_apps` edge); absent = 1, the sandbox's own app. */
  subscribedApps?: number;
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

/**
 * Meta's CurrencyAmount: every field a string; `amount_in_hundredths` is the exact minor-unit form
 * (facebook-python-business-sdk, adobjects/currencyamount.py).
 */
export interface CurrencyAmountWire {
  amount: string;
  amount_in_hundredths: string;
  currency: string;
  offsetted_amount: string;
}

/**
 * An ExtendedCredit (a credit line) as `GET /{id}` and `/{business_id}/extendedcredits` return it
 * (facebook-python-business-sdk, adobjects/extendedcredit.py; BILLING-APIS §13).
 */
export interface CreditLineWire extends WireObject {
  credit_type: string;
  legal_entity_name: string;
  owner_business_name: string;
  /** What is owed on the line. */
  balance: CurrencyAmountWire;
  /** Headroom before the line blocks: what the exporter exports as the balance. */
  credit_available: CurrencyAmountWire;
  max_balance: CurrencyAmountWire;
  online_max_balance: CurrencyAmountWire;
  allocated_amount: CurrencyAmountWire;
  is_access_revoked: boolean;
}

/** An ExtendedCreditAllocationConfig: one share of a line with a client business (adobjects/extendedcreditallocationconfig.py). */
export interface AllocationWire extends WireObject {
  currency_amount: CurrencyAmountWire;
  liability_type: string;
  partition_type: string;
  request_status: string;
  send_bill_to: string;
  receiving_business: { id: string; name: string };
}

export interface CreditLineEntry {
  wire: CreditLineWire;
  /** The business whose `extendedcredits` edge lists the line (its owner). */
  businessId: string;
  /** `owning_credit_allocation_configs`, in listing order. */
  allocations: AllocationEntry[];
}

export interface AllocationEntry {
  wire: AllocationWire;
  creditLineId: string;
}

export interface Population {
  businesses: BusinessEntry[];
  wabas: WabaEntry[];
  phones: PhoneEntry[];
  /** Credit lines (the first business owns one), with their allocations to client businesses. */
  creditLines: CreditLineEntry[];
}

/** The Graph "app" and system user the sandbox pretends the token belongs to. */
export const SANDBOX_APP_ID = '900000000000001';
export const SANDBOX_APP_NAME = 'WhatsApp Business Exporter (sandbox)';
export const SANDBOX_USER_ID = '800000000000001';
