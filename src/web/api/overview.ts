import type { Overview } from '../overview/model.js';
import { groupProblems, summarize, type ProblemGroup, type Summary } from '../overview/summary.js';

/**
 * GET /api/v1/overview: the summary the page opens with. The lists behind it are the paged
 * endpoints its `links` name (at 10,000 numbers the whole view model was a 3.9 MB document).
 */
export interface OverviewDocument {
  readonly generatedAt: string;
  readonly version: string;
  readonly mode: Overview['mode'];
  readonly links: Readonly<Record<string, string>>;
  readonly summary: Summary;
  /** Problems by kind: count, counts by severity, the worst few (docs/api.md). */
  readonly problemGroups: readonly ProblemGroup[];
  readonly tokens: Overview['tokens'];
  readonly frequencyCap: Overview['frequencyCap'];
  readonly rateCard: Overview['rateCard'];
}

export function overviewDocument(o: Overview): OverviewDocument {
  return {
    generatedAt: o.generatedAt,
    version: o.version,
    mode: o.mode,
    links: {
      metrics: o.links.metrics,
      problems: 'api/v1/problems',
      phone_numbers: 'api/v1/phone-numbers',
      businesses: 'api/v1/businesses',
      wabas: 'api/v1/wabas',
      templates: 'api/v1/templates',
      accounts: 'api/v1/accounts',
    },
    summary: summarize(o),
    problemGroups: groupProblems(o.problems),
    tokens: o.tokens,
    frequencyCap: o.frequencyCap,
    rateCard: o.rateCard,
  };
}
