import { fmtDays, fmtInt, fmtMoney, tierWord } from './format.js';
import { html, type Html } from './html.js';
import type { BillingAccountView, BusinessView, PhoneView } from './model.js';
import { badge, qualityBadge } from './parts.js';
import { PAGE } from './problems.js';
import { LEVEL_WORD, SEVERITY_TONE } from './render-billing.js';

/** A number as the tables show it: the view model's fields, and its WABA when the rows span WABAs. */
export type PhoneRow = Pick<PhoneView, 'id' | 'displayNumber' | 'verifiedName' | 'quality' | 'status' | 'health'> & {
  readonly waba?: { readonly id: string; readonly name: string };
};

/** Numbers, each linking to its page; the WABA column when the rows span WABAs. */
export function phonesTable(rows: readonly PhoneRow[], root: string): Html {
  const wabas = rows.some((r) => r.waba);
  return html`<div class="scroll"><table class="stack phones"><thead><tr><th>Number</th><th>Verified name</th>${wabas ? html`<th>WABA</th>` : ''}<th>Quality</th><th>Status</th><th>Health</th></tr></thead><tbody>
${rows.map((p) => html`<tr data-phone="${p.id}"><td data-label="Number" class="mono"><a href="${root}${PAGE.phone(p.id)}">${p.displayNumber || p.id}</a></td><td data-label="Verified name">${p.verifiedName}</td>${wabas ? html`<td data-label="WABA">${p.waba ? html`<a href="${root}${PAGE.waba(p.waba.id)}">${p.waba.name || p.waba.id}</a>` : '–'}</td>` : ''}<td data-label="Quality">${qualityBadge(p.quality)}</td><td data-label="Status">${badge(p.status)}</td><td data-label="Health">${badge(p.health)}</td></tr>`)}
${rows.length === 0 ? html`<tr><td colspan="6" class="sub">No phone numbers</td></tr>` : ''}
</tbody></table></div>`;
}

const phonesOf = (b: BusinessView) => b.wabas.reduce((n, w) => n + w.phones.length, 0);
const countQuality = (b: BusinessView, q: string) =>
  b.wabas.reduce((n, w) => n + w.phones.filter((p) => p.quality === q).length, 0);

/** Portfolios: name, size, messaging limit and its use, numbers not GREEN. */
export function businessesTable(bs: readonly BusinessView[], root: string): Html {
  return html`<div class="scroll"><table class="stack businesses"><thead><tr><th>Portfolio</th><th class="num">WABAs</th><th class="num">Numbers</th><th>Limit</th><th class="num">Used 24 h</th><th class="num">RED</th><th class="num">YELLOW</th></tr></thead><tbody>
${bs.map((b) => {
  const l = b.limit;
  const used =
    l.usageRatio === null ? (l.usage === null ? '–' : fmtInt(l.usage)) : `${Math.round(l.usageRatio * 100)}%`;
  return html`<tr data-business="${b.id}"><td data-label="Portfolio"><a href="${root}${PAGE.business(b.id)}">${b.name || b.id}</a>${b.name ? html`<div class="sub mono">${b.id}</div>` : ''}</td><td data-label="WABAs" class="num">${fmtInt(b.wabas.length)}</td><td data-label="Numbers" class="num">${fmtInt(phonesOf(b))}</td><td data-label="Limit">${l.tier ? tierWord(l.tier) : '–'}</td><td data-label="Used 24 h" class="num">${used}</td><td data-label="RED" class="num">${fmtInt(countQuality(b, 'RED'))}</td><td data-label="YELLOW" class="num">${fmtInt(countQuality(b, 'YELLOW'))}</td></tr>`;
})}
${bs.length === 0 ? html`<tr><td colspan="7" class="sub">No business portfolios seen yet</td></tr>` : ''}
</tbody></table></div>`;
}

/** Credit accounts: balance, state, runway, and the top-up link where there is one. */
export function accountsTable(as: readonly BillingAccountView[], root: string): Html {
  return html`<div class="scroll"><table class="stack accounts"><thead><tr><th>Account</th><th class="num">Balance</th><th>State</th><th>Runway</th><th>Pays for</th><th></th></tr></thead><tbody>
${as.map((a) => {
  const r = a.runway.days;
  return html`<tr data-account="${a.name}"><td data-label="Account"><a href="${root}${PAGE.account(a.name)}">${a.name}</a><div class="sub">${a.provider}</div></td><td data-label="Balance" class="num balance">${a.balance ? fmtMoney(a.balance) : 'unknown'}</td><td data-label="State">${badge(a.severity === null ? a.level : SEVERITY_TONE[a.severity], LEVEL_WORD[a.level])}</td><td data-label="Runway">${r === null ? '–' : r === 0 ? 'empty' : `about ${fmtDays(r)}`}</td><td data-label="Pays for">${a.businessIds.length ? `${fmtInt(a.businessIds.length)} portfolio${a.businessIds.length === 1 ? '' : 's'}` : '–'}</td><td data-label="">${a.links.topUp ? html`<a class="btn primary" href="${a.links.topUp}" rel="noopener noreferrer" target="_blank">Add credits</a>` : ''}</td></tr>`;
})}
${as.length === 0 ? html`<tr><td colspan="6" class="sub">No billing accounts configured</td></tr>` : ''}
</tbody></table></div>`;
}
