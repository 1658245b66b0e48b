/**
 * Fault injection: each request (and each batch element) asks `take()` whether a fault applies.
 * The first matching fault with uses left wins; one fault per request keeps outcomes
 * predictable. Specs are validated with zod because they also arrive over HTTP.
 */
import { z } from 'zod';

export const FAULT_KINDS = [
  'http_5xx',
  'html',
  'slow',
  'timeout',
  'truncated',
  'token_expired',
  'throttle',
  'permission',
  'loop_cursor',
  'endless_cursor',
  'ignore_limit',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultSpecSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    /** Substring of path+query (top-level) or of the batch element's relative_url; absent = every request. */
    match: z.string().optional(),
    /** How many requests it hits; absent = unlimited. */
    times: z.number().int().positive().optional(),
    /** Whether batch elements are eligible too (default true). */
    inBatch: z.boolean().optional(),
    /** Wait before answering; the whole point of 'slow', and also honoured by the other kinds. */
    delayMs: z.number().int().nonnegative().optional(),
    /** throttle: minutes in estimated_time_to_regain_access (default 5). */
    regainMinutes: z.number().nonnegative().optional(),
    /** http_5xx: Graph error code 1 (unknown) or 2 (service unavailable, default). */
    code: z.union([z.literal(1), z.literal(2)]).optional(),
  })
  .strict();
export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface FaultEntry {
  id: string;
  spec: FaultSpec;
  /** Requests this fault has answered. */
  hits: number;
  /** Uses left; null = unlimited. */
  remaining: number | null;
}

/** Default delay for 'slow' when the spec names none. */
export const DEFAULT_SLOW_MS = 1_000;

export class FaultInjector {
  private readonly entries: FaultEntry[] = [];
  private seq = 0;

  add(spec: FaultSpec): string {
    const parsed = faultSpecSchema.parse(spec);
    const id = `f${++this.seq}`;
    this.entries.push({ id, spec: parsed, hits: 0, remaining: parsed.times ?? null });
    return id;
  }

  remove(id: string): boolean {
    const i = this.entries.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.entries.splice(i, 1);
    return true;
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Snapshot copies: callers cannot mutate the live entries. */
  list(): FaultEntry[] {
    return this.entries.map((e) => ({ ...e, spec: { ...e.spec } }));
  }

  /** Finds and consumes one use of the first fault matching this request. */
  take(target: string, inBatch: boolean): FaultSpec | undefined {
    if (this.entries.length === 0) return undefined;
    for (const e of this.entries) {
      if (e.remaining === 0) continue;
      if (inBatch && e.spec.inBatch === false) continue;
      if (e.spec.match !== undefined && !target.includes(e.spec.match)) continue;
      e.hits++;
      if (e.remaining !== null) e.remaining--;
      return e.spec;
    }
    return undefined;
  }
}

/** What `match` is searched in: the URL decoded, since specs are written as humans read URLs (`{`, not `%7B`). */
export function faultTarget(rawPathAndQuery: string): string {
  try {
    return decodeURIComponent(rawPathAndQuery);
  } catch {
    return rawPathAndQuery;
  }
}
