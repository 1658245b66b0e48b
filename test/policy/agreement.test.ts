// The overview page and the alert rules give the same severity for the same state: for every row
// of cases.ts the page is built from a snapshot, the committed rules file is evaluated by promtool
// on matching series, and the page's worst problem of that kind must have the severity of the
// worst alert firing. The page ignores `for` (it has no history), so the rules are read after
// every `for` has passed. sensitivity.test.ts shows that a moved page threshold fails this.
import type { Severity } from '../../src/policy/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBinary } from '../alerts/tools.js';
import { CASES } from './cases.js';
import { rulesSeverities } from './promtool.js';

describe('overview page and alert rules agree on severity', () => {
  let rules: Array<Severity | null> = [];
  beforeAll(async () => {
    requireBinary('promtool');
    rules = await rulesSeverities(CASES.map((c) => c.rules));
  }, 300_000);

  it.each(CASES.map((c, i) => [c.category, c.name, i] as const))('%s: %s', (_category, _name, i) => {
    const c = CASES[i];
    expect({ page: c?.page() }).toEqual({ page: rules[i] });
  });

  // Not a tautology: the rows get different answers from the rules, so no constant page passes.
  it('the rules give every severity somewhere in the table, and none in others', () => {
    expect(new Set(rules)).toEqual(new Set(['critical', 'warning', null]));
  });
});
