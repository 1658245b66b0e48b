/**
 * The account overview page: the provider "Settings > Channels > WhatsApp" view, served by the
 * exporter from its snapshot (never calling upstream). GET / is the HTML page, GET
 * /api/v1/overview the same view model as JSON. Wiring (src/app.ts, before the landing page):
 *
 *   app.get([...OVERVIEW_PATHS], requireAuth(() => config().web.auth)); // same option as /metrics
 *   app.use(overviewRouter({ store, clock, config, rateCard, uniqueRecipients24h, version }));
 *
 * (Not app.use(auth, router): app.use without a path would put auth in front of every later route,
 * the webhook endpoint included.)
 */
import express from 'express';
import { readParams } from '../api/params.js';
import { apiHandler } from '../api/respond.js';
import { PROBLEM_FILTERS, problemsPage } from '../api/problems.js';
import { buildOverview } from './build.js';
import type { OverviewDeps } from './model.js';
import { renderOverview } from './render.js';
import { watchSpend } from './spend.js';

export { buildOverview } from './build.js';
export { renderOverview } from './render.js';
export { escapeHtml, html, raw, Html } from './html.js';
export { SpendTracker, watchSpend, runway, spendRate, type SpendHistory, type SpendPoint } from './spend.js';
export { STALE_INTERVALS } from './freshness.js';
export type * from './model.js';

/**
 * No scripts at all, styles inline only, no external fetches: a verified name that slipped
 * through escaping still could not run. Also no framing, and nothing cached (live data).
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The paths the router answers (GET), for putting auth in front of exactly these. */
export const OVERVIEW_PATHS = ['/', '/api/v1/overview', '/api/v1/problems'] as const;

export function overviewRouter(d: OverviewDeps): express.Router {
  const r = express.Router();
  // One spend history per router: it listens to statement refreshes for the runway estimate.
  const { tracker } = watchSpend({
    store: d.store,
    clock: d.clock,
    accounts: () => d.config().billing.accounts,
    estimatedCost: d.estimatedCost,
  });
  r.get('/', (_req, res) => {
    res.set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
    res.type('html').send(renderOverview(buildOverview(d, tracker)));
  });
  r.get(OVERVIEW_PATHS[1], (_req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.json(buildOverview(d, tracker));
  });
  // The page's problems, paged (docs/api.md): here because the runway's spend history lives here.
  r.get(
    OVERVIEW_PATHS[2],
    apiHandler((query) => {
      const p = readParams(query, PROBLEM_FILTERS);
      return problemsPage(buildOverview(d, tracker).problems, p.filters, p.limit, p.cursor);
    }),
  );
  return r;
}
