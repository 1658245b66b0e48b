import { compareProblems } from './summary.js';
import { fmtInt, fmtTime } from './format.js';
import { iso } from './freshness.js';
import type { PhoneChange } from './history.js';
import { html, type Html } from './html.js';
import { frameOf, layout } from './layout.js';
import type { BusinessView, Overview, Problem, WabaView } from './model.js';
import { badge, qualityBadge } from './parts.js';
import { PAGE } from './problems.js';
import { limit, templates, waba as wabaCard } from './render-accounts.js';
import { account } from './render-billing.js';
import { frequencyCapSection } from './render-cap.js';
import { problemItem } from './render-summary.js';
import { accountsTable, businessesTable, phonesTable } from './render-tables.js';

/** Detail pages sit at /<kind>/<id>: one level below the root. */
const ROOT = '../';
/** Problems listed on a detail page before the link to the rest. */
const DETAIL_PROBLEMS = 20;
/** Rows of a table on a detail page (a portfolio's WABAs and numbers, a WABA's numbers); past it, a link to the paged list. */
const DETAIL_ROWS = 200;

export function renderNotFound(o: Overview, what: string, root: string): string {
  return layout(
    frameOf(o),
    { title: 'Not found', root },
    html`<div class="card">No ${what} in the exporter's current snapshot. It may not be polled (yet), or its data is older than its max staleness. <a href="${root || './'}">Back to the summary</a></div>`,
  );
}

function problemsFor(ps: readonly Problem[], more: string | null): Html {
  const sorted = [...ps].sort(compareProblems);
  const shown = sorted.slice(0, DETAIL_PROBLEMS);
  return html`<section class="detail-problems" aria-label="Problems"><h3>Problems${ps.length ? ` (${fmtInt(ps.length)})` : ''}</h3>${
    ps.length
      ? html`<ul class="problems">${shown.map((p) => problemItem(p, ROOT))}</ul>${more && ps.length > shown.length ? html`<a href="${ROOT}${more}">All ${fmtInt(ps.length)}</a>` : ''}`
      : html`<div class="allclear">No active problems.</div>`
  }</section>`;
}

export function renderBusiness(o: Overview, b: BusinessView): string {
  const wabaIds = new Set(b.wabas.map((w) => w.id));
  const payers = o.billing.filter((a) => a.businessIds.includes(b.id) || a.wabaIds.some((w) => wabaIds.has(w)));
  const phones = b.wabas.flatMap((w) =>
    w.phones.map((p) => ({ ...p, displayNumber: p.displayNumber, waba: { id: w.id, name: w.name } })),
  );
  const body = html`<div class="sub mono">Business portfolio ${b.id}</div>
<div class="grid detail"><div class="card limit">${limit(b.limit)}</div>${frequencyCapSection(o, b)}</div>
${problemsFor(
  o.problems.filter((p) => p.business_id === b.id),
  `problems?business_id=${encodeURIComponent(b.id)}`,
)}
<section><h3>Paid for by</h3>${payers.length ? html`<div class="card">${accountsTable(payers, ROOT)}</div>` : html`<div class="sub">No billing account declares this portfolio or one of its WABAs (<span class="mono">business_ids</span>, <span class="mono">waba_ids</span>).</div>`}</section>
<section><h3>WhatsApp Business Accounts (${fmtInt(b.wabas.length)})</h3><div class="card">${wabasTable(b.wabas.slice(0, DETAIL_ROWS))}${b.wabas.length > DETAIL_ROWS ? html`<div class="sub">The first ${DETAIL_ROWS}; all of them: <a href="${ROOT}api/v1/wabas?business_id=${encodeURIComponent(b.id)}">api/v1/wabas?business_id=${b.id}</a></div>` : ''}</div></section>
<section><h3>Phone numbers (${fmtInt(phones.length)})</h3><div class="card">${
    phones.length > DETAIL_ROWS
      ? html`${phonesTable(phones.slice(0, DETAIL_ROWS), ROOT)}<a href="${ROOT}phone-numbers?business_id=${encodeURIComponent(b.id)}">All ${fmtInt(phones.length)} numbers</a>`
      : phonesTable(phones, ROOT)
  }</div></section>`;
  return layout(frameOf(o), { title: b.name || `Portfolio ${b.id}`, root: ROOT }, body);
}

function wabasTable(ws: readonly WabaView[]): Html {
  return html`<div class="scroll"><table class="stack wabas"><thead><tr><th>WABA</th><th>Review</th><th class="num">Numbers</th><th class="num">Not GREEN</th><th class="num">Templates</th><th class="num">Paused</th></tr></thead><tbody>
${ws.map((w) => html`<tr data-waba="${w.id}"><td data-label="WABA"><a href="${ROOT}${PAGE.waba(w.id)}">${w.name || w.id}</a><div class="sub mono">${w.id}</div></td><td data-label="Review">${badge(w.reviewStatus)}</td><td data-label="Numbers" class="num">${fmtInt(w.phones.length)}</td><td data-label="Not GREEN" class="num">${fmtInt(w.phones.filter((p) => p.quality !== 'GREEN').length)}</td><td data-label="Templates" class="num">${w.templates ? fmtInt(w.templates.total) : '–'}</td><td data-label="Paused" class="num">${fmtInt(w.templates?.byStatus.PAUSED ?? 0)}</td></tr>`)}
</tbody></table></div>`;
}

export function renderWaba(o: Overview, b: BusinessView, w: WabaView): string {
  const mine = new Set(w.phones.map((p) => PAGE.phone(p.id)));
  mine.add(PAGE.waba(w.id));
  const body = html`<div class="sub">In portfolio <a href="${ROOT}${PAGE.business(b.id)}">${b.name || b.id}</a></div>
${problemsFor(
  o.problems.filter((p) => p.href !== null && mine.has(p.href)),
  null,
)}
${wabaCard(w.phones.length > DETAIL_ROWS ? { ...w, phones: w.phones.slice(0, DETAIL_ROWS) } : w, ROOT)}
${w.phones.length > DETAIL_ROWS ? html`<div class="sub">The first ${DETAIL_ROWS} of ${fmtInt(w.phones.length)} numbers: <a href="${ROOT}phone-numbers?waba_id=${encodeURIComponent(w.id)}">all of them</a></div>` : ''}`;
  return layout(frameOf(o), { title: w.name || `WABA ${w.id}`, root: ROOT }, body);
}

export function renderPhone(
  o: Overview,
  b: BusinessView,
  w: WabaView,
  id: string,
  changes: readonly PhoneChange[],
): string {
  const p = w.phones.find((x) => x.id === id);
  if (!p) return renderNotFound(o, 'such number', ROOT);
  const l = b.limit;
  const body = html`<div class="grid detail"><div class="card">
<dl class="kv phone-facts"><dt>Verified name</dt><dd>${p.verifiedName}</dd>
<dt>Phone number id</dt><dd class="mono">${p.id}</dd>
<dt>Quality</dt><dd data-value="quality">${qualityBadge(p.quality)}</dd>
<dt>Status</dt><dd>${badge(p.status)}</dd>
<dt>Health</dt><dd>${badge(p.health)}</dd>
<dt>Name status</dt><dd>${p.nameStatus ?? '–'}</dd>
<dt>Throughput</dt><dd>${p.throughput ?? '–'}</dd>
<dt>Account mode</dt><dd>${p.accountMode ?? '–'}</dd>
<dt>Certificate</dt><dd>${p.unifiedCertStatus ?? '–'}</dd>
<dt>Two-step verification</dt><dd>${p.codeVerificationStatus ?? '–'}</dd>
<dt>Platform</dt><dd>${p.hostPlatform ?? '–'}</dd>
<dt>Official business account</dt><dd>${p.officialBusinessAccount === null || p.officialBusinessAccount === undefined ? '–' : p.officialBusinessAccount ? 'yes' : 'no'}</dd>
<dt>WABA</dt><dd><a href="${ROOT}${PAGE.waba(w.id)}">${w.name || w.id}</a></dd>
<dt>Portfolio</dt><dd><a href="${ROOT}${PAGE.business(b.id)}">${b.name || b.id}</a></dd>
<dt>Customers 24 h</dt><dd data-value="recipients">${p.recipients24h === null ? 'unknown (no webhook feed)' : `${fmtInt(p.recipients24h)} unique recipients from this number`}</dd></dl></div>
<div class="card limit">${limit(l)}<div class="sub">The messaging limit is the portfolio's, shared by all its numbers.</div></div></div>
${problemsFor(
  o.problems.filter((x) => x.href === PAGE.phone(p.id)),
  null,
)}
<section class="card" id="history"><h3>Recent changes</h3>${
    changes.length
      ? html`<table class="stack changes"><thead><tr><th>When</th><th>What</th><th>From</th><th>To</th></tr></thead><tbody>${changes.map((c) => html`<tr><td data-label="When"><time datetime="${iso(c.at) ?? ''}">${fmtTime(iso(c.at))}</time></td><td data-label="What">${c.field}</td><td data-label="From">${c.field === 'quality' ? qualityBadge(c.from) : badge(c.from)}</td><td data-label="To">${c.field === 'quality' ? qualityBadge(c.to) : badge(c.to)}</td></tr>`)}</tbody></table>`
      : html`<div class="sub">No change of quality or status seen since the exporter started (Meta keeps no history the API returns; the exporter remembers what its refreshes saw).</div>`
  }</section>
<section class="card" id="templates"><h3>Templates of its WABA</h3>${w.templates ? templates(w.templates) : html`<div class="sub">No template data.</div>`}</section>`;
  return layout(frameOf(o), { title: p.displayNumber || p.id, root: ROOT }, body);
}

export function renderAccount(o: Overview, name: string): string {
  const a = o.billing.find((x) => x.name === name);
  if (!a) return renderNotFound(o, 'such billing account', ROOT);
  const known = new Map(o.businesses.map((b) => [b.id, b]));
  const paid = a.businessIds.flatMap((id) => known.get(id) ?? []);
  const missing = a.businessIds.filter((id) => !known.has(id));
  const wabaById = new Map(o.businesses.flatMap((b) => b.wabas.map((w) => [w.id, w] as const)));
  const body = html`${account(a)}
${problemsFor(
  o.problems.filter((p) => p.href === PAGE.account(a.name)),
  null,
)}
<section><h3>Portfolios it pays for</h3>${
    a.businessIds.length
      ? html`<div class="card">${businessesTable(paid, ROOT)}${missing.length ? html`<div class="sub">Not in the snapshot: ${missing.join(', ')}</div>` : ''}</div>`
      : html`<div class="sub">This account declares no <span class="mono">business_ids</span>.</div>`
  }</section>
${
  a.wabaIds.length
    ? html`<section><h3>WABAs it pays for</h3><ul class="plain">${a.wabaIds.map((id) => {
        const w = wabaById.get(id);
        return html`<li>${w ? html`<a href="${ROOT}${PAGE.waba(id)}">${w.name || id}</a> <span class="sub">${fmtInt(w.phones.length)} numbers</span>` : html`<span class="mono">${id}</span> <span class="sub">not in the snapshot</span>`}</li>`;
      })}</ul></section>`
    : ''
}`;
  return layout(frameOf(o), { title: `Credit: ${a.name}`, root: ROOT }, body);
}
