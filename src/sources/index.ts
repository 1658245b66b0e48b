import type { SourceDef } from './types.js';
import { balanceSource, statementSource } from './billing/sources.js';
import { accountsSource } from './graph/accounts.js';
import { limitsSource } from './graph/limits.js';
import { pricingSource } from './graph/pricing.js';
import { templatesSource } from './graph/templates.js';
import { tokenSource } from './graph/token.js';

/**
 * Every source, in one explicit table (no registration by import side effect). Order matters
 * only for the first start: accounts discovers the WABAs the per-WABA sources then poll.
 */
export const SOURCES: readonly SourceDef[] = [accountsSource, limitsSource, templatesSource, tokenSource, pricingSource, balanceSource, statementSource] as readonly SourceDef[];
