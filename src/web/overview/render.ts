import { fmtAmount, fmtDays, fmtMoney, fmtTime } from './format.js';
import { html, raw, type Html } from './html.js';
import type { BillingAccountView, Overview, Problem } from './model.js';
import { age, badge, bar, toneOf } from './parts.js';
import { businessesSection, freshnessSection, rateCardSection, tokensSection } from './render-accounts.js';
import { STALE_INTERVALS } from './freshness.js';
import { CSS } from './styles.js';

const FAVICON =
  'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 32 32%22%3E%3Crect width=%2232%22 height=%2232%22 rx=%227%22 fill=%22%230b7a5c%22/%3E%3Ccircle cx=%2216%22 cy=%2216%22 r=%227%22 fill=%22none%22 stroke=%22white%22 stroke-width=%223%22/%3E%3C/svg%3E';

/** Pure: view model → the whole HTML page. Every value goes through the escaping html`` tag. */
export function renderOverview(o: Overview): string {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${o.problems.length ? `(${o.problems.length}) ` : ''}WhatsApp Business overview</title>
<link rel="icon" href="${FAVICON}">
<style>${raw(CSS)}</style></head>
<body>
<header class="top"><div class="wrap">
<h1><span class="logo" aria-hidden="true"></span>WhatsApp Business overview</h1>
<div class="meta">
${o.mode === 'sandbox' ? html`<span class="badge b-warn" title="No Meta credentials set: simulated Graph API and wallet">sandbox</span>` : ''}
<span>Generated <time datetime="${o.generatedAt}">${fmtTime(o.generatedAt)}</time></span>
<span>v${o.version}</span>
<a href="${o.links.metrics}">Metrics</a><a href="${o.links.api}">JSON</a><a href="-/healthy">Health</a>
</div></div></header>
<main class="wrap">
${problemsSection(o.problems)}
${billingSection(o.billing)}
${businessesSection(o.businesses)}
${tokensSection(o.tokens)}
${rateCardSection(o.rateCard)}
${freshnessSection(o.sources)}
</main>
<footer><div class="wrap">Read from the exporter's last snapshot; this page never calls Meta or the billing provider. It reloads every minute.
Statement figures are cumulative totals kept by the exporter's ledger (it counts each statement row once and keeps totals, not rows).
Data older than ${STALE_INTERVALS} polling intervals is marked <em>stale</em>; data past a source's max staleness is left out, as on /metrics.</div></footer>
</body></html>
`;
  return page.value;
}

function problemsSection(ps: readonly Problem[]): Html {
  const body = ps.length
    ? html`<ul class="problems">${ps.map((p) => problemItem(p))}</ul>`
    : html`<div class="allclear">No active problems.</div>`;
  return html`<section id="problems" aria-labelledby="h-problems"><h2 id="h-problems">Active problems${ps.length ? ` (${ps.length})` : ''}</h2>${body}</section>`;
}

/** The badge tone reuses the balance levels' colours: critical red, warning amber, info grey. */
const SEVERITY_TONE: Readonly<Record<Problem['severity'], string>> = {
  critical: 'critical',
  warning: 'low',
  info: 'unknown',
};
const severityBadge = (s: Problem['severity']) => badge(SEVERITY_TONE[s], s.charAt(0).toUpperCase() + s.slice(1));
const problemItem = (p: Problem) =>
  html`<li class="${p.severity}">${severityBadge(p.severity)}<span>${p.text}</span></li>`;

function billingSection(accounts: readonly BillingAccountView[]): Html {
  if (accounts.length === 0) return html``;
  return html`<section id="billing" aria-labelledby="h-billing"><h2 id="h-billing">Messaging credit</h2>${accounts.map(account)}</section>`;
}

const LEVEL_WORD: Readonly<Record<string, string>> = {
  ok: 'OK',
  low: 'Low',
  critical: 'Critical',
  empty: 'Empty',
  unknown: 'Unknown',
};

function account(a: BillingAccountView): Html {
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
<div class="row"><h3>${a.name}</h3>${badge(a.severity === null ? a.level : SEVERITY_TONE[a.severity], LEVEL_WORD[a.level])}</div>
<div class="sub">${a.provider} · ${age(a.freshness)}</div>
<div class="big balance">${b ? fmtMoney(b) : 'balance unknown'}</div>
${b ? bar(b.amount / top, toneOf(a.level), `Balance ${fmtMoney(b)}; ${thresholds || 'no thresholds'}`, marks) : ''}
<div class="sub">${thresholds ? `Alert thresholds: ${thresholds}` : 'No alert thresholds configured'}</div>
<dl class="kv"><dt>Runway</dt><dd class="runway">${r.days !== null ? html`<strong>${r.days === 0 ? 'empty' : `about ${fmtDays(r.days)}`}</strong>` : 'unknown'}${r.spendPerDay ? ` · spending ${fmtMoney(r.spendPerDay)} per day` : ''}<br><span class="sub">${r.note}</span></dd></dl>
${actions(a)}
</div>
${a.statement ? statement(a) : html`<div class="acct-side sub">No credit statement configured for this account.</div>`}
</article>`;
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
