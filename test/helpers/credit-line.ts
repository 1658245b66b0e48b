import { family, harness, sample, type Harness } from './harness.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import type { Clock } from '../../src/util/clock.js';

/** A meta_credit_line account for the harness config (interval 1h: the test decides when it refreshes). */
export const lineAccount = (name: string, businessId: string, extra: Record<string, unknown> = {}) => ({
  name,
  provider: 'meta_credit_line',
  business_id: businessId,
  interval: '1h',
  max_staleness: '2h',
  ...extra,
});

/**
 * The exporter against the sandbox with these billing accounts (and nothing else billing: Meta
 * pricing off, so request counts are the Graph sources' and the credit lines').
 */
export async function creditLineHarness(
  accounts: (sb: { businessIds: string[] }) => Array<Record<string, unknown>>,
  o: { sandbox?: SandboxOptions; config?: Record<string, unknown>; clock?: Clock } = {},
): Promise<Harness> {
  // The sandbox's ids are deterministic for its options: the first business is 500000000000001, …
  const n = o.sandbox?.businesses ?? 1;
  const businessIds = Array.from({ length: n }, (_, i) => String(500_000_000_000_001 + i));
  return harness({
    sandbox: { phoneNumbers: 2, wabas: 1, businesses: 1, ...o.sandbox },
    clock: o.clock,
    config: {
      billing: { meta_pricing: { enabled: false }, accounts: accounts({ businessIds }) },
      ...o.config,
    },
  });
}

/** The credit-line series of one account, by family, for readable assertions. */
export function lineSeries(text: string, account: string) {
  const a = `account="${account}"`;
  return {
    balance: sample(text, `whatsapp_credit_balance{${a},currency="USD"}`),
    max: sample(text, `whatsapp_credit_line_max_balance{${a},currency="USD"}`),
    allocated: sample(text, `whatsapp_credit_line_allocated_amount{${a},currency="USD"}`),
    revoked: sample(text, `whatsapp_credit_line_access_revoked{${a}}`),
    shares: family(text, 'whatsapp_credit_line_allocation_info').filter((l) => l.includes(a)),
    up: sample(text, `whatsapp_exporter_source_up{source="billing",target="${account}"}`),
  };
}

export const billingFailures = (text: string, reason: string) =>
  sample(text, `whatsapp_exporter_billing_request_failures_total{provider="meta_credit_line",reason="${reason}"}`) ?? 0;

export const graphFailures = (text: string, endpoint: string, reason: string) =>
  sample(text, `whatsapp_exporter_graph_api_request_failures_total{endpoint="${endpoint}",reason="${reason}"}`) ?? 0;

/** The sandbox's credit line and the business that owns it (src/sandbox: the first business). */
export const LINE = '130000000000001';
export const BIZ = '500000000000001';
