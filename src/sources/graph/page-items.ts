/**
 * Pure: the length of the first edge page (`data` array, at any depth: a listing and the edges
 * expanded inside it, such as `phone_numbers{…}` under each WABA) holding more than `max` items,
 * or undefined when every page is within bounds.
 *
 * Meta pages at most `limit` items (we ask for 50 to 500), so a page far beyond that is an
 * upstream fault, not a big customer: one listing that ignored `phone_numbers.limit(100)` and
 * returned 15,000 numbers in one page was enough to exhaust a 256 MB heap downstream. Walked with
 * an explicit stack, so a deeply nested answer cannot overflow the call stack.
 */
export function oversizedPage(value: unknown, max: number): number | undefined {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push(x);
      continue;
    }
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      if (k === 'data' && Array.isArray(x) && x.length > max) return x.length;
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return undefined;
}
