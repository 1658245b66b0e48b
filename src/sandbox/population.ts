/**
 * Pure, seeded generator of the sandbox's businesses → WABAs → phone numbers and templates.
 * Same options → byte-identical population; no clock, no I/O. Linear in the number of objects
 * (10,000 numbers take a few milliseconds), because the bench builds one on every run.
 *
 * The rare values the exporter must cope with are placed by index, not left to chance, so every
 * population of the default size or larger contains them: the last number is quality 'NA'
 * (not rated yet), the last business is UNTIERED, and one template each is PAUSED, REJECTED and
 * PENDING. Index 0 of each kind is "plain" (GREEN, TIER_10K, an APPROVED MARKETING template)
 * because the demo timeline drives exactly those objects. The first business owns a Meta credit
 * line shared with two client businesses (credit-lines.ts).
 */
import { mulberry32 } from '../util/random.js';
import { populationCreditLines } from './credit-lines.js';
import type { BusinessEntry, PhoneEntry, Population, TemplateEntry, WabaEntry } from './types.js';

export interface PopulationOptions {
  phoneNumbers: number;
  wabas: number;
  businesses: number;
  templatesPerWaba: number;
  seed: number;
}

// 15-digit id bases, one per object kind, so an id alone says what it is when reading logs.
const BUSINESS_ID_BASE = 500_000_000_000_000;
const WABA_ID_BASE = 100_000_000_000_000;
const PHONE_ID_BASE = 110_000_000_000_000;
const TEMPLATE_ID_BASE = 120_000_000_000_000;
/** Fixed epoch for creation/onboarding times: the population must not depend on the clock. */
const POPULATION_EPOCH_S = Date.UTC(2025, 0, 6) / 1000;

const COMPANY = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Soylent'];
const TRADE = ['Retail', 'Logistics', 'Health', 'Travel', 'Foods', 'Finance', 'Telecom'];
const WABA_PURPOSE = ['Support', 'Sales', 'Alerts', 'Marketing', 'Operations'];
const LIMITS = ['TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'];
// Weighted by repetition: mostly USD, some EUR/INR/BRL.
const CURRENCIES = ['USD', 'USD', 'USD', 'USD', 'USD', 'USD', 'EUR', 'INR', 'BRL'];
const COUNTRY_BY_CURRENCY: Record<string, string> = { USD: 'US', EUR: 'DE', INR: 'IN', BRL: 'BR' };
// Marketing-API timezone ids: 1 = America/Los_Angeles, 7 = America/New_York, 71 = Asia/Kolkata …
const TIMEZONES = ['1', '1', '7', '47', '71', '101'];
const TEMPLATE_BASES = ['order_update', 'welcome_offer', 'login_code', 'spring_sale', 'shipping_notice', 'otp_verify'];
const CATEGORY_CYCLE = ['MARKETING', 'UTILITY', 'AUTHENTICATION', 'MARKETING'];
const LANGUAGES = ['en_US', 'en_US', 'pt_BR', 'es', 'hi'];

export function generatePopulation(opts: PopulationOptions): Population {
  checkOptions(opts);
  const rnd = mulberry32(opts.seed);
  const businesses = Array.from({ length: opts.businesses }, (_, i) => makeBusiness(i, opts.businesses, rnd));
  const wabas: WabaEntry[] = [];
  for (let j = 0; j < opts.wabas; j++) {
    const owner = businesses[Math.floor((j * opts.businesses) / opts.wabas)]!;
    const waba = makeWaba(j, owner, rnd);
    owner.owned.push(waba.wire.id);
    wabas.push(waba);
  }
  const phones: PhoneEntry[] = [];
  for (let i = 0; i < opts.phoneNumbers; i++) {
    const waba = wabas[Math.floor((i * opts.wabas) / opts.phoneNumbers)]!;
    const phone = makePhone(i, opts.phoneNumbers, waba, rnd);
    waba.phoneIds.push(phone.wire.id);
    phones.push(phone);
  }
  let templateSeq = 0;
  for (const [j, waba] of wabas.entries()) {
    for (let k = 0; k < opts.templatesPerWaba; k++) {
      waba.templates.push(makeTemplate(templateSeq++, k, waba, specialTemplateStatus(j, k, opts.wabas), rnd));
    }
  }
  const first = businesses[0];
  const creditLines = populationCreditLines(first && { id: first.wire.id, name: first.wire.name });
  return { businesses, wabas, phones, creditLines };
}

function makeBusiness(i: number, count: number, rnd: () => number): BusinessEntry {
  const id = String(BUSINESS_ID_BASE + i + 1);
  // Business 0 starts at TIER_10K (the demo drops it to TIER_2K); the last one has no tier yet.
  const limit = i === 0 ? 'TIER_10K' : i === count - 1 ? 'UNTIERED' : pick(LIMITS, rnd);
  return {
    wire: {
      id,
      name: `${COMPANY[i % COMPANY.length]} ${TRADE[Math.floor(i / COMPANY.length) % TRADE.length]} ${i + 1}`,
      whatsapp_business_manager_messaging_limit: limit,
      verification_status: rnd() < 0.9 ? 'verified' : 'not_verified',
      created_time: isoTime(POPULATION_EPOCH_S - 86_400 * (400 + i)),
      timezone_id: pick(TIMEZONES, rnd),
    },
    owned: [],
    client: [],
  };
}

function makeWaba(j: number, owner: BusinessEntry, rnd: () => number): WabaEntry {
  const id = String(WABA_ID_BASE + j + 1);
  const currency = pick(CURRENCIES, rnd);
  return {
    wire: {
      id,
      name: `${owner.wire.name} ${WABA_PURPOSE[j % WABA_PURPOSE.length]}`,
      currency,
      timezone_id: pick(TIMEZONES, rnd),
      message_template_namespace: namespace(rnd),
      // One in forty is still under review so "not APPROVED" shows up at bench scale.
      account_review_status: j % 40 === 39 ? 'PENDING' : 'APPROVED',
      business_verification_status: wabaVerification(j, owner.wire.verification_status),
      ownership_type: j % 13 === 12 ? 'AGENCY_OWNED' : j % 9 === 8 ? 'CLIENT_OWNED' : 'SELF_OWNED',
      country: COUNTRY_BY_CURRENCY[currency] ?? 'US',
      creation_time: POPULATION_EPOCH_S - 86_400 * (200 + j),
      is_enabled_for_insights: rnd() < 0.8,
    },
    businessId: owner.wire.id,
    phoneIds: [],
    templates: [],
  };
}

function makePhone(i: number, count: number, waba: WabaEntry, rnd: () => number): PhoneEntry {
  const id = String(PHONE_ID_BASE + i + 1);
  const local = String(100_001 + i).padStart(7, '0'); // 0100001 → 555-010-0001
  const digits = `1555${local}`;
  // Meta is inconsistent here (see META-API §1.1), so both formats appear.
  const display = rnd() < 0.7 ? `+1 555-${local.slice(0, 3)}-${local.slice(3)}` : digits;
  const host =
    rare(i, [
      [131, 'NOT_APPLICABLE'],
      [127, 'ON_PREMISE'],
    ]) ?? 'CLOUD_API';
  return {
    wire: {
      id,
      display_phone_number: display,
      verified_name: waba.wire.name.replace(/ (Support|Sales|Alerts|Marketing|Operations)$/, ''),
      quality_rating: phoneQuality(i, count, rnd),
      status: i > 0 && i % 50 === 49 ? 'PENDING' : i > 0 && i % 97 === 96 ? 'RESTRICTED' : 'CONNECTED',
      code_verification_status:
        rare(i, [
          [79, 'EXPIRED'],
          [73, 'UNVERIFIED'],
          [71, 'NOT_VERIFIED'],
        ]) ?? 'VERIFIED',
      name_status: i > 0 && i % 60 === 59 ? 'PENDING_REVIEW' : 'APPROVED',
      platform_type: host,
      host_platform: host,
      unified_cert_status:
        rare(i, [
          [101, 'LIMITED_ACCESS'],
          [89, 'ACCOUNT_REVIEW_NOT_STARTED'],
          [83, 'NAME_NOT_APPROVED'],
          [61, 'NAME_PENDING_REVIEW'],
        ]) ?? 'APPROVED',
      throughput: { level: rnd() < 0.15 ? 'HIGH' : 'STANDARD' },
      account_mode: rare(i, [[113, 'SANDBOX']]) ?? 'LIVE',
      is_official_business_account: rnd() < 0.1,
      last_onboarded_time: isoTime(POPULATION_EPOCH_S + 3_600 * i),
      country_code: 'US',
      country_dial_code: '1',
    },
    wabaId: waba.wire.id,
  };
}

/**
 * Every value of the spec's enums (account_mode, code_verification_status, unified_cert_status,
 * host_platform, business_verification_status, ownership_type) appears at fleet scale, each on
 * one object in `every`; small populations stay all-default. No random draw, so adding one
 * leaves every other generated value as it was.
 */
function rare(i: number, table: ReadonlyArray<readonly [every: number, value: string]>): string | undefined {
  for (const [every, value] of table) if (i % every === every - 1) return value;
  return undefined;
}

function wabaVerification(j: number, owner: string): string {
  return (
    rare(j, [
      [89, 'unverified'],
      [67, 'rejected'],
      [45, 'pending'],
    ]) ?? owner
  );
}

function phoneQuality(i: number, count: number, rnd: () => number): string {
  if (i === 0) return 'GREEN';
  if (count > 1 && i === count - 1) return 'NA';
  if (i === 1 || rnd() < 0.08) return 'YELLOW';
  return 'GREEN';
}

/** One PAUSED, one REJECTED, one PENDING template, on the last WABA (template 0 of WABA 0 is the demo's). */
function specialTemplateStatus(waba: number, index: number, wabas: number): string {
  if (waba !== wabas - 1) return 'APPROVED';
  return ['APPROVED', 'PAUSED', 'REJECTED', 'PENDING'][index] ?? 'APPROVED';
}

function makeTemplate(seq: number, k: number, waba: WabaEntry, status: string, rnd: () => number): TemplateEntry {
  const category = CATEGORY_CYCLE[k % CATEGORY_CYCLE.length]!;
  const score =
    status === 'PENDING' || status === 'REJECTED'
      ? 'UNKNOWN'
      : status === 'PAUSED'
        ? 'RED'
        : rnd() < 0.9
          ? 'GREEN'
          : 'YELLOW';
  return {
    wire: {
      id: String(TEMPLATE_ID_BASE + seq + 1),
      name: `${TEMPLATE_BASES[k % TEMPLATE_BASES.length]}_${k + 1}`,
      language: k === 0 ? 'en_US' : pick(LANGUAGES, rnd),
      status,
      category,
      quality_score: { score, date: POPULATION_EPOCH_S + 86_400 * (k + 1) },
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: `Hello {{1}}, this is ${waba.wire.name}.` }],
    },
    wabaId: waba.wire.id,
  };
}

function checkOptions(o: PopulationOptions): void {
  for (const [k, v] of Object.entries(o)) {
    if (!Number.isInteger(v) || (k !== 'seed' && v < 0))
      throw new RangeError(`sandbox: ${k} must be a non-negative integer, got ${v}`);
  }
  if (o.phoneNumbers > 0 && o.wabas === 0) throw new RangeError('sandbox: phone numbers need at least one WABA');
  if (o.wabas > 0 && o.businesses === 0) throw new RangeError('sandbox: WABAs need at least one business');
}

function namespace(rnd: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
  return `${hex(8)}_${hex(4)}_${hex(4)}_${hex(4)}_${hex(12)}`;
}

/** Graph's timestamp format: ISO-8601 with a "+0000" offset and no milliseconds. */
function isoTime(unixS: number): string {
  return new Date(unixS * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function pick<T>(xs: readonly T[], rnd: () => number): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}
