import type { BalanceData, BulkBalanceData, StatementData } from '../billing/data.js';
import type { AccountsData, LimitData, PricingData, TemplatesData, TokenData } from './graph/model.js';
import { sourceKey } from './key.js';

/**
 * Every source's key, in one table. Collectors, the overview page and webhooks import these
 * (never the sources' fetch code); `sources/index.ts` pairs each key with its implementation.
 */
export const ACCOUNTS = sourceKey<AccountsData>('graph_accounts');
export const LIMITS = sourceKey<LimitData>('graph_limits');
export const TEMPLATES = sourceKey<TemplatesData>('graph_templates');
export const TOKEN = sourceKey<TokenData>('graph_token');
export const PRICING = sourceKey<PricingData>('graph_pricing');
export const BALANCE = sourceKey<BalanceData>('billing');
export const STATEMENT = sourceKey<StatementData>('billing_statement');
export const BULK_BALANCE = sourceKey<BulkBalanceData>('billing_bulk');
