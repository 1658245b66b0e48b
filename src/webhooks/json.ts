import { createHash } from 'node:crypto';

/** Narrowing helpers for untrusted JSON: wrong types read as "absent", never throw. */
export type Obj = Readonly<Record<string, unknown>>;

export const obj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
export const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown, max = 512): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;

/** Unix seconds as Meta sends them (a string in statuses, a number in entry.time) → ms. */
export function unixMs(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{1,12}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 && n < 1e11 ? Math.round(n * 1000) : undefined;
}

/** A stable content key for events without an id of their own (a redelivery carries the same bytes). */
export function contentKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32);
}
