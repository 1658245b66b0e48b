/**
 * A list derived from the snapshot, computed once per built view model (src/web/overview/source.ts
 * rebuilds the view when the snapshot changes): the 10,000 sorted numbers are not rebuilt for every
 * API page of a walk. Keyed weakly, so an old view's lists go with it.
 */
export function perView<T>(compute: () => T): (view: object) => T {
  const cache = new WeakMap<object, T>();
  return (view) => {
    const hit = cache.get(view);
    if (hit !== undefined) return hit;
    const value = compute();
    cache.set(view, value);
    return value;
  };
}
