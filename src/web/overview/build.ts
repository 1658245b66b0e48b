import { parseMoney, toNumber } from '../../billing/money.js';
import type { RateCard } from '../../billing/rate-card.js';
import { resolveTiers } from '../../collectors/limits.js';
import { snapshotView } from '../../collectors/fragments.js';
import type { BillingAccount } from '../../config/config.js';
import { freshData, type SourceEntry, type SnapshotStore } from '../../poller/store.js';
import { ACCOUNTS, BALANCE, BULK_BALANCE, PRICING, STATEMENT, TEMPLATES, TOKEN } from '../../sources/keys.js';
import { bulkAccounts, bulkWallets } from '../../billing/bulk.js';
import type { SourceKey } from '../../sources/key.js';
import { TIER_LIMIT } from '../../sources/graph/enums.js';
import type { AccountsData, PhoneRecord, TemplateRecord, TokenData, WabaRecord } from '../../sources/graph/model.js';
import type { BalanceData, BalanceReading, CreditLineData, StatementData } from '../../billing/data.js';
import type { PricingData } from '../../sources/graph/model.js';
import { dataAge, iso, sourceFreshness } from './freshness.js';
import { safeUrl } from './html.js';
import type {
  BalanceLevel,
  BillingAccountView,
  BusinessView,
  CreditLineView,
  DataAge,
  Money,
  Overview,
  OverviewDeps,
  RateCardView,
  StatementView,
  TemplatesView,
  TokenView,
  WabaView,
} from './model.js';
import { ALERT_POLICY, balanceSeverity } from '../../policy/index.js';
import { problemsOf } from './problems.js';
import { runway, type SpendHistory } from './spend.js';

const EMPTY_HISTORY: SpendHistory = { points: () => [] };

/** Template states worth a look on the page (PAUSED and DISABLED are also problems). */
const ATTENTION = new Set(['PAUSED', 'DISABLED', 'REJECTED', 'FLAGGED', 'LIMIT_EXCEEDED', 'LOCKED']);
const CATEGORY_ORDER = ['marketing', 'utility', 'authentication', 'authentication_international', 'service'];
const DAY_MS = 86_400_000;

/**
 * Pure: the snapshot store (plus config, rate card, webhook counts) → the page's view model.
 * Never calls upstream. Data past a source's max_staleness is left out, as on /metrics; data
 * older than STALE_INTERVALS intervals is shown and marked stale. `spend` gives the runway.
 */
export function buildOverview(
  d: OverviewDeps,
  spend?: SpendHistory,
  extra: { rejections24h?: (businessId: string) => { n: number; since: number } | undefined } = {},
): Overview {
  const now = d.clock.now();
  const config = d.config();
  const fresh = <T>(source: SourceKey<T>) =>
    d.store.bySource(source).flatMap((e) => (freshData(e, now) === undefined ? [] : [{ e, data: e.data as T }]));

  const wabas = accountsOf(fresh(ACCOUNTS), now);
  const templates = new Map(
    fresh(TEMPLATES).map(({ e, data }) => [data.wabaId, templatesView(data.templates, dataAge(e, now))]),
  );
  const pricing = new Map(fresh(PRICING).map(({ data }) => [data.wabaId, data]));
  const tiers = resolveTiers(snapshotView(d.store, d.clock));
  const usage = d.uniqueRecipients24h?.();
  const byPhone = d.uniqueRecipients24hByPhone?.();
  const cap = d.frequencyCap?.();
  const names = new Map<string, string>();
  // Grouped once: filtering every WABA per portfolio was O(portfolios × WABAs), 1.5 s at 10,000 of each.
  const wabasOf = new Map<string, typeof wabas>();
  for (const w of wabas) {
    if (w.waba.businessName) names.set(w.waba.businessId, w.waba.businessName);
    const list = wabasOf.get(w.waba.businessId);
    if (list) list.push(w);
    else wabasOf.set(w.waba.businessId, [w]);
  }

  const ids = new Set<string>([
    ...config.businesses.map((b) => b.id),
    ...tiers.keys(),
    ...wabas.map((w) => w.waba.businessId),
  ]);
  const businesses: BusinessView[] = [...ids].sort().map((id) => {
    const tier = tiers.get(id) ?? null;
    const n = tier === null ? undefined : TIER_LIMIT[tier];
    const used = usage?.get(id) ?? (usage ? 0 : null);
    const limit = n !== undefined && Number.isFinite(n) ? n : null;
    const rejected = cap ? extra.rejections24h?.(id) : undefined;
    return {
      id,
      name: names.get(id) ?? '',
      frequencyCap: cap
        ? {
            recipientsAtCap: cap.atCap.get(id) ?? 0,
            rejections24h: rejected?.n ?? null,
            since: rejected && rejected.since > now - DAY_MS ? iso(rejected.since) : null,
          }
        : null,
      limit: {
        tier,
        limit,
        unlimited: n === Number.POSITIVE_INFINITY,
        usage: used,
        usageRatio: used !== null && limit ? used / limit : null,
      },
      wabas: (wabasOf.get(id) ?? []).map(
        ({ waba, phones, age }): WabaView => ({
          id: waba.id,
          name: waba.name,
          currency: waba.currency,
          reviewStatus: waba.reviewStatus ?? null,
          subscribedApps: waba.subscribedApps ?? null,
          phones: phones.map((p) => ({
            id: p.id,
            displayNumber: p.displayPhoneNumber,
            verifiedName: p.verifiedName,
            quality: p.qualityRating ?? 'UNKNOWN',
            status: p.status ?? null,
            health: p.health ?? null,
            throughput: p.throughput ?? null,
            nameStatus: p.nameStatus ?? null,
            accountMode: p.accountMode ?? null,
            unifiedCertStatus: p.unifiedCertStatus ?? null,
            codeVerificationStatus: p.codeVerificationStatus ?? null,
            hostPlatform: p.hostPlatform ?? null,
            officialBusinessAccount: p.officialBusinessAccount ?? null,
            recipients24h: byPhone ? (byPhone.get(p.id) ?? 0) : null,
          })),
          templates: templates.get(waba.id) ?? null,
          metaCost24h: metaCost(pricing.get(waba.id)),
          freshness: age,
        }),
      ),
    };
  });

  const billing = config.billing.accounts.filter((a) => !a.http?.bulk).map((a) => billingView(a, d.store, now, spend));
  // The wallets of bulk endpoints, each an account (src/billing/bulk.ts).
  const bulk = fresh(BULK_BALANCE);
  const entryOf = new Map(bulk.map(({ e, data }) => [data.group, e]));
  for (const { group, items } of bulkWallets(config.billing.accounts, bulk)) {
    const readings = new Map(items.map((i) => [i.account, i.reading]));
    const entry = entryOf.get(group.name) as SourceEntry;
    for (const a of bulkAccounts(group, items))
      billing.push(billingView(a, d.store, now, spend, { reading: readings.get(a.name), entry }));
  }
  const tokens = fresh(TOKEN).map(({ data }) => tokenView(data, now));
  const sources = d.store
    .all()
    .sort((a, b) => (`${a.source}\u0000${a.target}` < `${b.source}\u0000${b.target}` ? -1 : 1))
    .map((e) => sourceFreshness(e, now));
  const telemetry = config.web.telemetryPath.replace(/^\/+/, '');
  const view = { businesses, billing, tokens, sources };
  return {
    generatedAt: iso(now) as string,
    version: d.version,
    mode: config.mode,
    links: { metrics: telemetry, api: 'api/v1/overview' },
    problems: problemsOf({
      ...view,
      lastReload: d.lastReload?.(),
      webhooksConfigured: d.webhooksConfigured?.() ?? false,
    }),
    ...view,
    rateCard: rateCardView(d.rateCard()),
    frequencyCap: cap ? { messages: cap.messages, windowSeconds: cap.windowMs / 1000 } : null,
  };
}

/** Every fresh WABA and number once (first by id wins), as the collectors count them. */
function accountsOf(
  entries: Array<{ e: SourceEntry; data: AccountsData }>,
  now: number,
): Array<{ waba: WabaRecord; phones: PhoneRecord[]; age: DataAge }> {
  const byId = new Map<string, { waba: WabaRecord; age: DataAge }>();
  for (const { e, data } of entries)
    for (const w of data.wabas) if (!byId.has(w.id)) byId.set(w.id, { waba: w, age: dataAge(e, now) });
  const seen = new Set<string>();
  return [...byId.values()]
    .sort((a, b) => (a.waba.id < b.waba.id ? -1 : 1))
    .map((x) => ({ ...x, phones: x.waba.phones.filter((p) => !seen.has(p.id) && seen.add(p.id)) }));
}

function templatesView(list: readonly TemplateRecord[], freshness: DataAge): TemplatesView {
  const byStatus: Record<string, number> = {};
  for (const t of list) byStatus[t.status ?? 'UNKNOWN'] = (byStatus[t.status ?? 'UNKNOWN'] ?? 0) + 1;
  const attention = list
    .filter((t) => ATTENTION.has(t.status ?? '') || t.quality === 'RED')
    .map((t) => ({
      name: t.name,
      language: t.language,
      category: t.category ?? null,
      status: t.status ?? null,
      quality: t.quality ?? null,
    }));
  return { total: list.length, byStatus, attention, freshness };
}

function metaCost(p: PricingData | undefined): WabaView['metaCost24h'] {
  if (!p) return null;
  let micros: bigint | undefined;
  let billed = 0;
  for (const pt of p.last24h) {
    if (pt.type === 'regular') billed += pt.volume;
    const c = pt.cost === undefined ? undefined : parseMoney(pt.cost);
    if (c !== undefined) micros = (micros ?? 0n) + c;
  }
  return micros === undefined ? null : { amount: toNumber(micros), currency: p.currency, billedMessages: billed };
}

function billingView(
  a: BillingAccount,
  store: SnapshotStore,
  now: number,
  spend: SpendHistory | undefined,
  /** A bulk wallet: its reading from the bulk answer, and that answer's entry for freshness. */
  bulk?: { reading: BalanceReading | undefined; entry: SourceEntry },
): BillingAccountView {
  const be: SourceEntry | undefined = bulk ? bulk.entry : store.get(BALANCE, a.name);
  const se = store.get(STATEMENT, a.name);
  const bal: Pick<BalanceData, 'reading' | 'creditLine'> | undefined = bulk
    ? bulk.reading
      ? { reading: bulk.reading }
      : undefined
    : freshData(store.get(BALANCE, a.name), now);
  const st = freshData(se, now);
  const reading = bal?.reading ?? (a.provider === 'statement' ? st?.totals.lastBalance : undefined);
  const balance: Money | null = reading ? { amount: toNumber(reading.micros), currency: reading.currency } : null;
  const { low, critical } = a.thresholds;
  const severity = balance ? balanceSeverity(balance.amount, low, critical) : null;
  let level: BalanceLevel = 'unknown';
  if (balance)
    level =
      balance.amount <= ALERT_POLICY.WhatsAppCreditBalanceExhausted.atOrBelow
        ? 'empty'
        : critical !== undefined && balance.amount < critical
          ? 'critical'
          : low !== undefined && balance.amount < low
            ? 'low'
            : 'ok';
  const freshEntry = bal ? be : st ? se : undefined;
  return {
    name: a.name,
    provider: a.provider,
    balance,
    thresholds: { low: low ?? null, critical: critical ?? null },
    level,
    severity,
    links: { topUp: safeUrl(a.links.topUp), payment: safeUrl(a.links.payment), rateCard: safeUrl(a.links.rateCard) },
    runway: runway(spend ?? EMPTY_HISTORY, a.name, balance, now),
    businessIds: [...a.businessIds],
    wabaIds: [...a.wabaIds],
    statement: st && se ? statementView(st, dataAge(se, now)) : null,
    freshness: freshEntry ? dataAge(freshEntry, now) : null,
    creditLine: bal?.creditLine ? creditLineView(bal.creditLine) : null,
  };
}

function creditLineView(l: CreditLineData): CreditLineView {
  const money = (r: BalanceReading | undefined): Money | null =>
    r ? { amount: toNumber(r.micros), currency: r.currency } : null;
  return {
    id: l.id,
    maxBalance: money(l.maxBalance),
    allocated: money(l.allocated),
    accessRevoked: l.accessRevoked ?? null,
    shares: l.allocations.length,
    sharesCut: l.allocationsCut,
  };
}

function statementView(st: StatementData, freshness: DataAge): StatementView {
  const debits = [...st.totals.debits].map(([k, micros]) => {
    const [currency, category] = k.split('\u0000') as [string, string];
    return { category, currency, amount: toNumber(micros) };
  });
  debits.sort((x, y) => rank(x.category) - rank(y.category) || x.category.localeCompare(y.category));
  const lb = st.totals.lastBalance;
  return {
    topups: [...st.totals.topups].map(([currency, micros]) => ({ currency, amount: toNumber(micros) })),
    debits,
    lastEntryAt: iso(st.totals.lastEntryAt),
    lastBalance: lb ? { amount: toNumber(lb.micros), currency: lb.currency } : null,
    freshness,
  };
}

function rateCardView(card: RateCard | undefined): RateCardView | null {
  if (!card || card.prices.length === 0) return null;
  const cats = [...new Set(card.prices.map((p) => p.category))].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const rows = new Map<string, { market: string; currency: string; prices: Record<string, number | null> }>();
  for (const p of card.prices) {
    const k = `${p.market}\u0000${p.currency}`;
    const r = rows.get(k) ?? {
      market: p.market,
      currency: p.currency,
      prices: Object.fromEntries(cats.map((c) => [c, null])),
    };
    r.prices[p.category] ??= p.price;
    rows.set(k, r);
  }
  return { categories: cats, rows: [...rows.values()] };
}

function tokenView(t: TokenData, now: number): TokenView {
  const never = t.expiresAt === Number.POSITIVE_INFINITY || t.expiresAt === 0;
  const at = never || t.expiresAt === undefined ? undefined : t.expiresAt * 1000;
  return {
    credential: t.credential,
    valid: t.valid,
    expiresAt: iso(at),
    neverExpires: never,
    expiresInDays: at === undefined ? null : (at - now) / DAY_MS,
  };
}

const rank = (c: string) => {
  const i = CATEGORY_ORDER.indexOf(c);
  return i < 0 ? CATEGORY_ORDER.length : i;
};
