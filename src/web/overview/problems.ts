import {
  ALERT_POLICY,
  balanceSeverity,
  compareSeverity,
  creditLineSeverity,
  healthSeverity,
  isStale,
  limitSeverity,
  phoneStatusSeverity,
  qualitySeverity,
  reloadSeverity,
  reviewSeverity,
  runwaySeverity,
  sourceSeverity,
  subscriptionSeverity,
  templateSeverity,
  tokenSeverity,
} from '../../policy/index.js';
import { fmtAmount, fmtDays, fmtDuration, fmtInt, fmtMoney, fmtTime } from './format.js';
import { describeAge, iso, REASON_WORDS, sourceLabel } from './freshness.js';
import type { BillingAccountView, BusinessView, Problem, Severity, SourceFreshness, TokenView } from './model.js';

// Every severity here comes from src/policy, the table the alert rules are generated from: the
// page lists a problem exactly when an alert would fire for the same state, with that alert's
// severity (test/policy/agreement.test.ts checks this against the rules with promtool). Only the
// wording is the page's own.

/** `id` names what the problem is about and its severity, stable while it lasts (the API pages by it). */
type Add = (severity: Severity | null, kind: Problem['kind'], text: string, id: string, about?: About) => void;
interface About {
  readonly businessId?: string;
  readonly impact?: number | null;
  /** Root-relative link to the thing's page. */
  readonly href?: string;
}

/** Root-relative links to the drill-down pages (ids are escaped: account names are free text). */
export const PAGE = {
  business: (id: string) => `businesses/${encodeURIComponent(id)}`,
  waba: (id: string) => `wabas/${encodeURIComponent(id)}`,
  phone: (id: string) => `phone-numbers/${encodeURIComponent(id)}`,
  account: (name: string) => `accounts/${encodeURIComponent(name)}`,
} as const;

const DAY_S = 86_400;

/** Pure: the active problems in plain words, critical first, in page order within a severity. */
export function problemsOf(v: {
  businesses: readonly BusinessView[];
  billing: readonly BillingAccountView[];
  tokens: readonly TokenView[];
  sources: readonly SourceFreshness[];
  lastReload?: { readonly ok: boolean; readonly at: number };
  webhooksConfigured?: boolean;
}): Problem[] {
  const out: Problem[] = [];
  const add: Add = (severity, kind, text, id, about = {}) => {
    if (severity !== null)
      out.push({
        severity,
        kind,
        text,
        // The severity is part of what the problem is (as in Alertmanager, where it is a label): a
        // YELLOW number that turns RED is a new problem, so a paged walk (worst first) never sees
        // one item move across its cursor.
        id: `${kind}/${id}/${severity}`,
        business_id: about.businessId ?? null,
        impact: about.impact ?? null,
        href: about.href ?? null,
      });
  };
  // An account's impact: the numbers of the portfolios it pays for (they stop sending when it is empty).
  const phones = new Map(v.businesses.map((b) => [b.id, b.wabas.reduce((n, w) => n + w.phones.length, 0)]));

  add(
    reloadSeverity(v.lastReload?.ok),
    'exporter',
    `The configuration reload of ${fmtTime(iso(v.lastReload?.at))} failed: the exporter runs the previous configuration (its log says why)`,
    'reload',
  );
  for (const s of v.sources) sourceProblem(s, add);
  for (const t of v.tokens) tokenProblem(t, add);
  const wabaPhones = new Map(
    v.businesses.flatMap((b) => b.wabas.map((w) => [w.id, { b: b.id, n: w.phones.length }] as const)),
  );
  for (const a of v.billing) {
    // Numbers of the portfolios it pays for, plus those of its WABAs in other portfolios.
    const whole = new Set(a.businessIds);
    let n = a.businessIds.reduce((k, b) => k + (phones.get(b) ?? 0), 0);
    for (const w of a.wabaIds) {
      const x = wabaPhones.get(w);
      if (x && !whole.has(x.b)) n += x.n;
    }
    billingProblems(a, add, a.businessIds.length + a.wabaIds.length ? n : null);
  }
  for (const b of v.businesses) businessProblems(b, add, v.webhooksConfigured ?? false);
  // Stable sort: critical first, page order kept within a severity.
  return out.sort((a, b) => compareSeverity(a.severity, b.severity));
}

function tokenProblem(t: TokenView, add: Add): void {
  const expiresIn = t.expiresInDays === null ? null : t.expiresInDays * DAY_S;
  const severity = tokenSeverity(t.valid, expiresIn);
  const token = `Access token "${t.credential}"`;
  const d = t.expiresInDays;
  if (!t.valid) add(severity, 'token', `${token} is not valid: every Graph API call with it fails`, t.credential);
  else if (d !== null && d <= 0) add(severity, 'token', `${token} expired ${fmtTime(t.expiresAt)}`, t.credential);
  else if (d !== null)
    add(severity, 'token', `${token} expires in ${fmtDays(d)} (${fmtTime(t.expiresAt)})`, t.credential);
}

function businessProblems(b: BusinessView, add: Add, webhooksConfigured: boolean): void {
  const l = b.limit;
  if (l.usageRatio !== null && l.limit !== null) {
    const used = `used ${fmtInt(l.usage ?? 0)} of its ${fmtInt(l.limit)} unique-recipient messaging limit`;
    const text = `Business ${b.id} ${used} in the last 24 h`;
    // At 100 % Meta refuses new conversations: a fact about the limit, not a policy threshold.
    const full = l.usageRatio >= 1 ? `${text}: new business-initiated conversations fail` : text;
    add(limitSeverity(l.usageRatio), 'limit', full, b.id, {
      businessId: b.id,
      impact: l.usage,
      href: PAGE.business(b.id),
    });
  }
  for (const w of b.wabas) {
    add(
      reviewSeverity(w.reviewStatus),
      'waba',
      `WABA ${w.name || w.id} has review status ${w.reviewStatus}: Meta stops or limits what it may send`,
      w.id,
      { businessId: b.id, href: PAGE.waba(w.id) },
    );
    add(
      subscriptionSeverity(w.subscribedApps, webhooksConfigured),
      'waba',
      `WABA ${w.name || w.id} has no app subscribed to its webhooks: its events go nowhere`,
      `${w.id}/subscription`,
      { businessId: b.id, href: PAGE.waba(w.id) },
    );
    for (const p of w.phones) {
      const who = `Number ${p.displayNumber}${p.verifiedName ? ` (${p.verifiedName})` : ''}`;
      const about = { businessId: b.id, impact: p.recipients24h, href: PAGE.phone(p.id) };
      add(qualitySeverity(p.quality), 'phone', `${who} quality is ${p.quality}`, `${p.id}/quality`, about);
      const health = p.health === 'BLOCKED' ? 'cannot send messages' : 'can send only with limits';
      add(healthSeverity(p.health), 'phone', `${who} ${health} (health ${p.health})`, `${p.id}/health`, about);
      add(phoneStatusSeverity(p.status), 'phone', `${who} status is ${p.status}`, `${p.id}/status`, about);
    }
    // Templates with RED quality stay in the "needs attention" table; no alert watches them.
    for (const t of w.templates?.attention ?? []) {
      const text = `Template ${t.name} (${t.language}) in ${w.name} is ${t.status}`;
      add(templateSeverity(t.status), 'template', text, `${w.id}/${t.name}/${t.language}`, {
        businessId: b.id,
        href: PAGE.waba(w.id),
      });
    }
  }
}

function sourceProblem(s: SourceFreshness, add: Add): void {
  const name = sourceLabel(s.source, s.target);
  const age = describeAge(s.ageSeconds);
  const last = s.lastSuccess ? `last success ${fmtTime(s.lastSuccess)}, ${age}` : 'it never succeeded';
  const code = s.error && s.error.code !== null ? ` (code ${s.error.code})` : '';
  const why = s.error ? `: ${REASON_WORDS[s.error.reason] ?? s.error.reason}${code}` : '';
  // "stale" was decided on exact times; dropped data is re-checked on the rounded age (it may be
  // dropped before it is stale when max_staleness is under the alert's interval multiple).
  const dropped = s.state === 'dropped';
  const stale = s.state === 'stale' || (dropped && s.ageSeconds !== null && isStale(s.ageSeconds, s.intervalSeconds));
  const severity = sourceSeverity(s.source, stale, s.up);
  if (dropped) {
    const max = fmtDuration(s.maxStalenessSeconds);
    add(
      severity,
      'source',
      `Data of ${name} is older than its max staleness of ${max} and no longer shown (${last})`,
      `${s.source}/${s.target}`,
    );
  } else if (s.state === 'stale') {
    const failing = s.up === false ? `; the source is failing${why}` : '';
    const every = fmtDuration(s.intervalSeconds);
    add(
      severity,
      'source',
      `Data of ${name} is stale (${last}; polled every ${every})${failing}`,
      `${s.source}/${s.target}`,
    );
  } else if (s.state === 'throttled') {
    add(
      severity,
      'source',
      `Source ${name} is throttled until ${fmtTime(s.pausedUntil)} (${last})`,
      `${s.source}/${s.target}`,
    );
  } else if (s.state === 'failing') {
    const since = s.lastSuccess
      ? `since ${fmtTime(s.lastSuccess)} (the last success, ${age})`
      : 'since the exporter started (never succeeded)';
    add(severity, 'source', `Source ${name} failing ${since}${why}`, `${s.source}/${s.target}`);
  }
}

function billingProblems(a: BillingAccountView, add: Add, impact: number | null): void {
  const about = { impact, href: PAGE.account(a.name) };
  const line = a.creditLine;
  if (line)
    add(
      creditLineSeverity(line.accessRevoked),
      'balance',
      `Meta reports access to the credit line ${line.id} of ${a.name} as revoked: paid messages of the businesses it pays for fail until it is restored`,
      `${a.name}/credit-line`,
      about,
    );
  const b = a.balance;
  if (!b) return;
  const { low, critical } = a.thresholds;
  const bal = `Balance of ${a.name} (${fmtMoney(b)})`;
  const balance = balanceSeverity(b.amount, low, critical);
  if (b.amount <= ALERT_POLICY.WhatsAppCreditBalanceExhausted.atOrBelow) {
    add(balance, 'balance', `${bal} is used up: business-initiated messages fail until credit is added`, a.name, about);
  } else if (critical !== null && b.amount < critical) {
    add(
      balance,
      'balance',
      `${bal} is below the critical threshold of ${fmtAmount(critical, b.currency)}`,
      a.name,
      about,
    );
  } else if (low !== null) {
    add(balance, 'balance', `${bal} is below the low threshold of ${fmtAmount(low, b.currency)}`, a.name, about);
  }
  const d = a.runway.days;
  const spend = a.runway.spendPerDay ? fmtMoney(a.runway.spendPerDay) : '?';
  const runsOut = `Credit of ${a.name} runs out in about ${fmtDays(d ?? 0)} at the recent spend of ${spend} per day`;
  add(runwaySeverity(d, b.amount, low), 'runway', runsOut, a.name, about);
}
