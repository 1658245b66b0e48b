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
 */
export const SOURCES: readonly AnySource[] = [
  accountsSource,
  limitsSource,
  templatesSource,
  tokenSource,
  pricingSource,
  balanceSource,
  bulkSource,
  statementSource,
];
