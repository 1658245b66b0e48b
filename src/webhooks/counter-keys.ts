/**
 * Stable keys of the persisted webhook counters. The state DB stores these, not metric names, so
 * renaming a metric (collectors/webhooks.ts maps key → family) never orphans saved counters.
 * Append only: a key that was ever written must keep its meaning.
 */
export const COUNTER = {
  statuses: 'statuses',
  errors: 'errors',
  billable: 'billable',
  estimatedCost: 'estimated_cost',
  events: 'events',
} as const;

export type CounterKey = (typeof COUNTER)[keyof typeof COUNTER];

/** Distinct {field, event} series kept before new ones fold into "other". */
export const MAX_EVENT_SERIES = 500;

export const FAILURE_REASONS = ['bad_signature', 'malformed', 'too_large', 'unknown_object', 'not_ready'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
