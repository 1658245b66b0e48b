// Asks the real generated rules (alerts/whatsapp.rules.yml, evaluated by `promtool test rules`)
// which severity they give a state: the input series are held constant for EVAL_TIME, long
// enough for every `for:` and for the 6 h spend-rate window, then the firing ALERTS are read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SEVERITIES, type AlertName, type Severity } from '../../src/policy/index.js';
import { RULES_FILE, requireBinary, runBinary } from '../alerts/tools.js';

export interface Series {
  readonly series: string;
  readonly values: string;
}

/** A state for the rules: the series that describe it and the alerts that speak about it. */
export interface RulesProbe {
  readonly alerts: readonly AlertName[];
  readonly series: readonly Series[];
}

/** Past the longest `for` (1h) and the spend rate window (6h) plus the runway alert's 30m. */
export const EVAL_SECONDS = 7 * 3600;
// Every `for` is a multiple of the step or under it, and the inputs are constant, so a coarse step
// gives the same answer as Prometheus' usual 1m, for a quarter of promtool's work.
const STEP_SECONDS = 900;
const STEP = `${STEP_SECONDS}s`;
const SAMPLES = EVAL_SECONDS / STEP_SECONDS + 2;

/** A gauge that holds `v` from time 0 past EVAL_SECONDS (promtool series notation). */
export function constant(v: number): string {
  if (v === Number.POSITIVE_INFINITY) return `+Inf+0x${SAMPLES}`;
  if (!Number.isFinite(v)) throw new Error(`not a value for a series: ${v}`);
  return `${v}+0x${SAMPLES}`;
}

/** A counter growing by `perSecond` from time 0. */
export function counter(perSecond: number): string {
  return `0+${perSecond * STEP_SECONDS}x${SAMPLES}`;
}

// Each severity as a number, strongest highest, so that `max` picks the worst firing alert.
const CODE = new Map<Severity, number>(SEVERITIES.map((s, i) => [s, SEVERITIES.length - i]));
const BY_CODE = new Map<number, Severity>([...CODE].map(([s, c]) => [c, s]));

function worstFiringExpr(alerts: readonly AlertName[]): string {
  const names = alerts.join('|');
  const firing = (s: Severity) => `ALERTS{alertstate="firing",alertname=~"${names}",severity="${s}"}`;
  const terms = SEVERITIES.map((s) => `(${firing(s)} * 0 + ${CODE.get(s)})`);
  return `max(${terms.join(' or ')})`;
}

/**
 * The severity of the strongest alert among `probe.alerts` firing at EVAL_SECONDS, or null. The
 * promtool test expects no sample: it passes when nothing fires and otherwise prints the sample
 * it got, whose value is the severity's code.
 */
export async function rulesSeverity(probe: RulesProbe): Promise<Severity | null> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-policy-'));
  try {
    const file = join(dir, 'probe.yml');
    const test = {
      rule_files: [RULES_FILE],
      evaluation_interval: STEP,
      tests: [
        {
          interval: STEP,
          input_series: probe.series,
          promql_expr_test: [{ expr: worstFiringExpr(probe.alerts), eval_time: `${EVAL_SECONDS}s`, exp_samples: [] }],
        },
      ],
    };
    writeFileSync(file, stringify(test, { lineWidth: 0 }));
    const r = await runBinary(requireBinary('promtool'), ['test', 'rules', file], dir);
    if (r.code === 0 && r.stdout.includes('SUCCESS')) return null;
    const got = /got: \{\} (\S+)/.exec(r.stdout + r.stderr)?.[1];
    const severity = got === undefined ? undefined : BY_CODE.get(Number(got));
    if (severity === undefined) throw new Error(`unexpected promtool output:\n${r.stdout}${r.stderr}`);
    return severity;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** rulesSeverity for many probes, `concurrency` promtool processes at a time, answers in order. */
export async function rulesSeverities(probes: readonly RulesProbe[], concurrency = 8): Promise<Array<Severity | null>> {
  const out: Array<Severity | null> = new Array<Severity | null>(probes.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < probes.length; i = next++) out[i] = await rulesSeverity(probes[i] as RulesProbe);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, probes.length) }, worker));
  return out;
}
