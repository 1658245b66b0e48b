import { creditLineSource } from '../billing/credit-line/source.js';
import { balanceSource, bulkSource, statementSource } from '../billing/sources.js';
import { accountsSource } from './graph/accounts.js';
import { limitsSource } from './graph/limits.js';
import { pricingSource } from './graph/pricing.js';
import { templatesSource } from './graph/templates.js';
import { tokenSource } from './graph/token.js';
import type { AnySource } from './types.js';

/**
 * Every source, in one explicit table (no registration by import side effect). Order matters
 * only for the first start: accounts discovers the WABAs the per-WABA sources then poll.
 * A source's traits (sharding, budget, discovery, reads) travel with it: see types.ts.
 *
 * `billing` has two rows: the balance of an HTTP provider and of a Meta credit line are one source
 * (one key, the same `source` label, data and consumers), fetched with different traits (the
 * credit line is read through the Graph client). An account is polled by exactly one of them.
 */
export const SOURCES: readonly AnySource[] = [
  accountsSource,
  limitsSource,
  templatesSource,
  tokenSource,
  pricingSource,
  balanceSource,
  bulkSource,
  creditLineSource,
  statementSource,
];
