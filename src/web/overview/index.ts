/**
 * The overview pages: the provider "Settings > Channels > WhatsApp" view, for one number or ten
 * thousand, served by the exporter from its snapshot (never calling upstream). / opens with the
 * fleet's counts and its problems by kind; lists are paged; each portfolio, WABA, number and
 * billing account has its page. Wiring (src/main.ts, before the landing page):
 *
 *   const overview = overviewSource(deps);
 *   app.use(overviewRouter(overview));
 *
 * The web auth is createApp's guard (src/web/guard.ts): every path but the probes and the webhook
 * endpoint needs it, so a page added here is protected without being listed anywhere.
 */
import compression from 'compression';
import express from 'express';
import { ApiError, pageOf } from '../api/paging.js';
import { readParams } from '../api/params.js';
import { PHONE_FILTERS, phoneNumberPage, type PhoneNumberItem } from '../api/phone-numbers.js';
import { PROBLEM_FILTERS, problemsPage } from '../api/problems.js';
import { matches, searchTerm } from '../api/search.js';
import { frameOf, layout } from './layout.js';
import { html } from './html.js';
import type { BusinessView, Overview, WabaView } from './model.js';
import { renderOverview } from './render.js';
import { renderAccount, renderBusiness, renderNotFound, renderPhone, renderWaba } from './render-detail.js';
import {
  renderAccountsList,
  renderBusinessesList,
  renderPhonesList,
  renderProblemsList,
  renderSearch,
  SEARCH_ROWS,
} from './render-lists.js';
import type { OverviewSource } from './source.js';

export { buildOverview } from './build.js';
export { renderOverview } from './render.js';
export { escapeHtml, html, raw, Html } from './html.js';
export { SpendTracker, watchSpend, runway, spendRate, type SpendHistory, type SpendPoint } from './spend.js';
export { STALE_INTERVALS } from './freshness.js';
export { overviewSource, type OverviewSource } from './source.js';
export type * from './model.js';

/**
 * No scripts at all, styles inline only, no external fetches: a verified name that slipped
 * through escaping still could not run. Also no framing, and nothing cached (live data). Forms
 * only to this exporter (the search box).
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The pages the router answers (GET), for putting auth in front of exactly these. */
export const OVERVIEW_PATHS = [
  '/',
  '/problems',
  '/phone-numbers',
  '/businesses',
  '/accounts',
  '/businesses/:id',
  '/wabas/:id',
  '/phone-numbers/:id',
  '/accounts/:name',
] as const;

/** Rows per page of the HTML lists (the JSON API takes up to 500). */
const LIST_ROWS = 100;

class NotFound extends Error {}

/** Which page answered 404, for the message. */
const MISSING: Readonly<Record<string, string>> = {
  businesses: 'such business portfolio',
  wabas: 'such WhatsApp Business Account',
  'phone-numbers': 'such number',
  accounts: 'such billing account',
};

export function overviewRouter(src: OverviewSource): express.Router {
  // Strict routing: /problems/ or /businesses/1/ would be served with every relative link one level
  // off (the pages link relatively so that they work behind a path prefix); they are 404s instead.
  const r = express.Router({ strict: true });
  const gzip = compression();
  const phoneItems = (o: Overview) => src.phoneItems(o);
  const [home, problems, phones, businesses, accounts, business, waba, phone, account] = OVERVIEW_PATHS;

  /** An HTML page: headers, 400 for a bad query (with the message), 404 for an unknown id. */
  const page =
    (render: (o: Overview, req: express.Request) => string): express.RequestHandler =>
    (req, res) => {
      res.set({
        'Cache-Control': 'no-store',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'no-referrer',
      });
      const o = src.current();
      const root = req.path.split('/').length > 2 ? '../' : '';
      try {
        res.type('html').send(render(o, req));
      } catch (err) {
        if (err instanceof ApiError) {
          const body = html`<div class="card" role="alert">${err.message}</div>`;
          res
            .status(400)
            .type('html')
            .send(layout(frameOf(o), { title: 'Bad request', root }, body));
        } else if (err instanceof NotFound) {
          res
            .status(404)
            .type('html')
            .send(renderNotFound(o, MISSING[req.path.split('/')[1] ?? ''] ?? 'such page', root));
        } else throw err;
      }
    };
  const query = (req: express.Request) => req.query as Record<string, unknown>;

  r.get(
    home,
    gzip,
    page((o, req) => {
      const p = readParams(query(req), ['q']);
      // An empty search box submitted is the summary, not an error.
      const q = p.filters.q?.trim();
      if (!q) return renderOverview(o);
      return renderSearch(o, search(o, q, phoneItems(o)));
    }),
  );
  r.get(
    problems,
    gzip,
    page((o, req) => {
      const p = readParams(query(req), PROBLEM_FILTERS);
      lower(p.filters, 'kind', 'severity');
      return renderProblemsList(
        o,
        problemsPage(o.problems, p.filters, Math.min(p.limit, LIST_ROWS), p.cursor),
        p.filters,
        p.cursor !== undefined,
      );
    }),
  );
  r.get(
    phones,
    gzip,
    page((o, req) => {
      const p = readParams(query(req), PHONE_FILTERS);
      if (p.filters.quality !== undefined) p.filters.quality = p.filters.quality.toUpperCase();
      const items = phoneItems(o);
      return renderPhonesList(
        o,
        phoneNumberPage(items, p.filters, Math.min(p.limit, LIST_ROWS), p.cursor),
        p.filters,
        p.cursor !== undefined,
      );
    }),
  );
  r.get(
    businesses,
    gzip,
    page((o, req) => {
      const p = readParams(query(req), []);
      return renderBusinessesList(
        o,
        pageOf(o.businesses, (b) => b.id, Math.min(p.limit, LIST_ROWS), p.cursor, 'businesses'),
        p.cursor !== undefined,
      );
    }),
  );
  r.get(
    accounts,
    gzip,
    page((o, req) => {
      const p = readParams(query(req), []);
      const sorted = [...o.billing].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return renderAccountsList(
        o,
        pageOf(sorted, (a) => a.name, Math.min(p.limit, LIST_ROWS), p.cursor, 'accounts'),
        p.cursor !== undefined,
      );
    }),
  );
  r.get(
    business,
    gzip,
    page((o, req) => {
      const b = o.businesses.find((x) => x.id === req.params.id);
      if (!b) throw new NotFound();
      return renderBusiness(o, b);
    }),
  );
  r.get(
    waba,
    gzip,
    page((o, req) => {
      const found = findWaba(o, (w) => w.id === req.params.id);
      if (!found) throw new NotFound();
      return renderWaba(o, found.business, found.waba);
    }),
  );
  r.get(
    phone,
    gzip,
    page((o, req) => {
      const id = String(req.params.id);
      const found = findWaba(o, (w) => w.phones.some((p) => p.id === id));
      if (!found) throw new NotFound();
      return renderPhone(o, found.business, found.waba, id, src.phones.of(id));
    }),
  );
  r.get(
    account,
    gzip,
    page((o, req) => {
      if (!o.billing.some((a) => a.name === req.params.name)) throw new NotFound();
      return renderAccount(o, String(req.params.name));
    }),
  );
  return r;
}

/** Filters the lists accept in any case, written as the page's links and chips write them. */
function lower(filters: Record<string, string>, ...keys: string[]): void {
  for (const k of keys) if (filters[k] !== undefined) filters[k] = (filters[k] as string).toLowerCase();
}

function findWaba(o: Overview, test: (w: WabaView) => boolean): { business: BusinessView; waba: WabaView } | undefined {
  for (const business of o.businesses) for (const waba of business.wabas) if (test(waba)) return { business, waba };
  return undefined;
}

/** Everything a search box query can mean: numbers (paged list), portfolios, WABAs, accounts. */
function search(o: Overview, q: string, phones: readonly PhoneNumberItem[]) {
  const term = searchTerm(q);
  return {
    q,
    phones: phoneNumberPage(phones, { q }, SEARCH_ROWS, undefined),
    businesses: o.businesses.filter((b) => matches(term, { ids: [b.id], names: [b.name] })),
    wabas: o.businesses.flatMap((business) =>
      business.wabas.filter((w) => matches(term, { ids: [w.id], names: [w.name] })).map((waba) => ({ waba, business })),
    ),
    accounts: o.billing.filter((a) => matches(term, { ids: [], names: [a.name] })),
  };
}
