// The documentation split: README.md stays short, and every relative link in the docs resolves
// to a file in the repository (and, for #anchors into Markdown, to one of its headings).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** The Markdown files whose links are checked (docs/*.md is listed at run time). */
const DOC_FILES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  'alerts/README.md',
  'alerts/runbook.md',
  'dashboards/README.md',
];

/** Markdown text without its fenced code blocks (a `#` line there is not a heading). */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Markdown text without fenced code blocks and inline code spans (links there are not links). */
function withoutCode(text: string): string {
  return withoutFences(text).replace(/(`+)[^`\n]*?\1/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(text).split('\n')) {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (m?.[1] === undefined) continue;
    const base = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every link target in a Markdown text: inline links and images `[x](target)`, and `[x]: target` definitions. */
function linkTargets(text: string): string[] {
  const prose = withoutCode(text);
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
  const defs = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((m) => m[1] as string);
  return [...inline, ...defs];
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('README size', () => {
  it('stays under 16 KB (details belong in docs/)', () => {
    const bytes = statSync(join(root, 'README.md')).size;
    expect(bytes, `README.md is ${bytes} bytes`).toBeLessThan(16 * 1024);
  });
});

describe.each(DOC_FILES)('relative links in %s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const targets = linkTargets(text).filter((t) => !isExternal(t));

  it('point at files that exist', () => {
    const missing = targets
      .map((t) => decodeURIComponent(t.split('#')[0] ?? ''))
      .filter((path) => path !== '')
      .filter((path) => !existsSync(join(root, dirname(file), path)));
    expect(missing).toEqual([]);
  });

  it('point at headings that exist when they carry an #anchor', () => {
    const broken: string[] = [];
    for (const t of targets) {
      const hash = t.indexOf('#');
      if (hash < 0) continue;
      const path = t.slice(0, hash);
      const anchor = decodeURIComponent(t.slice(hash + 1)).toLowerCase();
      const target = path === '' ? join(root, file) : join(root, dirname(file), decodeURIComponent(path));
      if (!target.endsWith('.md') || !existsSync(target)) continue; // missing files fail the test above
      if (!headingAnchors(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${t} (${relative(root, target)})`);
    }
    expect(broken).toEqual([]);
  });
});

describe('the link checker itself', () => {
  it('makes GitHub anchors from headings', () => {
    const anchors = headingAnchors(
      '# Title\n## Resilience (tested in `test/fault/`)\n### 1. nginx `mirror` (no code change)\n## Title\n```\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual([
      'title',
      'resilience-tested-in-testfault',
      '1-nginx-mirror-no-code-change',
      'title-1',
    ]);
  });
  it('finds inline links, images and definitions, not links inside code', () => {
    const text = '[a](docs/a.md) ![i](x.png "t")\n`[c](code.md)`\n```\n[d](fenced.md)\n```\n[ref]: docs/b.md#x\n';
    expect(linkTargets(text)).toEqual(['docs/a.md', 'x.png', 'docs/b.md#x']);
  });
});
