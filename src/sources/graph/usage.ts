/**
 * Meta's usage headers (META-API §5.1). Both are JSON strings with percentages 0–100.
 *   X-Business-Use-Case-Usage: {"<object id>": [{"type": "...", "call_count": 28, "total_cputime": 15,
 *                               "total_time": 25, "estimated_time_to_regain_access": 0}]}
 *   X-App-Usage: {"call_count": 0, "total_cputime": 0, "total_time": 0}
 * They appear only once enough calls were made: an absent header is "unknown", never 0 %.
 */
export type UsageKind = 'call_count' | 'total_cputime' | 'total_time';
export const USAGE_KINDS: readonly UsageKind[] = ['call_count', 'total_cputime', 'total_time'];

export interface UsageReading {
  /** Business object id from the BUC header, or "app" for X-App-Usage. */
  objectId: string;
  kind: UsageKind;
  /** 0..1 (Meta sends percent). */
  ratio: number;
}

export interface ParsedUsage {
  readings: UsageReading[];
  /** Largest estimated_time_to_regain_access seen, in ms (0 when not throttled). */
  regainMs: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

export function parseUsageHeaders(buc: string | undefined, app: string | undefined): ParsedUsage {
  const readings: UsageReading[] = [];
  let regainMs = 0;
  const bucJson = safeJson(buc);
  if (bucJson && typeof bucJson === 'object' && !Array.isArray(bucJson)) {
    for (const [objectId, entries] of Object.entries(bucJson)) {
      if (!Array.isArray(entries)) continue;
      // Several usage types per object (whatsapp_business_management, whatsapp, …): the one
      // closest to its limit is what throttles us, so keep the maximum per kind.
      const max: Partial<Record<UsageKind, number>> = {};
      for (const e of entries) {
        if (!e || typeof e !== 'object') continue;
        for (const kind of USAGE_KINDS) {
          const v = num((e as Record<string, unknown>)[kind]);
          if (v !== undefined) max[kind] = Math.max(max[kind] ?? 0, v);
        }
        const regain = num((e as Record<string, unknown>).estimated_time_to_regain_access);
        if (regain !== undefined) regainMs = Math.max(regainMs, regain * 60_000);
      }
      for (const kind of USAGE_KINDS) {
        const v = max[kind];
        if (v !== undefined) readings.push({ objectId, kind, ratio: Math.min(v, 100) / 100 });
      }
    }
  }
  const appJson = safeJson(app);
  if (appJson && typeof appJson === 'object' && !Array.isArray(appJson)) {
    for (const kind of USAGE_KINDS) {
      const v = num((appJson as Record<string, unknown>)[kind]);
      if (v !== undefined) readings.push({ objectId: 'app', kind, ratio: Math.min(v, 100) / 100 });
    }
  }
  return { readings, regainMs };
}

function safeJson(s: string | undefined): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
