import { fmtDays, fmtInt } from './format.js';
import { html, type Html } from './html.js';
import type { Problem } from './model.js';
import { severityBadge } from './render-billing.js';
import type { ProblemGroup, Summary } from './summary.js';

/** What each kind of problem is called on the page. */
export const KIND_WORD: Readonly<Record<Problem['kind'], string>> = {
  balance: 'Credit balance',
  runway: 'Credit runway',
  phone: 'Phone numbers',
  waba: 'WhatsApp Business Accounts',
  limit: 'Messaging limits',
  template: 'Templates',
  token: 'Access tokens',
  source: 'Data sources',
  exporter: 'Exporter',
};

const QUALITY_ORDER = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'];

/**
 * One count on the summary: a number, what it counts, a tone, and where to see the items. A zero
 * is left out, so the summary of a fleet with little to say is short.
 */
function tile(label: string, n: number, tone: 'ok' | 'warn' | 'crit' | 'unk', href?: string, id?: string): Html {
  if (n === 0) return html``;
  const value = html`<span class="n">${fmtInt(n)}</span><span class="l">${label}</span>`;
  return href
    ? html`<a class="tile t-${n === 0 ? 'unk' : tone}" href="${href}"${id ? html` data-count="${id}"` : ''}>${value}</a>`
    : html`<span class="tile t-${n === 0 ? 'unk' : tone}"${id ? html` data-count="${id}"` : ''}>${value}</span>`;
}

/** A card's tiles, or a line saying there is nothing to count. */
const tiles = (inner: Html, nothing = 'none') =>
  inner.value.trim() ? html`<div class="tiles">${inner}</div>` : html`<div class="sub none">${nothing}</div>`;

/** The counts first: numbers, portfolios, credit, templates, tokens, data (each a small card). */
export function summarySection(s: Summary, root: string): Html {
  const q = s.numbers.byQuality;
  const qualities = [
    ...QUALITY_ORDER,
    ...Object.keys(q)
      .filter((k) => !QUALITY_ORDER.includes(k))
      .sort(),
  ];
  const tone = (k: string) => (k === 'GREEN' ? 'ok' : k === 'YELLOW' ? 'warn' : k === 'RED' ? 'crit' : 'unk');
  const a = s.accounts;
  const src = s.sources.byState;
  const problemsOf = (kind: Problem['kind']) => `${root}problems?kind=${kind}`;
  return html`<section id="summary" aria-labelledby="h-summary"><h2 id="h-summary" class="vh">Summary</h2><div class="summary">
<div class="card sum" data-summary="numbers"><div class="row"><strong>${fmtInt(s.numbers.total)} phone number${s.numbers.total === 1 ? '' : 's'}</strong><a href="${root}phone-numbers">all</a></div>
${tiles(html`${qualities.map((k) => tile(k, q[k] ?? 0, tone(k), QUALITY_ORDER.includes(k) ? `${root}phone-numbers?quality=${encodeURIComponent(k)}` : undefined, `quality-${k}`))}${tile('status alert', s.numbers.statusAlerting, 'crit', problemsOf('phone'), 'status-alert')}`)}</div>
<div class="card sum" data-summary="portfolios"><div class="row"><strong>${fmtInt(s.portfolios.total)} portfolio${s.portfolios.total === 1 ? '' : 's'}</strong><a href="${root}businesses">all</a></div>
${tiles(html`${tile('at the limit', s.portfolios.byLimit.critical, 'crit', problemsOf('limit'), 'limit-critical')}${tile('near the limit', s.portfolios.byLimit.warning, 'warn', problemsOf('limit'), 'limit-warning')}${tile('under the limit', s.portfolios.byLimit.ok, 'ok', undefined, 'limit-ok')}${tile('usage unknown', s.portfolios.byLimit.unknown, 'unk', undefined, 'limit-unknown')}`)}</div>
<div class="card sum" data-summary="accounts"><div class="row"><strong>${fmtInt(a.total)} credit account${a.total === 1 ? '' : 's'}</strong><a href="${root}accounts">all</a></div>
${tiles(html`${tile('empty', a.byLevel.empty, 'crit', problemsOf('balance'), 'balance-empty')}${tile('critical', a.byLevel.critical, 'crit', problemsOf('balance'), 'balance-critical')}${tile('low', a.byLevel.low, 'warn', problemsOf('balance'), 'balance-low')}${tile('runway short', a.runwayShort, 'warn', problemsOf('runway'), 'runway-short')}${tile('balance OK', a.byLevel.ok, 'ok', undefined, 'balance-ok')}${tile('balance unknown', a.byLevel.unknown, 'unk', undefined, 'balance-unknown')}`)}
${a.shortestRunway ? html`<div class="sub">Shortest runway: <a href="${root}accounts/${encodeURIComponent(a.shortestRunway.name)}">${a.shortestRunway.name}</a>, ${a.shortestRunway.days === 0 ? 'empty' : `about ${fmtDays(a.shortestRunway.days)}`}</div>` : ''}</div>
<div class="card sum" data-summary="other"><div class="row"><strong>Templates, tokens, data</strong></div>
${tiles(html`${tile('templates paused', s.templates.paused, 'warn', problemsOf('template'), 'templates-paused')}${tile('templates disabled', s.templates.disabled, 'crit', problemsOf('template'), 'templates-disabled')}${tile('tokens expiring', s.tokens.expiring, 'warn', problemsOf('token'), 'tokens-expiring')}${tile('tokens invalid', s.tokens.invalid, 'crit', problemsOf('token'), 'tokens-invalid')}${tile('source problems', s.sources.alerting, 'crit', problemsOf('source'), 'source-problems')}`, 'no paused templates, expiring tokens or source problems')}
<div class="sub">${fmtInt(src.ok)} of ${fmtInt(s.sources.total)} polled targets up to date${src.pending ? `, ${fmtInt(src.pending)} not polled yet` : ''}</div></div>
</div></section>`;
}

/** Problems by kind, each with its count and its worst few, linking to the full list. */
export function problemGroupsSection(groups: readonly ProblemGroup[], total: number, root: string): Html {
  if (groups.length === 0)
    return html`<section id="problems" aria-labelledby="h-problems"><h2 id="h-problems">Active problems</h2><div class="allclear">No active problems.</div></section>`;
  return html`<section id="problems" aria-labelledby="h-problems"><h2 id="h-problems">Active problems (${fmtInt(total)})</h2>
${groups.map(
  (
    g,
  ) => html`<div class="group" data-kind="${g.kind}"><div class="row"><h3>${KIND_WORD[g.kind]} <span class="sub">${fmtInt(g.count)}${severityCounts(g)}</span></h3><a class="all" href="${root}problems?kind=${g.kind}">${g.count > g.worst.length ? `Show all ${fmtInt(g.count)}` : 'Show as a list'}</a></div>
<ul class="problems">${g.worst.map((p) => problemItem(p, root))}</ul></div>`,
)}</section>`;
}

function severityCounts(g: ProblemGroup): string {
  const parts = Object.entries(g.bySeverity).map(([s, n]) => `${fmtInt(n)} ${s}`);
  return parts.length > 1 ? ` (${parts.join(', ')})` : '';
}

export const problemItem = (p: Problem, root: string) =>
  html`<li class="${p.severity}" data-problem="${p.id}">${severityBadge(p.severity)}<span>${p.href ? html`<a href="${root}${p.href}">${p.text}</a>` : p.text}${p.impact !== null && p.impact > 0 ? html` <span class="sub">· ${fmtInt(p.impact)} ${p.kind === 'balance' || p.kind === 'runway' ? 'numbers' : 'customers in 24 h'}</span>` : ''}</span></li>`;
