// The dashboard lint: the rules of grafana/dashboard-linter that apply here, plus the project's
// own (counters only under rate/increase, money never combined across currencies, every metric in
// the contract). Each function returns a list of problems, empty when clean.
import {
  ALLOWED_FIXED_WINDOWS,
  COUNTER_FUNCTIONS,
  MONEY_METRICS,
  VALUE_COMBINING_AGGREGATIONS,
  knownMetricNames,
} from './contract.js';
import { SINGLE_VALUE, unboundedReason } from './bounds.js';
import {
  DS_REFS,
  analyze,
  annotationQueries,
  dataPanels,
  allPanels,
  expandVariables,
  parseLabelValues,
  type Builtins,
  type Dashboard,
} from './dashboards.js';

/** `$__rate_interval` becomes this unusual duration, so the parse tree shows where it was used. */
export const RATE_INTERVAL_SENTINEL = '4m7s';
export const LINT_BUILTINS: Builtins = { rateInterval: RATE_INTERVAL_SENTINEL, interval: '1m', range: '1h' };
const RANGE_FUNCTIONS_NEEDING_RATE_INTERVAL = new Set(['rate', 'increase', 'irate']);

const known = knownMetricNames();

/** A stand-in value for each dashboard variable (lint needs parseable PromQL, not real values). */
export function placeholderValues(d: Dashboard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of d.templating.list) out[v.name] = v.type === 'datasource' ? 'prometheus' : 'placeholder';
  return out;
}

/**
 * Values for the fleet bound: a single-value variable pins its label to one value (SINGLE_VALUE,
 * which bounds.ts recognises); a multi-value one may select every number.
 */
export function boundValues(d: Dashboard): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of d.templating.list)
    out[v.name] = v.type === 'datasource' ? 'prometheus' : v.multi ? 'all_of_them' : SINGLE_VALUE;
  return out;
}

/** Problems of one PromQL query (already variable-expanded with LINT_BUILTINS). */
export function lintQuery(expr: string): string[] {
  const problems: string[] = [];
  const a = analyze(expr);
  problems.push(...a.errors);
  for (const s of a.selectors) {
    if (s.metric === undefined) {
      problems.push('a selector without a metric name');
      continue;
    }
    // A histogram is one family in the contract and three series names in PromQL.
    const histogramPart =
      /_(bucket|sum|count)$/.test(s.metric) && known.has(s.metric.replace(/_(bucket|sum|count)$/, ''));
    if (!known.has(s.metric) && !histogramPart)
      problems.push(`metric ${s.metric} is not in the metric contract, the recording rules, ALERTS or up`);
    const isCounter = s.metric.endsWith('_total') || histogramPart;
    if (isCounter && (s.rangeFunction === undefined || !COUNTER_FUNCTIONS.has(s.rangeFunction))) {
      problems.push(
        `counter ${s.metric} used outside rate/increase/irate/resets${s.rangeFunction ? ` (under ${s.rangeFunction})` : ''}`,
      );
    }
    if (!isCounter && s.rangeFunction !== undefined && COUNTER_FUNCTIONS.has(s.rangeFunction)) {
      problems.push(`${s.rangeFunction}() over ${s.metric}, which is not a counter`);
    }
  }
  for (const c of a.rangeCalls) {
    if (!RANGE_FUNCTIONS_NEEDING_RATE_INTERVAL.has(c.fn)) continue;
    if (c.range !== RATE_INTERVAL_SENTINEL && !(c.range && ALLOWED_FIXED_WINDOWS.has(c.range))) {
      problems.push(`${c.fn}() over [${c.range ?? '?'}] instead of [$__rate_interval]`);
    }
  }
  for (const g of a.aggregations) {
    if (!VALUE_COMBINING_AGGREGATIONS.has(g.op)) continue;
    const money = g.metrics.filter((m) => MONEY_METRICS.has(m));
    if (money.length === 0) continue;
    const keepsCurrency =
      g.modifier === 'by'
        ? g.labels.includes('currency')
        : g.modifier === 'without'
          ? !g.labels.includes('currency')
          : false;
    if (!keepsCurrency)
      problems.push(`${g.op} over money (${money.join(', ')}) without currency in its grouping: ${g.text}`);
  }
  return problems;
}

/** Dashboard-level problems (structure, variables, panels, targets, queries). */
export function lintDashboard(d: Dashboard): string[] {
  const problems: string[] = [];
  if (!d.uid) problems.push('no uid');
  if (!d.title) problems.push('no title');
  if (!Array.isArray(d.tags) || d.tags.length === 0) problems.push('no tags');

  // Template variables
  const vars = d.templating?.list ?? [];
  const ds = vars.find((v) => v.name === 'datasource');
  if (ds?.type !== 'datasource' || ds.query !== 'prometheus')
    problems.push('no `datasource` template variable of type datasource (prometheus)');
  const values = placeholderValues(d);
  for (const v of vars.filter((x) => x.type === 'query')) {
    if (!v.datasource?.uid || !DS_REFS.has(v.datasource.uid))
      problems.push(`variable ${v.name} does not use the datasource variable`);
    const lv = typeof v.query === 'string' ? parseLabelValues(v.query) : undefined;
    if (!lv) {
      problems.push(`variable ${v.name}: query is not label_values(selector, label): ${JSON.stringify(v.query)}`);
      continue;
    }
    try {
      for (const p of lintQuery(expandVariables(lv.selector, values, LINT_BUILTINS)))
        problems.push(`variable ${v.name}: ${p}`);
    } catch (err) {
      problems.push(`variable ${v.name}: ${(err as Error).message}`);
    }
  }

  // Panels
  const ids = new Map<number, number>();
  for (const p of allPanels(d)) {
    if (typeof p.id !== 'number') problems.push(`panel "${p.title ?? '?'}" has no id`);
    else ids.set(p.id, (ids.get(p.id) ?? 0) + 1);
    const g = p.gridPos;
    if (!g || g.x < 0 || g.w <= 0 || g.x + g.w > 24 || g.h <= 0)
      problems.push(`panel "${p.title ?? '?'}" has no valid gridPos`);
  }
  for (const [id, n] of ids) if (n > 1) problems.push(`panel id ${id} is used ${n} times`);

  for (const p of allPanels(d).filter((x) => x.type === 'text')) {
    if (!p.title || !p.description) problems.push(`text panel "${p.title ?? '?'}" needs a title and a description`);
  }
  for (const p of dataPanels(d)) {
    const name = `panel "${p.title ?? p.id}"`;
    if (!p.title) problems.push(`${name}: no title`);
    if (!p.description) problems.push(`${name}: no description`);
    if (!p.fieldConfig?.defaults?.unit) problems.push(`${name}: no unit (fieldConfig.defaults.unit)`);
    if (!p.datasource?.uid || !DS_REFS.has(p.datasource.uid))
      problems.push(`${name}: datasource is not the datasource variable`);
    const targets = p.targets ?? [];
    if (targets.length === 0) problems.push(`${name}: no targets`);
    const refIds = new Set<string>();
    for (const t of targets) {
      if (!t.refId) problems.push(`${name}: a target without refId`);
      else if (refIds.has(t.refId)) problems.push(`${name}: duplicate refId ${t.refId}`);
      else refIds.add(t.refId);
      if (!t.datasource?.uid || !DS_REFS.has(t.datasource.uid))
        problems.push(`${name} ${t.refId ?? '?'}: target datasource is not the datasource variable`);
      if (!t.expr) {
        problems.push(`${name} ${t.refId ?? '?'}: empty expr`);
        continue;
      }
      let expanded: string;
      try {
        expanded = expandVariables(t.expr, values, LINT_BUILTINS);
      } catch (err) {
        problems.push(`${name} ${t.refId ?? '?'}: ${(err as Error).message}`);
        continue;
      }
      for (const q of lintQuery(expanded)) problems.push(`${name} ${t.refId ?? '?'}: ${q}`);
      const unbounded = unboundedReason(expandVariables(t.expr, boundValues(d), LINT_BUILTINS));
      if (unbounded) problems.push(`${name} ${t.refId ?? '?'}: not bounded at fleet scale: ${unbounded}`);
    }
  }

  // Annotations: on the datasource variable, one PromQL in both of Grafana's fields, linted and bounded as panels are.
  for (const a of annotationQueries(d)) {
    const name = `annotation "${a.name}"`;
    if (!a.datasource?.uid || !DS_REFS.has(a.datasource.uid))
      problems.push(`${name}: datasource is not the datasource variable`);
    if (a.target?.expr !== a.expr) problems.push(`${name}: target.expr differs from expr`);
    if (!a.step || a.target?.interval !== a.step) problems.push(`${name}: no step, or target.interval differs from it`);
    if (!a.titleFormat || !a.textFormat) problems.push(`${name}: no titleFormat or textFormat`);
    let expanded: string;
    try {
      expanded = expandVariables(a.expr, values, LINT_BUILTINS);
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      continue;
    }
    for (const q of lintQuery(expanded)) problems.push(`${name}: ${q}`);
    const unbounded = unboundedReason(expandVariables(a.expr, boundValues(d), LINT_BUILTINS));
    if (unbounded) problems.push(`${name}: not bounded at fleet scale: ${unbounded}`);
  }
  return problems;
}
