import { fmtTime } from './format.js';
import { STALE_INTERVALS } from './freshness.js';
import { html, raw, type Html } from './html.js';
import type { Overview } from './model.js';
import { CSS } from './styles.js';

const FAVICON =
  'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 32 32%22%3E%3Crect width=%2232%22 height=%2232%22 rx=%227%22 fill=%22%230b7a5c%22/%3E%3Ccircle cx=%2216%22 cy=%2216%22 r=%227%22 fill=%22none%22 stroke=%22white%22 stroke-width=%223%22/%3E%3C/svg%3E';

/** What every page of the overview shares. */
export interface Frame {
  readonly generatedAt: string;
  readonly version: string;
  readonly mode: 'meta' | 'sandbox';
  /** Relative link to /metrics (from the root). */
  readonly metrics: string;
}

export const frameOf = (o: Overview): Frame => ({
  generatedAt: o.generatedAt,
  version: o.version,
  mode: o.mode,
  metrics: o.links.metrics,
});

export interface PageOptions {
  /** The page's own title (the site's name is appended). */
  readonly title: string;
  /** Before the title in the browser tab only, e.g. "(3) " active problems. */
  readonly tabPrefix?: string;
  /**
   * The way back to the exporter's root from this page ('' at /, '../' at /businesses/x): links
   * stay relative, so the pages work behind a path prefix (a <base> would need base-uri in the CSP).
   */
  readonly root: string;
  /** The search box's text, kept when showing results. */
  readonly q?: string;
  /** The JSON behind this page (relative to the root). */
  readonly json?: string;
  /** The page reloads itself every minute (the summary; lists and detail pages do not jump). */
  readonly refresh?: boolean;
}

const NAV: ReadonlyArray<readonly [string, string]> = [
  ['', 'Summary'],
  ['problems', 'Problems'],
  ['phone-numbers', 'Numbers'],
  ['businesses', 'Portfolios'],
  ['accounts', 'Credit'],
];

/** Pure: the page shell around `body`. Every value goes through the escaping html`` tag. */
export function layout(f: Frame, o: PageOptions, body: Html): string {
  const r = o.root;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${o.refresh ? raw('<meta http-equiv="refresh" content="60">') : ''}
<title>${o.tabPrefix ?? ''}${o.title} · WhatsApp Business overview</title>
<link rel="icon" href="${FAVICON}">
<style>${raw(CSS)}</style></head>
<body>
<header class="top"><div class="wrap">
<h1><a class="home" href="${r || './'}"><span class="logo" aria-hidden="true"></span>WhatsApp Business overview</a></h1>
<form class="search" method="get" action="${r || './'}" role="search"><label for="q" class="vh">Find a number, name, WABA, portfolio or account</label><input id="q" name="q" type="search" value="${o.q ?? ''}" placeholder="Number, name, WABA or portfolio id" maxlength="200"><button type="submit">Search</button></form>
<div class="meta">
${f.mode === 'sandbox' ? html`<span class="badge b-warn" title="No Meta credentials set: simulated Graph API and wallet">sandbox</span>` : ''}
<span>Generated <time datetime="${f.generatedAt}">${fmtTime(f.generatedAt)}</time></span>
<span>v${f.version}</span>
<a href="${r}${f.metrics}">Metrics</a>${o.json ? html`<a href="${r}${o.json}">JSON</a>` : ''}<a href="${r}-/healthy">Health</a>
</div>
<nav class="tabs" aria-label="Sections">${NAV.map(([href, label]) => html`<a href="${r}${href || './'}">${label}</a>`)}</nav>
</div></header>
<main class="wrap">
<h2 class="page-title">${o.title}</h2>
${body}
</main>
<footer><div class="wrap">Read from the exporter's last snapshot; these pages never call Meta or the billing provider.
Statement figures are cumulative totals kept by the exporter's ledger (it counts each statement row once and keeps totals, not rows).
Data older than ${STALE_INTERVALS} polling intervals is marked <em>stale</em>; data past a source's max staleness is left out, as on /metrics.</div></footer>
</body></html>
`.value;
}

/** A "next page" link for a paged list (keyset cursor, see src/web/api/paging.ts). */
export function pager(root: string, path: string, params: Readonly<Record<string, string>>, next: string | null): Html {
  if (next === null) return html``;
  const q = new URLSearchParams({ ...params, cursor: next });
  return html`<nav class="pager"><a class="btn" rel="next" href="${root}${path}?${q.toString()}">Next page</a></nav>`;
}
