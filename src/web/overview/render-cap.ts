import { fmtDuration, fmtInt, fmtTime } from './format.js';
import { html, type Html } from './html.js';
import type { BusinessView, Overview } from './model.js';

/** Marketing frequency cap: the setting, who is at it, and Meta's 131049 rejections. */
/** On the summary (`b` null: the whole fleet) and on each portfolio's page. */
export function frequencyCapSection(o: Overview, b: BusinessView | null): Html {
  const cap = o.frequencyCap;
  const head = html`<h3>Marketing frequency cap</h3>`;
  if (!cap)
    return html`<section class="card freq" id="frequency-cap">${head}<div class="sub">Not configured (<span class="mono">webhooks.marketing_frequency_cap</span>), or no webhook feed to count marketing messages from.</div></section>`;
  const setting = `${fmtInt(cap.messages)} marketing message${cap.messages === 1 ? '' : 's'} per customer per ${fmtDuration(cap.windowSeconds)}`;
  const fc = b?.frequencyCap;
  const scope = b ? [b] : o.businesses;
  const atCap = scope.reduce((n, x) => n + (x.frequencyCap?.recipientsAtCap ?? 0), 0);
  const counts = scope
    .map((x) => x.frequencyCap?.rejections24h)
    .filter((n): n is number => n !== null && n !== undefined);
  const rejected = counts.length ? counts.reduce((n, x) => n + x, 0) : null;
  // The fleet counts since the earliest portfolio's start (ISO strings compare as times).
  const starts = scope.map((x) => x.frequencyCap?.since).filter((x): x is string => typeof x === 'string');
  const since = b ? fc?.since : (starts.sort()[0] ?? null);
  return html`<section class="card freq" id="frequency-cap">${head}
<dl class="kv"><dt>Cap</dt><dd>${setting}</dd>
<dt>At the cap</dt><dd data-value="at-cap">${fmtInt(atCap)} customer${atCap === 1 ? '' : 's'} (no more marketing messages to them until the window moves on)</dd>
<dt>Rejected (131049)</dt><dd data-value="rejections">${rejected === null ? 'unknown' : html`${fmtInt(rejected)} in the last 24 h${since ? ` (counted since ${fmtTime(since)})` : ''}`} · Meta's per-user marketing limit (<a href="https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/" rel="noopener noreferrer" target="_blank">error 131049</a>)</dd></dl></section>`;
}
