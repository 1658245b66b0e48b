import { Registry } from 'prom-client';

/** The exposition formats /metrics serves: Prometheus text 0.0.4 (the default) and OpenMetrics 1.0.0. */
export type Format = 'text' | 'openmetrics';

/** prom-client's Content-Type of each format. */
export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  text: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

/**
 * The format an Accept header prefers. Per RFC 9110 §12.5.1 each format gets the q-value of the
 * most specific media range that matches it (the full wildcard, then `text/*`, then the type, then
 * the type with a version), and the higher q wins; on a tie, the format named by the more specific
 * range, then the one named first. OpenMetrics is served for `application/openmetrics-text` with no
 * version, 0.0.1 or 1.0.0 (Prometheus asks for both, 1.0.0 preferred); the text format matches
 * `text/plain` with no version or 0.0.4, `text/*` and the full wildcard. No header, or one naming
 * nothing we serve, gets the text format, as client_golang answers it.
 */
export function negotiate(accept: string | undefined): Format {
  const best: Partial<Record<Format, Match>> = {};
  mediaRanges(accept ?? '').forEach((r, position) => {
    const format = formatOf(r);
    if (!format) return;
    const cur = best[format];
    const specificity = specificityOf(r);
    // The most specific range decides; among equally specific ones, the highest q.
    if (!cur || specificity > cur.specificity || (specificity === cur.specificity && r.q > cur.q))
      best[format] = { q: r.q, specificity, position };
  });
  const om = best.openmetrics;
  const text = best.text;
  if (!om || om.q <= 0) return 'text';
  if (!text) return 'openmetrics';
  if (om.q !== text.q) return om.q > text.q ? 'openmetrics' : 'text';
  if (om.specificity !== text.specificity) return om.specificity > text.specificity ? 'openmetrics' : 'text';
  return om.position < text.position ? 'openmetrics' : 'text';
}

interface MediaRange {
  type: string;
  subtype: string;
  version?: string;
  q: number;
}

interface Match {
  q: number;
  specificity: number;
  position: number;
}

const OPENMETRICS_VERSIONS = ['0.0.1', '1.0.0'];
const TEXT_VERSIONS = ['0.0.4'];

function formatOf(r: MediaRange): Format | undefined {
  if (r.type === 'application' && r.subtype === 'openmetrics-text')
    return r.version === undefined || OPENMETRICS_VERSIONS.includes(r.version) ? 'openmetrics' : undefined;
  if (r.type === 'text' && r.subtype === 'plain')
    return r.version === undefined || TEXT_VERSIONS.includes(r.version) ? 'text' : undefined;
  if ((r.type === 'text' || r.type === '*') && r.subtype === '*') return 'text';
  return undefined;
}

function specificityOf(r: MediaRange): number {
  if (r.type === '*') return 0;
  if (r.subtype === '*') return 1;
  return r.version === undefined ? 2 : 3;
}

/** The media ranges of an Accept header; malformed ranges and q-values are skipped. */
function mediaRanges(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const item of accept.split(',')) {
    const [mediaType = '', ...params] = item.split(';');
    const m = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(mediaType);
    if (!m?.[1] || !m[2]) continue;
    const range: MediaRange = { type: m[1].toLowerCase(), subtype: m[2].toLowerCase(), q: 1 };
    let ok = true;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        // RFC 9110 §12.4.2: 0 to 1 with at most three decimals.
        ok = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value);
        range.q = Number(value);
      } else if (key === 'version') range.version = value;
    }
    if (ok) out.push(range);
  }
  return out;
}
