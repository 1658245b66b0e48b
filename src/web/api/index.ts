/**
 * The paged JSON API (docs/api.md), read from the same snapshot as /metrics and never calling
 * upstream. Wiring (src/main.ts): mounted behind createApp's auth guard (src/web/guard.ts), like /metrics.
 */
import compression from 'compression';
import express from 'express';
import type { SnapshotStore } from '../../poller/store.js';
import type { Clock } from '../../util/clock.js';
import type { OverviewSource } from '../overview/source.js';
import { ACCOUNT_FILTERS, accountItems, accountPage } from './accounts.js';
import { BUSINESS_FILTERS, businessItems, businessPage } from './businesses.js';
import { perView } from './memo.js';
import { overviewDocument } from './overview.js';
import { readParams } from './params.js';
import { PHONE_FILTERS, phoneNumberPage } from './phone-numbers.js';
import { PROBLEM_FILTERS, problemsPage } from './problems.js';
import { apiHandler } from './respond.js';
import { TEMPLATE_FILTERS, templateItems, templatePage } from './templates.js';
import { WABA_FILTERS, wabaItems, wabaPage } from './wabas.js';

export { ApiError, MAX_LIMIT, decodeCursor, encodeCursor, pageOf } from './paging.js';
export { apiHandler } from './respond.js';
export type { Page } from './paging.js';
export type { PhoneNumberItem } from './phone-numbers.js';

export const API_PATHS = [
  '/api/v1/overview',
  '/api/v1/problems',
  '/api/v1/phone-numbers',
  '/api/v1/businesses',
  '/api/v1/wabas',
  '/api/v1/templates',
  '/api/v1/accounts',
] as const;

export interface ApiDeps {
  readonly store: SnapshotStore;
  readonly clock: Clock;
  readonly overview: OverviewSource;
}

export function apiRouter(d: ApiDeps): express.Router {
  // Strict: /api/v1/problems/ is not /api/v1/problems (relative links and cursors are per path).
  const r = express.Router({ strict: true });
  // Gzip when asked (a 500-item page is ~150 KB of JSON, ~15 KB compressed).
  const gzip = compression();
  const view = () => d.overview.current();
  const templateList = perView(() => templateItems(d.store, d.clock));
  const [overview, problems, phones, businesses, wabas, templates, accounts] = API_PATHS;
  r.get(
    overview,
    gzip,
    apiHandler((query) => {
      readParams(query, []);
      return overviewDocument(view());
    }),
  );
  r.get(
    problems,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, PROBLEM_FILTERS);
      return problemsPage(view().problems, p.filters, p.limit, p.cursor);
    }),
  );
  r.get(
    phones,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, PHONE_FILTERS);
      const v = view();
      return phoneNumberPage(d.overview.phoneItems(v), p.filters, p.limit, p.cursor);
    }),
  );
  r.get(
    businesses,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, BUSINESS_FILTERS);
      const v = view();
      return businessPage(businessItems(v.businesses, v.problems), p.filters, p.limit, p.cursor);
    }),
  );
  r.get(
    wabas,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, WABA_FILTERS);
      return wabaPage(wabaItems(view().businesses), p.filters, p.limit, p.cursor);
    }),
  );
  r.get(
    templates,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, TEMPLATE_FILTERS);
      return templatePage(templateList(view()), p.filters, p.limit, p.cursor);
    }),
  );
  r.get(
    accounts,
    gzip,
    apiHandler((query) => {
      const p = readParams(query, ACCOUNT_FILTERS);
      return accountPage(accountItems(view().billing), p.filters, p.limit, p.cursor);
    }),
  );
  return r;
}
