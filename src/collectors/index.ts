import type { Config } from '../config/config.js';
import { accountsCollector } from './accounts.js';
import { healthCollector } from './health.js';
import { limitsCollector } from './limits.js';
import { phoneNumbersCollector } from './phone-numbers.js';
import { templatesCollector } from './templates.js';
import { tokenCollector } from './token.js';
import type { Collector } from './types.js';

/** Every collector, in exposition order, in one explicit table. */
export function collectors(config: Config): Collector[] {
  return [accountsCollector, phoneNumbersCollector, limitsCollector, templatesCollector(config.templates.perTemplateSeries), tokenCollector, healthCollector];
}
