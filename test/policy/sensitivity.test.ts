// agreement.test.ts can fail: here the page reads a policy table with one page-side threshold
// moved per category (the old page's own values where it had them), while the rules stay the
// committed file. Each moved threshold must make at least one row of the table disagree.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertPolicy } from '../../src/policy/alerts.js';
import { requireBinary } from '../alerts/tools.js';
import { CASES } from './cases.js';
import { rulesSeverity } from './promtool.js';

vi.mock('../../src/policy/alerts.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/policy/alerts.js')>();
  const p = real.ALERT_POLICY;
  const moved: AlertPolicy = {
    ...p,
    WhatsAppCreditBalanceRunwayShort: { ...p.WhatsAppCreditBalanceRunwayShort, runwayDays: 3 },
    WhatsAppMessagingLimitUsageCritical: { ...p.WhatsAppMessagingLimitUsageCritical, ratio: 1 },
    WhatsAppCreditBalanceLow: { ...p.WhatsAppCreditBalanceLow, aboveCriticalSeverity: 'critical' },
    WhatsAppAccessTokenExpiringSoon: { ...p.WhatsAppAccessTokenExpiringSoon, within: '1d' },
    WhatsAppQualityRatingYellow: { ...p.WhatsAppQualityRatingYellow, severity: 'critical' },
    WhatsAppExporterDataStale: { ...p.WhatsAppExporterDataStale, intervals: 2 },
  };
  return { ...real, ALERT_POLICY: moved };
});

const BOTH_THRESHOLDS = 'thresholds {"low":100,"critical":25}';

/** A row per moved threshold where the moved page answers differently from the rules. */
const ROWS: ReadonlyArray<readonly [string, string]> = [
  ['runway', `500 USD spending 450 per day, ${BOTH_THRESHOLDS}`],
  ['messaging limit', '238 unique recipients on TIER_250'],
  ['balance', `60 USD with ${BOTH_THRESHOLDS}`],
  ['token', 'valid, expires in 48 h'],
  ['quality rating', 'YELLOW'],
  ['source freshness', 'billing, last success 2.5 intervals ago, failing'],
];

describe('a page threshold that leaves the rules is caught', () => {
  beforeAll(() => {
    requireBinary('promtool');
  });

  it.concurrent.each(ROWS)(
    '%s: %s',
    async (category, name) => {
      const c = CASES.find((x) => x.category === category && x.name === name);
      if (!c) throw new Error(`no row ${category}: ${name} in cases.ts`);
      expect(c.page()).not.toEqual(await rulesSeverity(c.rules));
    },
    60_000,
  );
});
