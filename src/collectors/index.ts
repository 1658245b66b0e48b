import type { RateCard } from '../billing/rate-card.js';
import type { Config } from '../config/config.js';
import type { UsageReading } from '../sources/graph/usage.js';
import type { WebhookView } from '../webhooks/view.js';
import { accountsCollector } from './accounts.js';
import { billingCollector } from './billing.js';
import { customersCollector } from './customers.js';
import { creditLineCollector } from './credit-line.js';
import { healthCollector, MAX_PROBLEM_TARGETS } from './health.js';
import { limitsCollector } from './limits.js';
import { phoneNumbersCollector } from './phone-numbers.js';
import { pricingCollector, rateCardCollector } from './pricing.js';
import { templatesCollector } from './templates.js';
import { tokenCollector } from './token.js';
import type { Collector } from './types.js';
import type { Family } from '../metrics/family.js';
import * as accountsFamilies from './accounts.js';
import * as billingFamilies from './billing.js';
import * as customersFamilies from './customers.js';
import * as creditLineFamilies from './credit-line.js';
import * as healthFamilies from './health.js';
import * as limitsFamilies from './limits.js';
import * as phone_numbersFamilies from './phone-numbers.js';
import * as pricingFamilies from './pricing.js';
import * as templatesFamilies from './templates.js';
import * as tokenFamilies from './token.js';
import * as usageFamilies from './usage.js';
import * as webhooksFamilies from './webhooks.js';
import { MAX_BUSY_OBJECTS, usageCollector } from './usage.js';
import { webhookCountersCollector, webhookWindowsCollector } from './webhooks.js';

export interface CollectorDeps {
  readonly config: () => Config;
  readonly card: () => RateCard | undefined;
  readonly usage: () => Iterable<UsageReading>;
  readonly webhooks: WebhookView;
  /** A bound cut a collector's output short (counted and logged by the caller). */
  readonly onLimit?: (limit: LimitName, detail: Record<string, string | number>) => void;
}

/** Bounds a collector can hit (whatsapp_exporter_limit_hits_total{limit}). */
export const COLLECTOR_LIMITS = ['problem_targets', 'busy_usage_objects', 'credit_line_allocations'] as const;
export type LimitName = (typeof COLLECTOR_LIMITS)[number];

/**
 * Every collector, in exposition order, in one explicit table. The exposition renders each as a
 * cached fragment and reports its health (whatsapp_exporter_collector_success / _duration_seconds).
 */
export function collectors(d: CollectorDeps): Collector[] {
  return [
    accountsCollector,
    phoneNumbersCollector,
    limitsCollector,
    templatesCollector(() => d.config().templates.perTemplateSeries),
    tokenCollector,
    pricingCollector,
    billingCollector(d.config),
    customersCollector(d.config),
    creditLineCollector((account, max) => d.onLimit?.('credit_line_allocations', { account, max })),
    rateCardCollector(d.card),
    healthCollector((source, problems) =>
      d.onLimit?.('problem_targets', { source, problems, max: MAX_PROBLEM_TARGETS }),
    ),
    usageCollector(d.usage, (kind, busy) => d.onLimit?.('busy_usage_objects', { kind, busy, max: MAX_BUSY_OBJECTS })),
    webhookCountersCollector(d.webhooks),
    webhookWindowsCollector(d.webhooks),
  ];
}

const isFamily = (v: unknown): v is Family =>
  typeof v === 'object' && v !== null && 'name' in v && 'labelNames' in v && 'help' in v && 'type' in v;

/**
 * Every family the collectors can emit: the families each collector module defines (so a new family
 * is in the catalog by being defined). `metrics.allow`, `deny` and `opt_in` are checked against it.
 */
export const COLLECTOR_FAMILIES: readonly Family[] = [
  accountsFamilies,
  billingFamilies,
  customersFamilies,
  creditLineFamilies,
  healthFamilies,
  limitsFamilies,
  phone_numbersFamilies,
  pricingFamilies,
  templatesFamilies,
  tokenFamilies,
  usageFamilies,
  webhooksFamilies,
].flatMap((m) => Object.values(m).filter(isFamily));
