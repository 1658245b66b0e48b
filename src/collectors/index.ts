import type { RateCard } from '../billing/rate-card.js';
import type { Config } from '../config/config.js';
import { billingCollector } from './billing.js';
import { pricingCollector, rateCardCollector } from './pricing.js';
import { accountsCollector } from './accounts.js';
import { healthCollector } from './health.js';
import { limitsCollector } from './limits.js';
import { phoneNumbersCollector } from './phone-numbers.js';
import { templatesCollector } from './templates.js';
import { tokenCollector } from './token.js';
import type { Collector } from './types.js';

/** Every collector, in exposition order, in one explicit table. */
export function collectors(config: () => Config, card: () => RateCard | undefined): Collector[] {
  return [
    accountsCollector,
    phoneNumbersCollector,
    limitsCollector,
    templatesCollector(() => config().templates.perTemplateSeries),
    tokenCollector,
    pricingCollector,
    billingCollector(config),
    rateCardCollector(card),
    healthCollector,
  ];
}
