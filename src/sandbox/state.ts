/**
 * The sandbox's mutable world: the generated population plus the levers tests pull (patch a
 * number, drop a tier, unshare a WABA, expire a token). Lookups are Map-based so a request costs
 * O(its own page), never O(population), which keeps a 10,000-number listing cheap.
 */
import type { Clock } from '../util/clock.js';
import { addAllocation, creditLineId, DEMO_CREDIT_LINE, makeCreditLine } from './credit-lines.js';
import { castDemo, demoFrameAt, type DemoCast } from './timeline.js';
import type {
  AllocationEntry,
  BusinessEntry,
  CreditLineEntry,
  PhoneEntry,
  Population,
  TemplateEntry,
  WabaEntry,
  WireObject,
} from './types.js';

export interface TokenInfo {
  valid: boolean;
  /** Unix seconds; 0 = never expires (what Meta shows for system-user tokens). */
  expiresAt: number;
}
export type TokenStatus = { state: 'valid' | 'expired' | 'invalid'; info: TokenInfo };
export type Patch = Record<string, unknown>;

/**
 * Ways the live API or Meta's spec differ from the sandbox's default answers, for the Graph
 * fidelity tests (docs/graph-fields.md): fields Graph rejects, the owner under the spec's field
 * name or not at all, `phone_numbers` as the plain array the spec declares.
 */
export interface SandboxQuirks {
  /** Per node kind, fields answered with error 100; `named: false` leaves the field out of the message. */
  rejectFields: Partial<Record<string, { fields: string[]; named: boolean }>>;
  /** Where a WABA's owning portfolio appears: owner_business_info (live API), on_behalf_of_business_info (spec), nowhere. */
  ownerInfo: 'owner_business_info' | 'on_behalf_of_business_info' | 'none';
  /** An expanded `phone_numbers` as a bare array of numbers instead of `{data, paging}`. */
  phoneNumbersAsArray: boolean;
  /** Answer every pricing_analytics with this value (`undefined` leaves the field out). */
  pricingAnalytics?: { value: unknown };
}

export interface StateOptions {
  clock: Clock;
  scenario: 'static' | 'demo';
  /** When given, only these tokens exist; otherwise any non-empty token is valid forever. */
  tokens?: Record<string, { valid?: boolean; expiresAt?: number }>;
}

export class SandboxState {
  readonly startedAt: number;
  readonly scenario: 'static' | 'demo';
  private readonly clock: Clock;
  private readonly businesses = new Map<string, BusinessEntry>();
  private readonly wabas = new Map<string, WabaEntry>();
  private readonly phones = new Map<string, PhoneEntry>();
  private readonly templates = new Map<string, TemplateEntry>();
  private readonly creditLines = new Map<string, CreditLineEntry>();
  private readonly allocations = new Map<string, AllocationEntry>();
  /** Sequence numbers for the ids of lines and allocations added by levers. */
  private readonly creditSeq = { lines: 0, allocations: 0, clients: 0 };
  private readonly removed = new Set<string>();
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly strictTokens: boolean;
  private readonly demo: DemoCast;
  private lastDemoFrame = '';
  /** Field names tests patched in per node kind: they become requestable like Meta's own. */
  private readonly patched = new Map<string, Set<string>>();
  readonly quirks: SandboxQuirks = { rejectFields: {}, ownerInfo: 'owner_business_info', phoneNumbersAsArray: false };

  constructor(pop: Population, opts: StateOptions) {
    this.clock = opts.clock;
    this.scenario = opts.scenario;
    this.startedAt = opts.clock.now();
    for (const b of pop.businesses) this.businesses.set(b.wire.id, b);
    for (const w of pop.wabas) {
      this.wabas.set(w.wire.id, w);
      for (const t of w.templates) this.templates.set(t.wire.id, t);
    }
    for (const p of pop.phones) this.phones.set(p.wire.id, p);
    for (const l of pop.creditLines) this.indexCreditLine(l);
    this.strictTokens = opts.tokens !== undefined;
    for (const [token, t] of Object.entries(opts.tokens ?? {})) this.setToken(token, t);
    // Only the demo has a cast; the static scenario keeps the population exactly as generated.
    this.demo = opts.scenario === 'demo' ? castDemo(pop) : {};
    this.tick();
  }

  // ---- listings (visible objects only) ---------------------------------------------------

  businessIds(): string[] {
    return [...this.businesses.keys()];
  }
  wabaIds(): string[] {
    return [...this.wabas.keys()].filter((id) => !this.removed.has(id));
  }
  phoneIds(): string[] {
    return [...this.phones.values()].filter((p) => !this.removed.has(p.wabaId)).map((p) => p.wire.id);
  }
  getBusiness(id: string): Readonly<BusinessEntry['wire']> | undefined {
    return this.businesses.get(id)?.wire;
  }
  getWaba(id: string): Readonly<WabaEntry['wire']> | undefined {
    return this.wabas.get(id)?.wire;
  }
  getPhone(id: string): Readonly<PhoneEntry['wire']> | undefined {
    return this.phones.get(id)?.wire;
  }
  getTemplates(wabaId: string): ReadonlyArray<Readonly<TemplateEntry['wire']>> {
    return this.wabas.get(wabaId)?.templates.map((t) => t.wire) ?? [];
  }

  // ---- lookups for the request handlers -------------------------------------------------

  business(id: string): BusinessEntry | undefined {
    return this.businesses.get(id);
  }
  /** A removed (unshared) WABA answers like an id that never existed. */
  waba(id: string): WabaEntry | undefined {
    return this.removed.has(id) ? undefined : this.wabas.get(id);
  }
  phone(id: string): PhoneEntry | undefined {
    const p = this.phones.get(id);
    return p && !this.removed.has(p.wabaId) ? p : undefined;
  }
  template(id: string): TemplateEntry | undefined {
    const t = this.templates.get(id);
    return t && !this.removed.has(t.wabaId) ? t : undefined;
  }
  ownedWabas(b: BusinessEntry): WabaEntry[] {
    return this.visibleWabas(b.owned);
  }
  clientWabas(b: BusinessEntry): WabaEntry[] {
    return this.visibleWabas(b.client);
  }
  phonesOf(w: WabaEntry): PhoneEntry[] {
    return w.phoneIds.map((id) => this.phones.get(id)).filter((p): p is PhoneEntry => p !== undefined);
  }
  allBusinesses(): BusinessEntry[] {
    return [...this.businesses.values()];
  }
  /** A business's credit lines, in `extendedcredits` listing order. */
  creditLinesOf(businessId: string): CreditLineEntry[] {
    return [...this.creditLines.values()].filter((l) => l.businessId === businessId);
  }
  creditLine(id: string): CreditLineEntry | undefined {
    return this.creditLines.get(id);
  }
  /** An allocation of a line that still exists. */
  allocation(id: string): AllocationEntry | undefined {
    const a = this.allocations.get(id);
    return a && this.creditLines.has(a.creditLineId) ? a : undefined;
  }
  creditLineIds(): string[] {
    return [...this.creditLines.keys()];
  }

  // ---- mutations ---------------------------------------------------------------------------

  /** Patch any field, including values outside Meta's enums; `undefined` removes the field. */
  updatePhone(id: string, patch: Patch): void {
    this.applyPatch('phone', this.must(this.phones, id, 'phone number').wire, patch);
  }
  updateWaba(id: string, patch: Patch): void {
    this.applyPatch('waba', this.must(this.wabas, id, 'WABA').wire, patch);
  }
  updateBusiness(id: string, patch: Patch): void {
    this.applyPatch('business', this.must(this.businesses, id, 'business').wire, patch);
  }
  setBusinessLimit(businessId: string, tier: string): void {
    this.updateBusiness(businessId, { whatsapp_business_manager_messaging_limit: tier });
  }
  setTemplateStatus(wabaId: string, name: string, language: string, status: string): void {
    this.updateTemplate(wabaId, name, language, { status });
  }
  updateTemplate(wabaId: string, name: string, language: string, patch: Patch): void {
    const waba = this.must(this.wabas, wabaId, 'WABA');
    const t = waba.templates.find((x) => x.wire.name === name && x.wire.language === language);
    if (!t) throw new Error(`sandbox: no template ${name}/${language} in WABA ${wabaId}`);
    this.applyPatch('template', t.wire, patch);
  }
  removeWaba(id: string): void {
    this.must(this.wabas, id, 'WABA');
    this.removed.add(id);
  }
  restoreWaba(id: string): void {
    this.must(this.wabas, id, 'WABA');
    this.removed.delete(id);
  }
  /** The WABA also shows up in the business's client edge: the same id under two edges. */
  shareWabaAsClient(wabaId: string, businessId: string): void {
    this.must(this.wabas, wabaId, 'WABA');
    const b = this.must(this.businesses, businessId, 'business');
    if (!b.client.includes(wabaId)) b.client.push(wabaId);
  }
  /** How many apps are subscribed to the WABA's webhooks (0: Meta sends its webhooks nowhere). */
  setSubscribedApps(wabaId: string, count: number): void {
    this.must(this.wabas, wabaId, 'WABA').subscribedApps = count;
  }
  /** The same phone number id listed under a second WABA (seen at Meta after migrations). */
  duplicatePhone(phoneId: string, intoWabaId: string): void {
    this.must(this.phones, phoneId, 'phone number');
    const w = this.must(this.wabas, intoWabaId, 'WABA');
    if (!w.phoneIds.includes(phoneId)) w.phoneIds.push(phoneId);
  }
  /**
   * Patch a credit line: amounts (CurrencyAmount objects, or anything malformed a test wants),
   * `is_access_revoked`, any field; `undefined` removes it.
   */
  updateCreditLine(id: string, patch: Patch): void {
    this.applyPatch('credit_line', this.must(this.creditLines, id, 'credit line').wire, patch);
  }
  /** Patch one allocation (e.g. a `receiving_business` without an id). */
  updateAllocation(id: string, patch: Patch): void {
    this.applyPatch('allocation', this.must(this.allocations, id, 'allocation').wire, patch);
  }
  /** A further line for a business (like the demo's); returns its id. Two lines make the listing ambiguous. */
  addCreditLine(businessId: string): string {
    const b = this.must(this.businesses, businessId, 'business');
    const id = creditLineId(1_000 + this.creditSeq.lines++);
    this.indexCreditLine(makeCreditLine(id, businessId, b.wire.name, DEMO_CREDIT_LINE));
    return id;
  }
  /** The line leaves the business's listing and its id answers like one that never existed. */
  removeCreditLine(id: string): void {
    this.must(this.creditLines, id, 'credit line');
    this.creditLines.delete(id);
  }
  /** `count` more allocations of `hundredths` each, to new client businesses; returns their ids. */
  addAllocations(lineId: string, count: number, hundredths = 10_000): string[] {
    const line = this.must(this.creditLines, lineId, 'credit line');
    return Array.from({ length: count }, () => {
      const a = addAllocation(line, 1_000 + this.creditSeq.allocations++, 1_000 + this.creditSeq.clients++, hundredths);
      this.allocations.set(a.wire.id, a);
      return a.wire.id;
    });
  }
  setToken(token: string, t: { valid?: boolean; expiresAt?: number }): void {
    this.tokens.set(token, { valid: t.valid ?? true, expiresAt: t.expiresAt ?? 0 });
  }
  tokenStatus(token: string): TokenStatus {
    const info = this.tokens.get(token) ?? { valid: !this.strictTokens, expiresAt: 0 };
    if (!info.valid) return { state: 'invalid', info };
    if (info.expiresAt > 0 && info.expiresAt * 1000 <= this.clock.now()) return { state: 'expired', info };
    return { state: 'valid', info };
  }

  /**
   * Applies the demo frame for clock.now(). Called on every request, so it only writes when
   * the frame changes; a test's own patch survives until the script moves on.
   */
  tick(): void {
    if (this.scenario !== 'demo') return;
    const frame = demoFrameAt(this.clock.now() - this.startedAt);
    const key = JSON.stringify(frame);
    if (key === this.lastDemoFrame) return;
    this.lastDemoFrame = key;
    if (this.demo.phone) this.demo.phone.wire.quality_rating = frame.phoneQuality;
    if (this.demo.business) this.demo.business.wire.whatsapp_business_manager_messaging_limit = frame.businessLimit;
    if (this.demo.template) this.demo.template.wire.status = frame.templateStatus;
  }

  summary(): Record<string, unknown> {
    return {
      scenario: this.scenario,
      started_at: Math.floor(this.startedAt / 1000),
      businesses: this.businesses.size,
      wabas: this.wabas.size,
      phone_numbers: this.phones.size,
      templates: this.templates.size,
      credit_lines: this.creditLines.size,
      removed_wabas: [...this.removed],
      demo: this.scenario === 'demo' ? demoFrameAt(this.clock.now() - this.startedAt) : undefined,
    };
  }

  /** Field names ever patched onto objects of `kind` (see `patched`). */
  patchedFields(kind: string): ReadonlySet<string> {
    return this.patched.get(kind) ?? EMPTY;
  }

  private applyPatch(kind: string, wire: WireObject, patch: Patch): void {
    let names = this.patched.get(kind);
    if (!names) this.patched.set(kind, (names = new Set()));
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'id') continue; // ids are identity; changing one would orphan the maps
      names.add(k);
      if (v === undefined) delete wire[k];
      else wire[k] = v;
    }
  }

  private indexCreditLine(l: CreditLineEntry): void {
    this.creditLines.set(l.wire.id, l);
    for (const a of l.allocations) this.allocations.set(a.wire.id, a);
  }

  private visibleWabas(ids: string[]): WabaEntry[] {
    const out: WabaEntry[] = [];
    for (const id of ids) {
      const w = this.waba(id);
      if (w) out.push(w);
    }
    return out;
  }

  private must<T>(m: Map<string, T>, id: string, what: string): T {
    const v = m.get(id);
    if (v === undefined) throw new Error(`sandbox: unknown ${what} ${id}`);
    return v;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
