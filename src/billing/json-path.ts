/**
 * The small path syntax billing configs use to point into a provider's JSON:
 *   "balance", "data.balance", "walletResponse.currentBalance", "data[0].balance", "[0].total".
 * Returns undefined when any step is missing, so "missing field" is an error, never a zero.
 */
export function parsePath(path: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  const re = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < path.length && (m = re.exec(path))) {
    steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
    pos = re.lastIndex;
  }
  return pos === path.length && steps.length > 0 ? steps : undefined;
}

export function getPath(root: unknown, path: string): unknown {
  const steps = parsePath(path);
  if (!steps) return undefined;
  let cur: unknown = root;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur =
      typeof s === 'number'
        ? Array.isArray(cur)
          ? cur[s]
          : undefined
        : Array.isArray(cur)
          ? undefined
          : (cur as Record<string, unknown>)[s];
  }
  return cur;
}
