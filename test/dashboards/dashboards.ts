// Helpers for the dashboard tests: read the generated dashboards, walk their panels and targets,
// expand Grafana variables, and analyse PromQL with the lezer-promql parse tree.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DASHBOARD_DIR = join(ROOT, 'dashboards');
export const RULES_FILE = join(ROOT, 'alerts', 'whatsapp.rules.yml');
export const RUNBOOK_FILE = join(ROOT, 'alerts', 'runbook.md');

export type Json = Record<string, unknown>;

export interface Target {
  refId?: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
  [k: string]: unknown;
}

export interface Panel {
  id?: number;
  type: string;
  title?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: {
    defaults?: { unit?: string; links?: unknown[] };
    overrides?: { matcher: { id: string; options: unknown }; properties: { id: string; value: unknown }[] }[];
  };
  gridPos?: { x: number; y: number; w: number; h: number };
  links?: { title: string; url: string }[];
  panels?: Panel[];
  [k: string]: unknown;
}

export interface Variable {
  type: string;
  name: string;
  query?: unknown;
  datasource?: { type?: string; uid?: string };
  multi?: boolean;
  /** What "All" sends (absent: every value as an alternation). */
  allValue?: string;
  includeAll?: boolean;
  [k: string]: unknown;
}

/** A Grafana annotation query; the Prometheus ones carry their PromQL in `expr` and `target.expr`. */
export interface Annotation {
  name: string;
  enable?: boolean;
  builtIn?: number;
  datasource?: { type?: string; uid?: string };
  expr?: string;
  step?: string;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  target?: { expr?: string; refId?: string; interval?: string };
  [k: string]: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  panels: Panel[];
  templating: { list: Variable[] };
  annotations?: { list?: Annotation[] };
  links?: { title: string; url?: string; type: string }[];
  [k: string]: unknown;
}

export function loadDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (ps: Panel[]) => {
    for (const p of ps) {
      out.push(p);
      if (p.panels) walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

/** Panels that show data (not rows, not text). */
export function dataPanels(d: Dashboard): Panel[] {
  return allPanels(d).filter((p) => p.type !== 'row' && p.type !== 'text');
}

/** The dashboard's Prometheus annotation queries (Grafana's built-in one has no PromQL). */
export function annotationQueries(d: Dashboard): (Annotation & { expr: string })[] {
  return (d.annotations?.list ?? []).filter(
    (a): a is Annotation & { expr: string } => a.builtIn !== 1 && typeof a.expr === 'string',
  );
}

export const DS_REFS = new Set(['${datasource}', '$datasource']);

// ---------------------------------------------------------------------------------------------
// Grafana variable expansion

/** Durations for Grafana's interval variables. The lint uses a sentinel for `$__rate_interval`. */
export interface Builtins {
  rateInterval: string;
  interval: string;
  range: string;
}

/**
 * Expands Grafana's built-in and dashboard variables (`$__rate_interval`, `$__interval`,
 * `$__range`, `${var}`, `${var:regex}`, `$var`, `[[var]]`). Throws on a variable it does not know,
 * so a typo cannot hide in a query.
 */
export function expandVariables(expr: string, values: Record<string, string>, b: Builtins): string {
  const builtin: Record<string, string> = {
    __rate_interval: b.rateInterval,
    __interval: b.interval,
    __range: b.range,
    __range_s: String(durationSeconds(b.range)),
    __interval_ms: String(durationSeconds(b.interval) * 1000),
  };
  const lookup = (name: string): string => {
    const v = builtin[name] ?? values[name];
    if (v === undefined) throw new Error(`unknown Grafana variable $${name} in: ${expr}`);
    return v;
  };
  return expr
    .replace(/\$\{(\w+)(?::(\w+))?\}/g, (_m, name: string) => lookup(name))
    .replace(/\[\[(\w+)\]\]/g, (_m, name: string) => lookup(name))
    .replace(/\$(\w+)/g, (_m, name: string) => lookup(name));
}

function durationSeconds(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    const n = Number(m[1]);
    const unit = m[2] as string;
    total += n * ({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[unit] ?? 0);
  }
  return total;
}

/** `label_values(selector, label)` → its parts (Grafana's Prometheus variable query syntax). */
export function parseLabelValues(query: string): { selector: string; label: string } | undefined {
  const m = /^label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/s.exec(query.trim());
  return m ? { selector: (m[1] as string).trim(), label: m[2] as string } : undefined;
}

// ---------------------------------------------------------------------------------------------
// PromQL analysis on the lezer parse tree

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

export interface Selector {
  metric: string | undefined;
  /** The range-vector function around it (rate, increase, …), if any. */
  rangeFunction: string | undefined;
  /** The range duration text, e.g. `1m`, when it is a range selector. */
  range: string | undefined;
}

export interface Aggregation {
  op: string;
  modifier: 'by' | 'without' | undefined;
  labels: string[];
  metrics: string[];
  text: string;
}

export interface Analysis {
  errors: string[];
  selectors: Selector[];
  /** rate/increase/irate/… calls with their range text. */
  rangeCalls: { fn: string; range: string | undefined }[];
  aggregations: Aggregation[];
}

export function analyze(expr: string): Analysis {
  const tree = parser.parse(expr);
  const out: Analysis = { errors: [], selectors: [], rangeCalls: [], aggregations: [] };
  const text = (n: Node) => expr.slice(n.from, n.to);
  const positioned: { from: number; metric: string | undefined }[] = [];
  const aggs: { from: number; to: number; agg: Aggregation }[] = [];
  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      if (n.type.isError)
        out.errors.push(`syntax error at ${n.from}: …${expr.slice(Math.max(0, n.from - 20), n.to + 20)}…`);
      switch (n.type.name) {
        case 'VectorSelector': {
          const id = n.getChild('Identifier');
          const matrix = n.parent?.type.name === 'MatrixSelector' ? n.parent : undefined;
          const metric = id ? text(id) : undefined;
          out.selectors.push({
            metric,
            rangeFunction: matrix ? enclosingFunction(matrix, text) : undefined,
            range: matrix ? rangeText(matrix, text) : undefined,
          });
          positioned.push({ from: n.from, metric });
          break;
        }
        case 'FunctionCall': {
          const name = n.getChild('FunctionIdentifier');
          const matrix = n.getChild('FunctionCallBody')?.getChild('MatrixSelector');
          if (name && matrix) out.rangeCalls.push({ fn: text(name), range: rangeText(matrix, text) });
          break;
        }
        case 'AggregateExpr': {
          const op = n.getChild('AggregateOp');
          const mod = n.getChild('AggregateModifier');
          const labels = mod ? (mod.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(text) : [];
          const agg: Aggregation = {
            op: op ? text(op) : '?',
            modifier: mod ? (mod.getChild('By') ? 'by' : 'without') : undefined,
            labels,
            metrics: [],
            text: text(n),
          };
          aggs.push({ from: n.from, to: n.to, agg });
          out.aggregations.push(agg);
          break;
        }
      }
    },
  });
  for (const a of aggs)
    a.agg.metrics = positioned
      .filter((p) => p.from >= a.from && p.from < a.to && p.metric !== undefined)
      .map((p) => p.metric as string);
  return out;
}

function rangeText(matrix: Node, text: (n: Node) => string): string | undefined {
  const d = matrix.getChild('DurationExpr') ?? matrix.getChild('NumberDurationLiteralInDurationContext');
  return d ? text(d) : undefined;
}

/** The function a range selector is the argument of (`rate(x[1m])` → rate), if any. */
function enclosingFunction(matrix: Node, text: (n: Node) => string): string | undefined {
  const body = matrix.parent;
  if (body?.type.name !== 'FunctionCallBody') return undefined;
  const call = body.parent;
  if (call?.type.name !== 'FunctionCall') return undefined;
  const id = call.getChild('FunctionIdentifier');
  return id ? text(id) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Recording rules and runbook

export function recordingRuleNames(): string[] {
  const doc = parseYaml(readFileSync(RULES_FILE, 'utf8')) as { groups?: { rules?: { record?: string }[] }[] };
  return (doc.groups ?? []).flatMap((g) => (g.rules ?? []).flatMap((r) => (r.record ? [r.record] : [])));
}

/** GitHub anchors of the runbook's headings. */
export function runbookAnchors(): Set<string> {
  const anchors = new Set<string>();
  for (const line of readFileSync(RUNBOOK_FILE, 'utf8').split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m)
      anchors.add(
        (m[1] as string)
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 _-]/g, '')
          .replace(/ /g, '-'),
      );
  }
  return anchors;
}
