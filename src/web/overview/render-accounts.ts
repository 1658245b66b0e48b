import { fmtDays, fmtDuration, fmtInt, fmtMoney, fmtPrice, fmtTime, tierWord } from './format.js';
import { describeAge, REASON_WORDS } from './freshness.js';
import { html, type Html } from './html.js';
import type {
  BusinessView,
  LimitView,
  RateCardView,
  SourceFreshness,
  TemplatesView,
  TokenView,
  WabaView,
} from './model.js';
import { limitSeverity } from '../../policy/index.js';
import { age, badge, bar, qualityBadge } from './parts.js';
import { PAGE } from './problems.js';

export function businessesSection(bs: readonly BusinessView[], root: string): Html {
  if (bs.length === 0)
    return html`<section id="accounts"><h2>Phone numbers</h2><div class="card sub">No WhatsApp Business Accounts seen yet.</div></section>`;
  return html`<section id="accounts" aria-labelledby="h-accounts"><h2 id="h-accounts">Businesses and phone numbers</h2>${bs.map((b) => business(b, root))}</section>`;
}

function business(b: BusinessView, root: string): Html {
  const title = b.name
    ? html`${b.name} <span class="sub mono">${b.id}</span>`
    : `Business portfolio ${b.id || '(unknown id)'}`;
  return html`<div class="business" data-business="${b.id}"><div class="head">
<div><h3><a href="${root}${PAGE.business(b.id)}">${title}</a></h3><div class="sub">${b.wabas.length} WhatsApp Business Account${b.wabas.length === 1 ? '' : 's'}</div></div>
<div class="card limit">${limit(b.limit)}</div></div>
${b.wabas.map((w) => waba(w, root))}</div>`;
}

export function limit(l: LimitView): Html {
  const head = html`<div class="row"><strong>Messaging limit</strong><span>${l.tier ? badge('APPROVED', tierWord(l.tier)) : badge('unknown', 'unknown')}</span></div>`;
  const cap = l.unlimited
    ? 'unlimited unique customers per 24 h'
    : l.limit !== null
      ? `${fmtInt(l.limit)} unique customers per rolling 24 h`
      : 'limit not known yet';
  if (l.usage === null)
    return html`${head}<div class="sub">${cap}</div><div class="sub usage"><em>24 h usage unknown — enable webhooks</em> (Meta has no API for it; the exporter counts delivered business-initiated messages)</div>`;
  if (l.limit === null)
    return html`${head}<div class="sub">${cap}</div><div class="usage">${fmtInt(l.usage)} unique customers in the last 24 h</div>`;
  const ratio = l.usageRatio ?? 0;
  const severity = limitSeverity(ratio);
  const tone = severity === 'critical' ? 'crit' : severity === null ? 'ok' : 'warn';
  const text = `${fmtInt(l.usage)} of ${fmtInt(l.limit)} used in the last 24 h (${Math.round(ratio * 100)}%)`;
  return html`${head}${bar(ratio, tone, text)}<div class="row usage"><span>${text}</span><span class="sub">${cap}</span></div>`;
}

export function waba(w: WabaView, root: string): Html {
  return html`<article class="card waba" data-waba="${w.id}">
<div class="row"><h3><a href="${root}${PAGE.waba(w.id)}">${w.name || w.id}</a></h3><span class="sub">WABA <span class="mono">${w.id}</span> · ${w.currency}${w.reviewStatus ? html` · review ${badge(w.reviewStatus)}` : ''} · ${age(w.freshness)}</span></div>
<div class="scroll"><table class="stack phones"><thead><tr><th>Number</th><th>Verified name</th><th>Quality</th><th>Status</th><th>Health</th><th>Throughput</th></tr></thead><tbody>
${w.phones.map((p) => html`<tr data-phone="${p.id}"><td data-label="Number" class="mono"><a href="${root}${PAGE.phone(p.id)}">${p.displayNumber}</a></td><td data-label="Verified name">${p.verifiedName}</td><td data-label="Quality">${qualityBadge(p.quality)}</td><td data-label="Status">${badge(p.status)}</td><td data-label="Health">${badge(p.health)}</td><td data-label="Throughput">${p.throughput ?? '–'}</td></tr>`)}
${w.phones.length === 0 ? html`<tr><td colspan="6" class="sub">No phone numbers</td></tr>` : ''}
</tbody></table></div>
${w.templates ? templates(w.templates) : html`<div class="tpl sub">Templates: no data</div>`}
${w.metaCost24h ? html`<div class="sub">Meta's cost in the last 24 h (approximate): ${fmtMoney(w.metaCost24h)} for ${fmtInt(w.metaCost24h.billedMessages)} billed messages</div>` : ''}
</article>`;
}

export function templates(t: TemplatesView): Html {
  const counts = Object.entries(t.byStatus).sort(([a], [b]) => a.localeCompare(b));
  return html`<div class="tpl"><div class="row"><strong>Templates (${t.total})</strong>${age(t.freshness)}</div>
<div class="counts">${counts.map(([s, n]) => html`${badge(s, `${s} ${n}`)}`)}</div>
${
  t.attention.length
    ? html`<div class="scroll"><table class="stack templates"><thead><tr><th>Needs attention</th><th>Language</th><th>Category</th><th>Status</th><th>Quality</th></tr></thead><tbody>
${t.attention.map((x) => html`<tr><td data-label="Template" class="mono">${x.name}</td><td data-label="Language">${x.language}</td><td data-label="Category">${x.category ?? '–'}</td><td data-label="Status">${badge(x.status)}</td><td data-label="Quality">${x.quality ? qualityBadge(x.quality) : '–'}</td></tr>`)}
</tbody></table></div>`
    : html`<div class="sub">No paused, disabled or rejected templates.</div>`
}</div>`;
}

export function tokensSection(ts: readonly TokenView[]): Html {
  if (ts.length === 0) return html``;
  return html`<section id="tokens" aria-labelledby="h-tokens"><h2 id="h-tokens">Access tokens</h2><div class="card scroll"><table class="stack"><thead><tr><th>Credential</th><th>Valid</th><th>Expires</th></tr></thead><tbody>
${ts.map((t) => html`<tr><td data-label="Credential" class="mono">${t.credential}</td><td data-label="Valid">${t.valid ? badge('ok', 'valid') : badge('critical', 'invalid')}</td><td data-label="Expires">${t.neverExpires ? 'never' : t.expiresAt ? `${fmtTime(t.expiresAt)} (${t.expiresInDays !== null && t.expiresInDays > 0 ? `in ${fmtDays(t.expiresInDays)}` : 'expired'})` : 'unknown'}</td></tr>`)}
</tbody></table></div></section>`;
}

export function rateCardSection(rc: RateCardView | null): Html {
  if (!rc) return html``;
  // One currency (the usual case) goes into the title instead of a column on every row.
  const currencies = [...new Set(rc.rows.map((r) => r.currency))];
  const one = currencies.length === 1 ? currencies[0] : undefined;
  return html`<section id="rate-card" aria-labelledby="h-rate"><h2 id="h-rate">Rate card</h2><div class="card"><details open><summary>Price per delivered message${one ? ` (${one})` : ''}, ${rc.rows.length} markets</summary><div class="scroll"><table class="rates"><thead><tr><th>Market</th>${one ? '' : html`<th>Currency</th>`}${rc.categories.map((c) => html`<th class="num">${c.replace(/_/g, ' ')}</th>`)}</tr></thead><tbody>
${rc.rows.map((r) => html`<tr><td>${r.market}</td>${one ? '' : html`<td>${r.currency}</td>`}${rc.categories.map((c) => html`<td class="num">${r.prices[c] === null || r.prices[c] === undefined ? '–' : fmtPrice(r.prices[c])}</td>`)}</tr>`)}
</tbody></table></div></details></div></section>`;
}

const STATE_WORD: Readonly<Record<string, string>> = {
  ok: 'ok',
  pending: 'pending',
  failing: 'failing',
  throttled: 'throttled',
  stale: 'stale',
  dropped: 'dropped (too old)',
};

export function freshnessSection(ss: readonly SourceFreshness[], intro?: Html | string): Html {
  return html`<section id="freshness" aria-labelledby="h-fresh"><h2 id="h-fresh">Data freshness</h2>${intro ? html`<p class="sub">${intro}</p>` : ''}<div class="card scroll"><table class="sources"><thead><tr><th>Source</th><th>State</th><th>Last success</th><th class="wide">Interval</th><th class="wide">Last error</th></tr></thead><tbody>
${ss.map((s) => {
  const err = s.error
    ? `${REASON_WORDS[s.error.reason] ?? s.error.reason}${s.error.code !== null ? ` (code ${s.error.code})` : ''}`
    : null;
  return html`<tr data-source="${s.source}" data-target="${s.target}"><td><span class="mono">${s.source}</span><br><span class="sub mono">${s.target}</span>${err ? html`<div class="narrow sub">${err}</div>` : ''}</td><td>${badge(s.state, STATE_WORD[s.state])}</td><td><time datetime="${s.lastSuccess ?? ''}" title="${s.lastSuccess ?? 'never'}">${describeAge(s.ageSeconds)}</time></td><td class="wide">${fmtDuration(s.intervalSeconds)}</td><td class="wide">${err ?? '–'}</td></tr>`;
})}
${ss.length === 0 ? html`<tr><td colspan="5" class="sub">Nothing polled yet</td></tr>` : ''}
</tbody></table></div></section>`;
}
