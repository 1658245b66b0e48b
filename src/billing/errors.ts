/**
 * Billing failures, by the `reason` label of whatsapp_exporter_billing_request_failures_total
 * (initialised to 0). `timeout`: no answer in time; `connect`: refused, reset, unreachable or
 * unresolvable (src/util/transport.ts). `not_found`: the business has no Meta credit line;
 * `ambiguous`: it has several and the account does not say which (`credit_line_id`); `too_large`:
 * an answer over billing.max_response_size (graph.max_response_size for a credit line).
 */
export const BILLING_REASONS = [
  'auth',
  'rate_limited',
  'timeout',
  'connect',
  'http_5xx',
  'http_4xx',
  'parse',
  'missing_field',
  'upstream_error',
  'io',
  'too_many_items',
  'not_found',
  'ambiguous',
  'too_large',
] as const;
export type BillingReason = (typeof BILLING_REASONS)[number];

export class BillingError extends Error {
  readonly component = 'billing';
  constructor(
    message: string,
    readonly provider: string,
    readonly reason: BillingReason,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BillingError';
  }
  toLog(): Record<string, unknown> {
    return { provider: this.provider, reason: this.reason, status: this.status, msg: this.message };
  }
}

export function statusError(provider: string, status: number): BillingError {
  if (status === 401 || status === 403)
    return new BillingError(`provider rejected the credentials (HTTP ${status})`, provider, 'auth', status);
  if (status === 429) return new BillingError('provider rate limit (HTTP 429)', provider, 'rate_limited', status);
  if (status >= 500) return new BillingError(`provider answered HTTP ${status}`, provider, 'http_5xx', status);
  return new BillingError(`provider answered HTTP ${status}`, provider, 'http_4xx', status);
}
