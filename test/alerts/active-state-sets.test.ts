// Every alert and recording rule works in both state-set modes (docs/metrics.md "State sets"):
// each promtool suite of alerts/tests/ runs again over active-only input, where a state set has
// no series for the states it is not in (what `metrics.state_sets: active` exports) instead of 0.
// The expected alerts and samples are the same file's: a rule that leaned on the zero rows fails.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { WABA_REVIEW } from '../../src/collectors/accounts.js';
import { LIMIT_TIER } from '../../src/collectors/limits.js';
import {
  PHONE_HEALTH,
  PHONE_NAME_STATUS,
  PHONE_QUALITY,
  PHONE_STATUS_F,
  PHONE_THROUGHPUT,
} from '../../src/collectors/phone-numbers.js';
import { ALERTS_DIR, RULES_FILE, ROOT, requireBinary, runBinary } from './tools.js';

/** The families the collectors emit through Samples.stateSet. */
const STATE_SETS = [
  WABA_REVIEW,
  LIMIT_TIER,
  PHONE_STATUS_F,
  PHONE_NAME_STATUS,
  PHONE_QUALITY,
  PHONE_HEALTH,
  PHONE_THROUGHPUT,
].map((f) => f.name);

/**
 * promtool's expanding notation as active mode exports it: zero samples are absent. A series that
 * leaves the exposition gets a staleness marker at its next scrape in a real Prometheus (it is not
 * looked back at for 5 minutes), so the first zero after a present sample becomes `stale`.
 * `0x4 1x2 0x3` → `_ _x4 1x2 stale _x3`.
 */
function activeOnly(values: string): string {
  let present = false;
  const out: string[] = [];
  for (const t of values.trim().split(/\s+/)) {
    // A state set's samples are 0 or 1 (repeated or not): anything else would pass through untested.
    if (!/^[01](\+0)?(x\d+)?$|^_(x\d+)?$|^stale$/.test(t)) throw new Error(`unexpected state-set sample "${t}"`);
    const zeros = t === '0' ? 1 : /^0(\+0)?x(\d+)$/.test(t) ? Number(t.replace(/^0(\+0)?x/, '')) + 1 : 0;
    if (zeros === 0) {
      out.push(t);
      present = true;
      continue;
    }
    const head = present ? 'stale' : '_';
    out.push(head);
    // `_xN` is N missing samples (unlike `vxN`, which is N + 1 samples).
    if (zeros > 1) out.push(`_x${zeros - 1}`);
    present = false;
  }
  return out.join(' ');
}

type Series = { series: string; values: string };
type TestFile = { rule_files: string[]; tests: Array<{ input_series?: Series[] }> };

const OUT = join(ROOT, 'test-output', 'active-state-sets');
const files = readdirSync(join(ALERTS_DIR, 'tests')).filter((f) => f.endsWith('.yml'));

describe('alert rules over active-only state sets', () => {
  it('activeOnly: zero samples are absent, a series that leaves is stale, the rest is kept', () => {
    expect(activeOnly('0x4 1x24 0x26')).toBe('_ _x4 1x24 stale _x26');
    expect(activeOnly('1 0 0 1')).toBe('1 stale _ 1');
    expect(activeOnly('0')).toBe('_');
    expect(activeOnly('1+0x30')).toBe('1+0x30');
    expect(() => activeOnly('0+1x5')).toThrow(/unexpected/);
  });

  it('the suites feed state sets (so the second run tests something)', () => {
    const fed = files.flatMap((f) =>
      (parse(readFileSync(join(ALERTS_DIR, 'tests', f), 'utf8')) as TestFile).tests.flatMap((t) =>
        (t.input_series ?? []).filter(
          (s) => STATE_SETS.some((n) => s.series.startsWith(`${n}{`)) && /(^|\s)0/.test(s.values),
        ),
      ),
    );
    expect(fed.length).toBeGreaterThan(5);
  });

  it.concurrent.each(files.map((f) => [f]))(
    'passes `promtool test rules alerts/tests/%s` with active-only state sets',
    async (f) => {
      const doc = parse(readFileSync(join(ALERTS_DIR, 'tests', f), 'utf8')) as TestFile;
      for (const t of doc.tests)
        for (const s of t.input_series ?? [])
          if (STATE_SETS.some((n) => s.series.startsWith(`${n}{`))) s.values = activeOnly(s.values);
      doc.rule_files = [RULES_FILE];
      mkdirSync(OUT, { recursive: true });
      const out = join(OUT, basename(f));
      writeFileSync(out, stringify(doc));
      const r = await runBinary(requireBinary('promtool'), ['test', 'rules', out], ROOT, 120_000);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('SUCCESS');
    },
    120_000,
  );
});
