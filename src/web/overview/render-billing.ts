import { fmtAmount, fmtDays, fmtMoney, fmtTime } from './format.js';
import { html, type Html } from './html.js';
import type { BillingAccountView, CreditLineView, Problem } from './model.js';
import { age, badge, bar, toneOf } from './parts.js';

/** The badge tone reuses the balance levels' colours: critical red, warning amber, info grey. */
export const SEVERITY_TONE: Readonly<Record<Problem['severity'], string>> = {
  critical: 'critical',
  warning: 'low',
  info: 'unknown',
};
export const severityBadge = (s: Problem['severity']) =>
  badge(SEVERITY_TONE[s], s.charAt(0).toUpperCase() + s.slice(1));
export const LEVEL_WORD: Readonly<Record<string, string>> = {
  ok: 'OK',
  low: 'Low',
  critical: 'Critical',
  empty: 'Empty',
  unknown: 'Unknown',
};

/** The settings page's credit card for one account; `href` links its name to the account's page. */
export function account(a: BillingAccountView, href?: string): Html {
  const b = a.balance;
  const { low, critical } = a.thresholds;
  const top = Math.max(b?.amount ?? 0, (low ?? critical ?? b?.amount ?? 1) * 2, 1);
  const marks = [
    ...(critical !== null ? [{ at: critical / top, title: `critical threshold ${critical}` }] : []),
    ...(low !== null ? [{ at: low / top, title: `low threshold ${low}` }] : []),
  ];
  const cur = b?.currency ?? '';
  const thresholds = [
    low !== null ? `low ${fmtAmount(low, cur)}` : '',
    critical !== null ? `critical ${fmtAmount(critical, cur)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const r = a.runway;
  return html`<article class="card account" data-account="${a.name}">
<div class="acct-main">
<div class="row"><h3>${href ? html`<a href="${href}">${a.name}</a>` : a.name}</h3>${badge(a.severity === null ? a.level : SEVERITY_TONE[a.severity], LEVEL_WORD[a.level])}</div>
<div class="sub">${a.provider} · ${age(a.freshness)}</div>
${a.creditLine ? creditLine(a.creditLine) : ''}
<div class="big balance">${b ? fmtMoney(b) : 'balance unknown'}</div>
${b ? bar(b.amount / top, toneOf(a.level), `Balance ${fmtMoney(b)}; ${thresholds || 'no thresholds'}`, marks) : ''}
<div class="sub">${thresholds ? `Alert thresholds: ${thresholds}` : 'No alert thresholds configured'}</div>
<dl class="kv"><dt>Runway</dt><dd class="runway">${r.days !== null ? html`<strong>${r.days === 0 ? 'empty' : `about ${fmtDays(r.days)}`}</strong>` : 'unknown'}${r.spendPerDay ? ` · spending ${fmtMoney(r.spendPerDay)} per day` : ''}<br><span class="sub">${r.note}</span></dd></dl>
${actions(a)}
</div>
${a.statement ? statement(a) : html`<div class="acct-side sub">No credit statement configured for this account.</div>`}
</article>`;
}

/** A Meta credit line: the balance below is its headroom (credit_available). */
function creditLine(l: CreditLineView): Html {
  const parts = [
    `Meta credit line ${l.id}`,
    l.maxBalance ? `limit ${fmtMoney(l.maxBalance)}` : '',
    l.allocated ? `shared ${fmtMoney(l.allocated)}` : '',
    `${l.shares}${l.sharesCut ? '+' : ''} client share${l.shares === 1 && !l.sharesCut ? '' : 's'}`,
  ].filter(Boolean);
  return html`<div class="sub credit-line">${parts.join(' · ')}; the balance is what can still be spent</div>${l.accessRevoked ? badge('critical', 'Access revoked') : ''}`;
}

function statement(a: BillingAccountView): Html {
  const s = a.statement;
  if (!s) return html``;
  return html`<div class="acct-side"><div class="row"><strong>Credit statement</strong>${age(s.freshness)}</div>
<table class="mini"><thead><tr><th>Total since the ledger began</th><th class="num">Amount</th></tr></thead><tbody>
${s.debits.map((d) => html`<tr><td>Debits · ${d.category || 'other'}</td><td class="num">${fmtMoney(d)}</td></tr>`)}
${s.topups.map((t) => html`<tr><td>Top-ups</td><td class="num">${fmtMoney(t)}</td></tr>`)}
${s.debits.length + s.topups.length === 0 ? html`<tr><td colspan="2" class="sub">No rows yet</td></tr>` : ''}
</tbody></table><div class="sub">Newest row ${fmtTime(s.lastEntryAt)}${s.lastBalance ? html`, balance after it ${fmtMoney(s.lastBalance)}` : ''}</div></div>`;
}

function actions(a: BillingAccountView): Html {
  const l = a.links;
  if (!l.topUp && !l.payment && !l.rateCard) return html``;
  return html`<div class="actions">
${l.topUp ? html`<a class="btn primary" href="${l.topUp}" rel="noopener noreferrer" target="_blank">Add credits</a>` : ''}
${l.payment ? html`<a class="btn" href="${l.payment}" rel="noopener noreferrer" target="_blank">Pay via link</a>` : ''}
${l.rateCard ? html`<a class="btn" href="${l.rateCard}" rel="noopener noreferrer" target="_blank">View rate card</a>` : ''}
</div>`;
}
