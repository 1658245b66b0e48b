import { ALERT_POLICY, isStale as olderThanPolicy } from '../../policy/index.js';
import type { SourceEntry } from '../../poller/store.js';
import type { DataAge, SourceFreshness, SourceState } from './model.js';

/**
 * Data older than this many polling intervals is marked "stale" on the page: the multiple
 * WhatsAppExporterDataStale fires at. Past the source's max_staleness it is dropped, as /metrics drops it.
 */
export const STALE_INTERVALS = ALERT_POLICY.WhatsAppExporterDataStale.intervals;

export const iso = (ms: number | undefined): string | null =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

export function isStale(e: SourceEntry, now: number): boolean {
  return e.lastSuccess !== undefined && olderThanPolicy(now - e.lastSuccess, e.intervalMs);
}

export function dataAge(e: SourceEntry, now: number): DataAge {
  return {
    source: e.source,
    target: e.target,
    lastSuccess: iso(e.lastSuccess),
    ageSeconds: e.lastSuccess === undefined ? null : seconds(now - e.lastSuccess),
    stale: isStale(e, now),
  };
}

export function sourceFreshness(e: SourceEntry, now: number): SourceFreshness {
  const dropped = e.lastSuccess !== undefined && now - e.lastSuccess > e.maxStalenessMs;
  const throttled = e.pausedUntil !== undefined && e.pausedUntil > now;
  let state: SourceState = 'ok';
  if (dropped) state = 'dropped';
  else if (isStale(e, now)) state = 'stale';
  else if (throttled) state = 'throttled';
  else if (e.up === false) state = 'failing';
  else if (e.up === undefined) state = 'pending';
  return {
    source: e.source,
    target: e.target,
    state,
    up: e.up ?? null,
    lastSuccess: iso(e.lastSuccess),
    lastAttempt: iso(e.lastAttempt),
    ageSeconds: e.lastSuccess === undefined ? null : seconds(now - e.lastSuccess),
    intervalSeconds: e.intervalMs / 1000,
    maxStalenessSeconds: e.maxStalenessMs / 1000,
    error: e.up === false && e.error ? { reason: e.error.reason, code: e.error.code ?? null } : null,
    pausedUntil: throttled ? iso(e.pausedUntil) : null,
  };
}

/** Plain words for the poller's machine reasons (Graph and billing failure labels). */
export const REASON_WORDS: Readonly<Record<string, string>> = {
  auth: 'the access token or API key was rejected',
  permission: 'permission denied',
  rate_limited: 'throttled by the upstream API',
  timeout: 'the upstream API timed out',
  http_5xx: 'the upstream API answered with a server error (5xx)',
  http_4xx: 'the upstream API rejected the request (4xx)',
  parse: 'the answer could not be read',
  missing_field: 'the answer lacks the expected field',
  upstream_error: 'the provider reported an error',
  io: 'the statement file could not be read',
};

export function describeAge(s: number | null): string {
  if (s === null) return 'never';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export const sourceLabel = (source: string, target: string) => `${source} (${target})`;
