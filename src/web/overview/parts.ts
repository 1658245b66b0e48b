import { describeAge, STALE_INTERVALS } from './freshness.js';
import { html, type Html } from './html.js';
import type { DataAge } from './model.js';

type Tone = 'ok' | 'warn' | 'crit' | 'unk';
const TONE: Readonly<Record<string, Tone>> = {
  GREEN: 'ok',
  YELLOW: 'warn',
  RED: 'crit',
  CONNECTED: 'ok',
  LINKED: 'ok',
  UNLINKED: 'crit',
  BANNED: 'crit',
  RESTRICTED: 'crit',
  DISCONNECTED: 'crit',
  DELETED: 'crit',
  FLAGGED: 'warn',
  PENDING: 'warn',
  RATE_LIMITED: 'warn',
  UNVERIFIED: 'warn',
  MIGRATED: 'unk',
  AVAILABLE: 'ok',
  LIMITED: 'warn',
  BLOCKED: 'crit',
  APPROVED: 'ok',
  PAUSED: 'warn',
  DISABLED: 'crit',
  REJECTED: 'crit',
  LIMIT_EXCEEDED: 'warn',
  LOCKED: 'crit',
  IN_APPEAL: 'warn',
  ok: 'ok',
  low: 'warn',
  critical: 'crit',
  empty: 'crit',
  unknown: 'unk',
  failing: 'crit',
  dropped: 'crit',
  stale: 'warn',
  throttled: 'warn',
  pending: 'unk',
};
const QUALITY_WORD: Readonly<Record<string, string>> = { GREEN: 'high', YELLOW: 'medium', RED: 'low' };

/** A coloured badge that always carries its meaning as text too (never colour alone). */
export function badge(value: string | null, label?: string): Html {
  if (value === null) return html`<span class="sub">–</span>`;
  return html`<span class="badge b-${TONE[value] ?? 'unk'}">${label ?? value}</span>`;
}

export const qualityBadge = (q: string) => badge(q, QUALITY_WORD[q] ? `${q} · ${QUALITY_WORD[q]}` : q);

const STALE_BADGE = html` <span class="badge b-stale" title="older than ${STALE_INTERVALS} polling intervals">stale</span>`;

/** "updated 12 s ago", plus a "stale" badge when the data is older than STALE_INTERVALS intervals. */
export function age(a: DataAge | null): Html {
  if (!a) return html`<span class="sub">no data</span>`;
  return html`<span class="sub" title="${a.source} ${a.target}: last success ${a.lastSuccess ?? 'never'}">updated <time datetime="${a.lastSuccess ?? ''}">${describeAge(a.ageSeconds)}</time></span>${a.stale ? STALE_BADGE : ''}`;
}

/** A horizontal bar: share in [0, 1] (clamped), optional marks at shares, a tone and a text label for screen readers. */
export function bar(
  share: number,
  tone: Tone,
  label: string,
  marks: ReadonlyArray<{ at: number; title: string }> = [],
): Html {
  const pct = (x: number) => `${(Math.min(1, Math.max(0, x)) * 100).toFixed(1)}%`;
  return html`<div class="bar ${tone === 'ok' ? '' : tone}" role="img" aria-label="${label}"><div class="fill" style="width:${pct(share)}"></div>${marks.map((m) => html`<div class="mark" style="left:${pct(m.at)}" title="${m.title}"></div>`)}</div>`;
}

export const toneOf = (value: string): Tone => TONE[value] ?? 'unk';
