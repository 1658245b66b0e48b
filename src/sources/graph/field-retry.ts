import { GraphError } from './errors.js';
import type { FieldSupport, GraphNode } from './field-support.js';

/** The fields one request asks per node type: `core` are never left out, `optional` may be. */
export interface FieldPlan {
  readonly source: string;
  readonly nodes: ReadonlyArray<{
    readonly node: GraphNode;
    readonly core: readonly string[];
    readonly optional: readonly string[];
  }>;
  /** The `fields=` value for a choice of fields per node. */
  format(chosen: ReadonlyMap<GraphNode, readonly string[]>): string;
}

/** The answer, and which optional fields it was asked for (an expanded edge Graph omits when empty is then 0, not unknown). */
export interface FieldAnswer {
  readonly raw: unknown;
  asked(node: GraphNode, field: string): boolean;
}

interface Choice {
  readonly node: GraphNode;
  readonly field: string;
}

/** Graph type names as Meta prints them in "nonexisting field (x) on node type (T)". */
const GRAPH_TYPES: Readonly<Record<string, GraphNode>> = {
  WhatsAppBusinessAccount: 'waba',
  WhatsAppBusinessPhoneNumber: 'phone_number',
  WhatsAppBusinessHSM: 'template',
  WhatsAppMessageTemplate: 'template',
  Business: 'business',
};

/**
 * Error 100 is Graph's "invalid parameter", which is what an unknown field in `fields=` gets.
 * Subcode 33 is an object that does not exist or is not shared: no field is to blame.
 */
const isInvalidParameter = (err: unknown): err is GraphError =>
  err instanceof GraphError && err.code === 100 && err.subcode !== 33;

/**
 * Runs `request` with the plan's fields; when Graph rejects the request with error 100, finds the
 * rejected optional field(s), remembers them (FieldSupport) and asks again without them, so one
 * unknown field never fails the whole listing. The field is found from Meta's message when it names
 * one of ours (a hint only: the retry verifies it), else by asking again with halves of the optional
 * fields (a few extra calls, once per re-check period). If the core fields alone are rejected the
 * original error stands: the request itself is wrong, not a field.
 */
export async function getWithFields(
  support: FieldSupport,
  version: string,
  plan: FieldPlan,
  request: (fields: string) => Promise<unknown>,
): Promise<FieldAnswer> {
  const optionalCount = plan.nodes.reduce((n, x) => n + x.optional.length, 0);
  for (let round = 0; ; round++) {
    const chosen = plan.nodes.flatMap((n) =>
      support.usable(version, n.node, n.optional).map((field): Choice => ({ node: n.node, field })),
    );
    try {
      const raw = await request(plan.format(withCore(plan, chosen)));
      for (const n of plan.nodes)
        support.accepted(
          version,
          n.node,
          chosen.filter((c) => c.node === n.node).map((c) => c.field),
        );
      return { raw, asked: (node, field) => chosen.some((c) => c.node === node && c.field === field) };
    } catch (err) {
      if (!isInvalidParameter(err) || chosen.length === 0 || round > optionalCount) throw err;
      const named = namedChoice(err, chosen);
      const rejected = named ? [named] : await probe(plan, chosen, request, err);
      for (const c of rejected) support.reject(version, { source: plan.source, ...c }, named ? 'named' : 'probed');
    }
  }
}

function withCore(plan: FieldPlan, chosen: readonly Choice[]): Map<GraphNode, string[]> {
  const out = new Map<GraphNode, string[]>();
  for (const n of plan.nodes)
    out.set(n.node, [...n.core, ...chosen.filter((c) => c.node === n.node).map((c) => c.field)]);
  return out;
}

/** The asked optional field Meta's message names, when it names exactly one of ours. */
function namedChoice(err: GraphError, chosen: readonly Choice[]): Choice | undefined {
  const m = /nonexisting field \((\w+)\)(?: on node type \((\w+)\))?/.exec(err.message);
  if (!m) return undefined;
  const node = m[2] === undefined ? undefined : GRAPH_TYPES[m[2]];
  const hits = chosen.filter((c) => c.field === m[1] && (node === undefined || c.node === node));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * Finds the rejected fields by asking with subsets: first the core alone (if that fails, nothing
 * here is to blame and `original` is thrown), then halves of the candidates, recursively. A field
 * set that fails for another reason than error 100 ends the search with that error.
 */
async function probe(
  plan: FieldPlan,
  candidates: readonly Choice[],
  request: (fields: string) => Promise<unknown>,
  original: GraphError,
): Promise<Choice[]> {
  const ok = async (subset: readonly Choice[]): Promise<boolean> => {
    try {
      await request(plan.format(withCore(plan, subset)));
      return true;
    } catch (err) {
      if (isInvalidParameter(err)) return false;
      throw err;
    }
  };
  if (!(await ok([]))) throw original;
  // `knownBad`: the set is known to be rejected (its parent was, and the sibling before it was not).
  const find = async (set: readonly Choice[], knownBad: boolean): Promise<Choice[]> => {
    if (set.length === 0 || (!knownBad && (await ok(set)))) return [];
    if (set.length === 1) return [...set];
    const half = Math.ceil(set.length / 2);
    const first = await find(set.slice(0, half), false);
    return [...first, ...(await find(set.slice(half), first.length === 0))];
  };
  return find(candidates, true);
}
