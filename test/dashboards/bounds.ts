// The static half of the fleet bound (live-fleet.test.ts is the measured half): a dashboard query
// must not return one series per number, WABA, portfolio, template or source target. Read on the
// lezer-promql parse tree, the result of a query is bounded when its outermost operations are a
// topk/bottomk/limitk with a small literal k, an aggregation by labels that do not grow with the
// fleet, or a selector pinned to one number by a single-value variable; operators and functions
// pass the bound through (see `bounded`).
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { METRICS_DOC } from '../helpers/contract.js';

/** Labels with one value per number, WABA, portfolio, template or source target. */
export const FLEET_LABELS: ReadonlySet<string> = new Set([
  'business_id',
  'waba_id',
  'phone_number_id',
  'display_phone_number',
  'verified_name',
  'template_name',
  'target',
]);

/** The largest k a top-N may ask for (a range panel's topk may still draw other series at other steps). */
export const MAX_K = 50;

/** Expanded in place of a single-value variable, so a selector pinned by it can be recognised. */
export const SINGLE_VALUE = '__single_value__';

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

const TOPK = new Set(['topk', 'bottomk', 'limitk']);
/** Functions whose result does not depend on how many series their arguments have. */
const CONSTANT_FUNCTIONS = new Set(['time', 'vector', 'scalar', 'pi', 'absent', 'absent_over_time']);
const ONE_SIDE: Record<string, 'left' | 'either' | 'both'> = { And: 'either', Or: 'both', Unless: 'left' };

/**
 * Why the query's result may grow with the fleet, or undefined when it cannot. `expr` has its
 * Grafana variables expanded, single-value ones to SINGLE_VALUE.
 */
export function unboundedReason(expr: string): string | undefined {
  const problems: string[] = [];
  const text = (n: Node) => expr.slice(n.from, n.to);
  const top = parser.parse(expr).topNode.firstChild;
  if (!top) return 'empty query';
  if (!bounded(top, text, problems)) return problems[0] ?? `unbounded: ${expr}`;
  return undefined;
}

function bounded(n: Node, text: (n: Node) => string, problems: string[]): boolean {
  const kids = children(n);
  switch (n.type.name) {
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'OffsetExpr':
    case 'StepInvariantExpr':
    case 'SubqueryExpr':
    case 'MatrixSelector':
      return kids.filter(isExpr).every((k) => bounded(k, text, problems));
    case 'NumberDurationLiteral':
    case 'StringLiteral':
      return true;
    case 'VectorSelector':
      return selectorBounded(n, text, problems);
    case 'FunctionCall': {
      const name = text(n.getChild('FunctionIdentifier') as Node);
      if (CONSTANT_FUNCTIONS.has(name)) return true;
      const args = children(n.getChild('FunctionCallBody') as Node).filter(isExpr);
      return args.every((a) => bounded(a, text, problems));
    }
    case 'AggregateExpr':
      return aggregationBounded(n, text, problems);
    case 'BinaryExpr':
      return binaryBounded(n, kids, text, problems);
    default:
      problems.push(`cannot tell whether ${n.type.name} "${text(n)}" is bounded`);
      return false;
  }
}

function aggregationBounded(n: Node, text: (n: Node) => string, problems: string[]): boolean {
  const op = text(n.getChild('AggregateOp') as Node);
  const mod = n.getChild('AggregateModifier');
  const byLabels = mod?.getChild('By')
    ? (mod.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(text)
    : undefined;
  const fleetGroups = mod?.getChild('Without') ? ['(without)'] : (byLabels ?? []).filter((l) => FLEET_LABELS.has(l));
  const args = children(n.getChild('FunctionCallBody') as Node).filter(isExpr);
  if (TOPK.has(op)) {
    const k = Number(args[0] && text(args[0]));
    if (!(k > 0 && k <= MAX_K)) {
      problems.push(`${op} with k = ${args[0] ? text(args[0]) : '?'} (a literal ≤ ${MAX_K}): ${text(n)}`);
      return false;
    }
    if (fleetGroups.length === 0) return true;
    problems.push(`${op} by ${fleetGroups.join(', ')} keeps k series per group: ${text(n)}`);
    return false;
  }
  // Any aggregation has at most as many series as its input, and one per group.
  if (fleetGroups.length === 0) return true;
  const inner = args[args.length - 1];
  if (inner && bounded(inner, text, [])) return true;
  const keeps = mod?.getChild('Without')
    ? 'keeps the identity labels'
    : `keeps one series per ${fleetGroups.join('/')}`;
  problems.push(`${text(n).slice(0, 200)}: ${keeps}, outside topk/bottomk`);
  return false;
}

function binaryBounded(n: Node, kids: Node[], text: (n: Node) => string, problems: string[]): boolean {
  const [lhs, ...rest] = kids.filter(isExpr);
  const rhs = rest[rest.length - 1];
  if (!lhs || !rhs) return false;
  const op = kids.find((k) => !isExpr(k) && k.type.name !== 'MatchingModifierClause' && k.type.name !== 'BoolModifier');
  const matching = n.getChild('MatchingModifierClause');
  const side =
    ONE_SIDE[op?.type.name ?? ''] ??
    (matching?.getChild('GroupLeft') ? 'left' : matching?.getChild('GroupRight') ? 'right' : 'either');
  const mine: string[] = [];
  const l = () => bounded(lhs, text, mine);
  const r = () => bounded(rhs, text, mine);
  // A scalar side keeps the other side's series; one-to-one matching and `and` keep at most the
  // smaller side; group_left and unless the left; `or` both.
  const ok = scalar(lhs, text)
    ? r()
    : scalar(rhs, text)
      ? l()
      : side === 'left'
        ? l()
        : side === 'right'
          ? r()
          : side === 'both'
            ? l() && r()
            : l() || r();
  if (!ok) problems.push(...mine);
  return ok;
}

function selectorBounded(n: Node, text: (n: Node) => string, problems: string[]): boolean {
  const metric = n.getChild('Identifier');
  const name = metric ? text(metric) : '';
  if (!fleetMetric(name)) return true;
  const matchers = n.getChild('LabelMatchers');
  for (const m of matchers ? children(matchers) : []) {
    const label = m.getChild('LabelName');
    const value = m.getChild('StringLiteral');
    // `=~"<one id>"` or `=~"<one id>|"` (the families summed per portfolio have no id label).
    if (label && value && FLEET_LABELS.has(text(label)) && text(value).startsWith(`"${SINGLE_VALUE}`)) return true;
  }
  problems.push(`${name} has one series per number, WABA, portfolio, template or target; outside topk/bottomk`);
  return false;
}

let fleetMetrics: Set<string> | undefined;

/** Whether the metric has a fleet label: from the contract's labels column, recording rules by their level. */
export function fleetMetric(name: string): boolean {
  if (name === 'up') return false;
  if (name === 'ALERTS') return true;
  if (name.includes(':')) return [...FLEET_LABELS].some((l) => (name.split(':')[0] as string).includes(l));
  if (!fleetMetrics) fleetMetrics = readFleetMetrics();
  // A name the contract does not list (a histogram's _bucket) is judged by its family.
  const family = name.replace(/_(bucket|sum|count)$/, '');
  return fleetMetrics.has(name) || fleetMetrics.has(family);
}

/** Families whose labels column (docs/metrics.md) names a fleet label, or `…` (the identity labels). */
function readFleetMetrics(): Set<string> {
  const out = new Set<string>();
  const doc = readFileSync(METRICS_DOC, 'utf8');
  const table = doc.split('<!-- metrics-table:start -->')[1]?.split('<!-- metrics-table:end -->')[0] ?? '';
  for (const row of table.split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    const names = [...(cells[1] ?? '').matchAll(/`(whatsapp_[a-z0-9_]+)`/g)].map((m) => m[1] as string);
    const labels = cells[3] ?? '';
    const fleet = labels.includes('…') || labels.split(/[,\s()]+/).some((l) => FLEET_LABELS.has(l));
    if (fleet) for (const n of names) out.add(n);
  }
  if (out.size < 10) throw new Error('metric table of docs/metrics.md not found or has no identity labels');
  return out;
}

const SCALAR_FUNCTIONS = new Set(['time', 'scalar', 'pi']);

/** Whether an operand is a scalar (a number, time(), scalar(…), or arithmetic of those). */
function scalar(n: Node, text: (n: Node) => string): boolean {
  const operands = children(n).filter(isExpr);
  switch (n.type.name) {
    case 'NumberDurationLiteral':
      return true;
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'BinaryExpr':
      return operands.every((k) => scalar(k, text));
    case 'FunctionCall':
      return SCALAR_FUNCTIONS.has(text(n.getChild('FunctionIdentifier') as Node));
    default:
      return false;
  }
}

function children(n: Node): Node[] {
  const out: Node[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const NOT_EXPR = new Set([
  'AggregateOp',
  'AggregateModifier',
  'FunctionIdentifier',
  'MatchingModifierClause',
  'BoolModifier',
  'Offset',
  'OffsetDurationExpr',
  'DurationExpr',
  'NumberDurationLiteralInDurationContext',
  'At',
  'AtModifierPreprocessors',
]);

/** Whether a child node is an expression operand (not an operator, keyword, modifier or duration). */
function isExpr(n: Node): boolean {
  if (NOT_EXPR.has(n.type.name)) return false;
  return /Expr$|Selector$|Literal$|^FunctionCall$/.test(n.type.name);
}
