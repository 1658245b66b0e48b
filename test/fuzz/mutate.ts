/**
 * Seeded JSON mutations for the fuzz suite: each call changes one to a few places of a document
 * (drop a key, change a value's type, an odd string or number, a duplicated or emptied list, a
 * deeper nest). The same seed gives the same sequence, so a failure replays from its seed.
 */
export type Rnd = () => number;

const ODD_STRINGS = [
  '',
  ' ',
  'other',
  'UNKNOWN_NEW_VALUE',
  'new_lower_value',
  'x'.repeat(300),
  '\u0000',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '__proto__',
  '-1',
  '1e309',
  '{"nested":"json"}',
];
const ODD_NUMBERS = [0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 131049];

export const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

function oddValue(rnd: Rnd, depth: number): unknown {
  const x = rnd();
  if (x < 0.35) return pick(rnd, ODD_STRINGS);
  if (x < 0.55) return pick(rnd, ODD_NUMBERS);
  if (x < 0.65) return rnd() < 0.5;
  if (x < 0.72) return null;
  if (x < 0.82) return [];
  if (x < 0.9) return {};
  // A random enum-shaped value: new values must count, boundedly.
  if (x < 0.97) return `VALUE_${Math.floor(rnd() * 1e9)}`;
  return depth > 4 ? 'deep' : { a: oddValue(rnd, depth + 1) };
}

/** Every path to a node of the tree (objects' keys and arrays' indexes). */
function paths(node: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []) {
  out.push(at);
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) paths(v, [...at, i], out);
  } else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) paths(v, [...at, k], out);
  return out;
}

/** A mutated deep copy of `doc`. */
export function mutate(rnd: Rnd, doc: unknown, edits = 1 + Math.floor(rnd() * 3)): unknown {
  let root = structuredClone(doc);
  for (let e = 0; e < edits; e++) {
    const all = paths(root);
    const path = pick(rnd, all);
    if (path.length === 0) {
      root = rnd() < 0.5 ? oddValue(rnd, 0) : root;
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], root) as
      | Record<string | number, unknown>
      | unknown[];
    const key = path[path.length - 1] as string | number;
    const x = rnd();
    if (Array.isArray(parent)) {
      const i = key as number;
      if (x < 0.3) parent.splice(i, 1);
      else if (x < 0.55 && parent.length < 64) parent.push(structuredClone(parent[i]));
      else parent[i] = oddValue(rnd, 0);
    } else if (x < 0.3) delete parent[key];
    else if (x < 0.4) parent[`${String(key)}_${Math.floor(rnd() * 100)}`] = parent[key];
    else parent[key] = oddValue(rnd, 0);
  }
  return root;
}
