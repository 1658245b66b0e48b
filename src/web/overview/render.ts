import { SEVERITIES } from '../../policy/index.js';
import { fmtInt } from './format.js';
import { html, type Html } from './html.js';
import { frameOf, layout } from './layout.js';
import type { BillingAccountView, BusinessView, Overview, SourceState } from './model.js';
import { account } from './render-billing.js';
import { frequencyCapSection } from './render-cap.js';
import { businessesSection, freshnessSection, rateCardSection, tokensSection } from './render-accounts.js';
import { problemGroupsSection, summarySection } from './render-summary.js';
import { accountsTable, businessesTable } from './render-tables.js';
import { PAGE } from './problems.js';
import { groupProblems, summarize } from './summary.js';

/**
 * Up to this size the summary is followed by the whole settings-page view (every number, every
 * account card), as a business with one number has always seen it. Above it the page shows
 * bounded tables and links to the paged lists: at 10,000 numbers the whole view is 7 MB of HTML.
 */
export const SMALL_FLEET = { numbers: 25, accounts: 5, sources: 40 } as const;
/** Rows of each bounded table on a fleet's summary page. */
export const HOME_ROWS = 20;

/** Pure: view model → the summary page at /. */
export function renderOverview(o: Overview): string {
  const s = summarize(o);
  const small =
    s.numbers.total <= SMALL_FLEET.numbers &&
    o.billing.length <= SMALL_FLEET.accounts &&
    o.sources.length <= SMALL_FLEET.sources;
  const tabPrefix = o.problems.length ? `(${o.problems.length}) ` : '';
  const body = html`${summarySection(s, '')}
${problemGroupsSection(groupProblems(o.problems), o.problems.length, '')}
${small ? smallFleet(o) : fleet(o)}`;
  return layout(frameOf(o), { title: 'Summary', tabPrefix, root: '', json: o.links.api, refresh: true }, body);
}

/** Today's settings page, whole. */
function smallFleet(o: Overview): Html {
  return html`${o.billing.length ? html`<section id="billing" aria-labelledby="h-billing"><h2 id="h-billing">Messaging credit</h2>${o.billing.map((a) => account(a, PAGE.account(a.name)))}</section>` : ''}
${frequencyCapSection(o, null)}
${businessesSection(o.businesses, '')}
${tokensSection(o.tokens)}
${rateCardSection(o.rateCard)}
${freshnessSection(o.sources)}`;
}

/** A fleet: the worst few of each list, then links to the paged lists. */
function fleet(o: Overview): Html {
  const accounts = [...o.billing].sort(worstAccount).slice(0, HOME_ROWS);
  const businesses = [...o.businesses].sort(busiest).slice(0, HOME_ROWS);
  const unhealthy = o.sources
    .filter((x) => x.state !== 'ok')
    .sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state));
  return html`<section id="billing" aria-labelledby="h-billing"><h2 id="h-billing">Messaging credit${more(accounts.length, o.billing.length, 'accounts')}</h2>
<div class="card">${accountsTable(accounts, '')}</div></section>
${frequencyCapSection(o, null)}
<section id="accounts" aria-labelledby="h-accounts"><h2 id="h-accounts">Portfolios closest to their messaging limit${more(businesses.length, o.businesses.length, 'businesses')}</h2>
<div class="card">${businessesTable(businesses, '')}</div></section>
${tokensSection(o.tokens)}
${rateCardSection(o.rateCard)}
${
  unhealthy.length
    ? freshnessSection(
        unhealthy.slice(0, HOME_ROWS),
        html`${fmtInt(o.sources.length - unhealthy.length)} of ${fmtInt(o.sources.length)} polled targets are up to date; the others, worst first${unhealthy.length > HOME_ROWS ? html` (${HOME_ROWS} of ${fmtInt(unhealthy.length)}: <a href="problems?kind=source">all source problems</a>)` : ''}:`,
      )
    : html`<section id="freshness" aria-labelledby="h-fresh"><h2 id="h-fresh">Data freshness</h2><p class="sub">All ${fmtInt(o.sources.length)} polled targets are up to date.</p></section>`
}}`;
}

/** Worst first (model.ts: dropped > stale > throttled > failing > pending). */
const STATE_ORDER: readonly SourceState[] = ['dropped', 'stale', 'throttled', 'failing', 'pending', 'ok'];

const more = (shown: number, total: number, path: string) =>
  shown < total ? html` <span class="sub">${shown} of ${fmtInt(total)} · <a href="${path}">all</a></span>` : '';

/** Worst balance first, then the shortest runway, then by name. */
function worstAccount(a: BillingAccountView, b: BillingAccountView): number {
  const sev = (x: BillingAccountView) => (x.severity === null ? SEVERITIES.length : SEVERITIES.indexOf(x.severity));
  return (
    sev(a) - sev(b) ||
    (a.runway.days ?? Number.POSITIVE_INFINITY) - (b.runway.days ?? Number.POSITIVE_INFINITY) ||
    a.name.localeCompare(b.name)
  );
}

/** The most used share of the messaging limit first (unknown last), then the most numbers. */
function busiest(a: BusinessView, b: BusinessView): number {
  const n = (x: BusinessView) => x.wabas.reduce((k, w) => k + w.phones.length, 0);
  return (b.limit.usageRatio ?? -1) - (a.limit.usageRatio ?? -1) || n(b) - n(a) || (a.id < b.id ? -1 : 1);
}
