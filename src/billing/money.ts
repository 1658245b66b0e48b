/**
 * Money as exact decimals. Providers send "8323.87", "1.80900" or 150.5; adding such values as
 * binary floats drifts (0.1 + 0.2), and a statement sums thousands of rows. Amounts are kept as
 * BigInt millionths of the major unit and turned into a float only at export.
 */
export const SCALE = 1_000_000n;
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a JSON number or a decimal string; undefined for null, empty, NaN, exponents, text. */
export function parseMoney(v: unknown): bigint | undefined {
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    // Number → shortest round-trip decimal text ("150.5"), then exact parsing.
    s = Math.abs(v) < 1e-6 && v !== 0 ? v.toFixed(12) : String(v);
  } else if (typeof v === 'string') s = v.trim().replace(/,(?=\d{3}(\D|$))/g, '');
  else return undefined;
  const m = DECIMAL.exec(s);
  if (!m) return undefined;
  const frac = (m[3] ?? '').padEnd(7, '0');
  // Round half away from zero at the 6th decimal.
  let micros = BigInt(m[2] as string) * SCALE + BigInt(frac.slice(0, 6));
  if (Number(frac[6]) >= 5) micros += 1n;
  return m[1] === '-' ? -micros : micros;
}

export function toNumber(micros: bigint): number {
  const whole = micros / SCALE;
  const frac = micros % SCALE;
  // Decimal text → float gives the float nearest the exact decimal (no accumulated error).
  const sign = micros < 0n ? '-' : '';
  const abs = (n: bigint) => (n < 0n ? -n : n);
  return Number(`${sign}${abs(whole)}.${abs(frac).toString().padStart(6, '0')}`);
}
