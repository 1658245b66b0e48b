/**
 * The paged JSON API (docs/api.md), read from the same snapshot as /metrics and never calling
 * upstream. Wiring (src/main.ts): auth on API_PATHS with the same option as /metrics, then the router.
 */
import express from 'express';
import type { SnapshotStore } from '../../poller/store.js';
import type { Clock } from '../../util/clock.js';
import { readParams } from './params.js';
import { apiHandler } from './respond.js';
import { PHONE_FILTERS, phoneNumberItems, phoneNumberPage } from './phone-numbers.js';

export { ApiError, MAX_LIMIT, decodeCursor, encodeCursor, pageOf } from './paging.js';
export { apiHandler } from './respond.js';
export type { Page } from './paging.js';
export type { PhoneNumberItem } from './phone-numbers.js';

export const API_PATHS = ['/api/v1/phone-numbers'] as const;

export interface ApiDeps {
  readonly store: SnapshotStore;
  readonly clock: Clock;
}

export function apiRouter(d: ApiDeps): express.Router {
  const r = express.Router();
  r.get(
    API_PATHS[0],
    apiHandler((query) => {
      const p = readParams(query, PHONE_FILTERS);
      return phoneNumberPage(phoneNumberItems(d.store, d.clock), p.filters, p.limit, p.cursor);
    }),
  );
  return r;
}
