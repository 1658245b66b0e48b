import { SEVERITIES } from '../../policy/index.js';
import type { Page } from '../api/paging.js';
import type { PhoneNumberItem } from '../api/phone-numbers.js';
import type { ProblemsPage } from '../api/problems.js';
import { fmtInt } from './format.js';
import { html, type Html } from './html.js';
import { frameOf, layout, pager } from './layout.js';
import type { BillingAccountView, BusinessView, Overview, WabaView } from './model.js';
import { PAGE } from './problems.js';
import { KIND_WORD, problemItem } from './render-summary.js';
import { accountsTable, businessesTable, phonesTable, type PhoneRow } from './render-tables.js';

/** List pages sit at /<list>: the root is this page's own directory. */
const ROOT = '';

const phoneRow = (i: PhoneNumberItem): PhoneRow => ({
  id: i.phone_number_id,
  displayNumber: i.display_phone_number,
  verifiedName: i.verified_name,
  quality: i.quality_rating,
  status: i.status,
  health: i.health,
  waba: { id: i.waba_id, name: i.waba_name },
});

const showing = (p: Page<unknown>, cursor: boolean) =>
  html`<p class="sub count">${fmtInt(p.total)} in all${p.items.length < p.total ? `; ${cursor ? 'this page shows' : 'showing the first'} ${fmtInt(p.items.length)}` : ''}</p>`;

/** Links that narrow the list; the active one is marked. */
function chips(
  path: string,
  key: string,
  values: readonly string[],
  active: Record<string, string>,
  word = (v: string) => v,
): Html {
  const link = (v: string | undefined) => {
    const q = new URLSearchParams(Object.entries(active).filter(([k]) => k !== key));
    if (v !== undefined) q.set(key, v);
    const s = q.toString();
    return `${path}${s ? `?${s}` : ''}`;
  };
  return html`<div class="chips">${[undefined, ...values].map((v) => html`<a class="chip${active[key] === v || (v === undefined && active[key] === undefined) ? ' on' : ''}" href="${link(v)}">${v === undefined ? 'all' : word(v)}</a>`)}</div>`;
}

export function renderProblemsList(o: Overview, p: ProblemsPage, f: Record<string, string>, cursor: boolean): string {
  const kinds = Object.keys(p.counts.kind) as Array<keyof typeof KIND_WORD>;
  const body = html`${chips('problems', 'kind', kinds, f, (k) => `${KIND_WORD[k as keyof typeof KIND_WORD] ?? k} ${p.counts.kind[k] ?? 0}`)}
${chips('problems', 'severity', SEVERITIES, f, (s) => `${s} ${p.counts.severity[s] ?? 0}`)}
${f.business_id ? html`<p class="sub">In portfolio <a href="${PAGE.business(f.business_id)}">${f.business_id}</a> · <a href="problems">all portfolios</a></p>` : ''}
${showing(p, cursor)}
${p.items.length ? html`<ul class="problems">${p.items.map((x) => problemItem(x, ROOT))}</ul>` : html`<div class="allclear">No active problems here.</div>`}
${pager(ROOT, 'problems', f, p.next_cursor)}`;
  const what = f.kind ? KIND_WORD[f.kind as keyof typeof KIND_WORD] : undefined;
  return layout(
    frameOf(o),
    { title: `Problems${what ? `: ${what}` : ''}`, root: ROOT, json: `api/v1/problems?${new URLSearchParams(f)}` },
    body,
  );
}

export function renderPhonesList(
  o: Overview,
  p: Page<PhoneNumberItem>,
  f: Record<string, string>,
  cursor: boolean,
): string {
  const body = html`${chips('phone-numbers', 'quality', ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'], f)}
${showing(p, cursor)}
<div class="card">${phonesTable(p.items.map(phoneRow), ROOT)}</div>
${pager(ROOT, 'phone-numbers', f, p.next_cursor)}`;
  const title = f.q ? `Numbers matching “${f.q}”` : 'Phone numbers';
  return layout(
    frameOf(o),
    { title, root: ROOT, q: f.q, json: `api/v1/phone-numbers?${new URLSearchParams(f)}` },
    body,
  );
}

export function renderBusinessesList(o: Overview, p: Page<BusinessView>, cursor: boolean): string {
  const body = html`${showing(p, cursor)}<div class="card">${businessesTable(p.items, ROOT)}</div>${pager(ROOT, 'businesses', {}, p.next_cursor)}`;
  return layout(frameOf(o), { title: 'Business portfolios', root: ROOT, json: 'api/v1/businesses' }, body);
}

export function renderAccountsList(o: Overview, p: Page<BillingAccountView>, cursor: boolean): string {
  const body = html`${showing(p, cursor)}<div class="card">${accountsTable(p.items, ROOT)}</div>${pager(ROOT, 'accounts', {}, p.next_cursor)}`;
  return layout(frameOf(o), { title: 'Messaging credit accounts', root: ROOT, json: 'api/v1/accounts' }, body);
}

export interface SearchResults {
  readonly q: string;
  readonly phones: Page<PhoneNumberItem>;
  readonly businesses: readonly BusinessView[];
  readonly wabas: ReadonlyArray<{ readonly waba: WabaView; readonly business: BusinessView }>;
  readonly accounts: readonly BillingAccountView[];
}

/** Results per kind on the search page before "all …" (the numbers have their own paged list). */
export const SEARCH_ROWS = 50;

export function renderSearch(o: Overview, r: SearchResults): string {
  const q = new URLSearchParams({ q: r.q }).toString();
  const none = r.phones.total + r.businesses.length + r.wabas.length + r.accounts.length === 0;
  const body = none
    ? html`<div class="card">Nothing matches. Search by a number (any formatting: digits are compared), a verified name, or a WABA, portfolio or phone number id, or an account name.</div>`
    : html`${
        r.phones.total
          ? html`<section id="found-numbers"><h3>Phone numbers (${fmtInt(r.phones.total)})</h3><div class="card">${phonesTable(r.phones.items.map(phoneRow), ROOT)}${r.phones.next_cursor ? html`<a href="phone-numbers?${q}">All ${fmtInt(r.phones.total)} numbers</a>` : ''}</div></section>`
          : ''
      }
${r.businesses.length ? html`<section id="found-businesses"><h3>Portfolios (${fmtInt(r.businesses.length)})</h3><div class="card">${businessesTable(r.businesses.slice(0, SEARCH_ROWS), ROOT)}</div></section>` : ''}
${r.wabas.length ? html`<section id="found-wabas"><h3>WhatsApp Business Accounts (${fmtInt(r.wabas.length)})</h3><ul class="plain">${r.wabas.slice(0, SEARCH_ROWS).map(({ waba, business }) => html`<li><a href="${PAGE.waba(waba.id)}">${waba.name || waba.id}</a> <span class="sub mono">${waba.id}</span> <span class="sub">in ${business.name || business.id}, ${fmtInt(waba.phones.length)} numbers</span></li>`)}</ul></section>` : ''}
${r.accounts.length ? html`<section id="found-accounts"><h3>Credit accounts (${fmtInt(r.accounts.length)})</h3><div class="card">${accountsTable(r.accounts.slice(0, SEARCH_ROWS), ROOT)}</div></section>` : ''}`;
  return layout(frameOf(o), { title: `Search: ${r.q}`, root: ROOT, q: r.q, json: `api/v1/phone-numbers?${q}` }, body);
}
