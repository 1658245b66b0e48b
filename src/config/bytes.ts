/** Sizes: a number of bytes, or "512kb", "1mb", "1MiB" (k/m/g, decimal or binary). */
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

export function parseBytes(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? input : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(input.trim());
  const unit = UNITS[(m?.[2] ?? 'x').toLowerCase()];
  if (!m || unit === undefined) return undefined;
  const n = Math.round(Number(m[1]) * unit);
  return n > 0 ? n : undefined;
}
