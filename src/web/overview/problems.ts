import { fmtAmount, fmtDays, fmtDuration, fmtInt, fmtMoney, fmtTime } from './format.js';
import { describeAge, REASON_WORDS, sourceLabel } from './freshness.js';
import type { BillingAccountView, BusinessView, Problem, Severity, SourceFreshness, TokenView } from './model.js';

/** Usage share of the portfolio messaging limit that is worth a warning. */
export const LIMIT_WARNING_RATIO = 0.8;
/** Runway (days of credit left at the current spend) that is worth a warning. */
export const RUNWAY_WARNING_DAYS = 3;
/** A token that expires within this many days is worth a warning. */
export const TOKEN_WARNING_DAYS = 7;
const BAD_STATUS = new Set(['BANNED', 'RESTRICTED', 'DISCONNECTED', 'DELETED']);

/** Pure: the active problems in plain words, critical first, in page order within a severity. */
export function problemsOf(v: { businesses: readonly BusinessView[]; billing: readonly BillingAccountView[]; tokens: readonly TokenView[]; sources: readonly SourceFreshness[] }): Problem[] {
  const out: Problem[] = [];
  const add = (severity: Severity, kind: Problem['kind'], text: string) => out.push({ severity, kind, text });

  for (const s of v.sources) sourceProblem(s, add);
  for (const t of v.tokens) {
    if (!t.valid) add('critical', 'token', `Access token "${t.credential}" is not valid: every Graph API call with it fails`);
    else if (t.expiresInDays !== null && t.expiresInDays < TOKEN_WARNING_DAYS) add(t.expiresInDays < 1 ? 'critical' : 'warning', 'token', `Access token "${t.credential}" expires in ${fmtDays(Math.max(0, t.expiresInDays))} (${fmtTime(t.expiresAt)})`);
  }
  for (const a of v.billing) billingProblems(a, add);
  for (const b of v.businesses) {
    const l = b.limit;
    if (l.usageRatio !== null && l.limit !== null && l.usageRatio >= LIMIT_WARNING_RATIO) {
      const text = `Business ${b.id} used ${fmtInt(l.usage ?? 0)} of its ${fmtInt(l.limit)} unique-recipient messaging limit in the last 24 h`;
      add(l.usageRatio >= 1 ? 'critical' : 'warning', 'limit', l.usageRatio >= 1 ? `${text}: new business-initiated conversations fail` : text);
    }
    for (const w of b.wabas) {
      for (const p of w.phones) {
        const who = `Number ${p.displayNumber}${p.verifiedName ? ` (${p.verifiedName})` : ''}`;
        if (p.quality === 'RED') add('critical', 'phone', `${who} quality is RED`);
        else if (p.quality === 'YELLOW') add('warning', 'phone', `${who} quality is YELLOW`);
        if (p.health === 'BLOCKED') add('critical', 'phone', `${who} cannot send messages (health BLOCKED)`);
        else if (p.health === 'LIMITED') add('warning', 'phone', `${who} can send only with limits (health LIMITED)`);
        if (p.status && p.status !== 'CONNECTED') add(BAD_STATUS.has(p.status) ? 'critical' : 'warning', 'phone', `${who} status is ${p.status}`);
      }
      for (const t of w.templates?.attention ?? []) {
        const name = `Template ${t.name} (${t.language}) in ${w.name}`;
        if (t.status === 'DISABLED') add('critical', 'template', `${name} is DISABLED`);
        else if (t.status === 'PAUSED') add('warning', 'template', `${name} is PAUSED`);
        else if (t.quality === 'RED' && t.status === 'APPROVED') add('warning', 'template', `${name} quality is RED: it will be paused if it stays low`);
      }
    }
  }
  // Stable sort: critical first, page order kept within a severity.
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}

function sourceProblem(s: SourceFreshness, add: (sev: Severity, kind: Problem['kind'], text: string) => void): void {
  const name = sourceLabel(s.source, s.target);
  const last = s.lastSuccess ? `last success ${fmtTime(s.lastSuccess)}, ${describeAge(s.ageSeconds)}` : 'it never succeeded';
  const why = s.error ? `: ${REASON_WORDS[s.error.reason] ?? s.error.reason}${s.error.code !== null ? ` (code ${s.error.code})` : ''}` : '';
  if (s.state === 'dropped') add('critical', 'source', `Data of ${name} is older than its max staleness of ${fmtDuration(s.maxStalenessSeconds)} and no longer shown (${last})`);
  else if (s.state === 'stale') add('warning', 'source', `Data of ${name} is stale (${last}; polled every ${fmtDuration(s.intervalSeconds)})${s.up === false ? `; the source is failing${why}` : ''}`);
  else if (s.state === 'throttled') add('warning', 'source', `Source ${name} is throttled until ${fmtTime(s.pausedUntil)} (${last})`);
  else if (s.state === 'failing') {
    const since = s.lastSuccess ? `since ${fmtTime(s.lastSuccess)} (the last success, ${describeAge(s.ageSeconds)})` : 'since the exporter started (never succeeded)';
    add(s.lastSuccess ? 'warning' : 'critical', 'source', `Source ${name} failing ${since}${why}`);
  }
}

function billingProblems(a: BillingAccountView, add: (sev: Severity, kind: Problem['kind'], text: string) => void): void {
  const b = a.balance;
  if (!b) return;
  const bal = `Balance of ${a.name} (${fmtMoney(b)})`;
  if (a.level === 'empty') add('critical', 'balance', `${bal} is used up: business-initiated messages fail until credit is added`);
  else if (a.level === 'critical') add('critical', 'balance', `${bal} is below the critical threshold of ${fmtAmount(a.thresholds.critical ?? 0, b.currency)}`);
  else if (a.level === 'low') add('warning', 'balance', `${bal} is below the low threshold of ${fmtAmount(a.thresholds.low ?? 0, b.currency)}`);
  const d = a.runway.days;
  if (d !== null && d > 0 && d < RUNWAY_WARNING_DAYS) add('warning', 'runway', `Credit of ${a.name} runs out in about ${fmtDays(d)} at the recent spend of ${a.runway.spendPerDay ? fmtMoney(a.runway.spendPerDay) : '?'} per day`);
}
