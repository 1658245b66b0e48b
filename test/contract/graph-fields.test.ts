import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/sources/graph/fields.js';

/**
 * docs/graph-fields.md is the list of every Graph field read, with its source and what happens when
 * it is missing or rejected. It must name exactly the fields the code asks, each with the kind
 * (core or optional) the code gives it, so the page cannot drift from FIELDS.
 */
const doc = readFileSync(new URL('../../docs/graph-fields.md', import.meta.url), 'utf8');
const SECTIONS = {
  waba: '## WhatsApp Business Account',
  phone_number: '## Phone number',
  template: '## Message template',
  business: '## Business portfolio',
} as const;

/** Field → kind of the table rows in one section (`id`, `name` rows may list two fields). */
function rows(node: keyof typeof SECTIONS): Map<string, string> {
  const start = doc.indexOf(SECTIONS[node]);
  const end = doc.indexOf('\n## ', start + 1);
  const out = new Map<string, string>();
  for (const line of doc.slice(start, end === -1 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1]?.startsWith('`')) continue;
    const kind = /^(core|optional)/.exec(cells[2] ?? '')?.[1] ?? '';
    for (const m of (cells[1] ?? '').matchAll(/`([a-z_]+)/g)) out.set(m[1] as string, kind);
  }
  return out;
}

describe('docs/graph-fields.md lists every Graph field the exporter reads', () => {
  for (const node of Object.keys(SECTIONS) as (keyof typeof SECTIONS)[]) {
    it(`${node}: the same fields, with the same kind`, () => {
      const expected = new Map<string, string>([
        ...FIELDS[node].core.map((f): [string, string] => [f, 'core']),
        ...FIELDS[node].optional.map((f): [string, string] => [f, 'optional']),
      ]);
      // The WABA's phone_numbers edge is core: it is the expansion the listing is for.
      if (node === 'waba') expected.set('phone_numbers', 'core');
      expect(Object.fromEntries(rows(node))).toEqual(Object.fromEntries(expected));
    });
  }
});
