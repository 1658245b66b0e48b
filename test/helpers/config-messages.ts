import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every validation message the config layer can emit, read from its source text, so that a new
 * message without a bad fixture fails a test instead of going untested. A message is a string or
 * template literal in one of these positions: `message: …`, the message argument of `.regex(re, …)`,
 * of the required-option builders (`requiredString`, `requiredHttpUrl`, `requiredGraphId`, `statementSection`), and
 * the `? …` branch of an `error: (iss) => …` map.
 */
export interface SourceMessage {
  /** file:line, for the failure message. */
  readonly at: string;
  readonly literal: string;
  /** The literal as an anchored pattern: `${…}` parts match anything. */
  readonly pattern: RegExp;
}

const LITERAL = `${String.raw`('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`}\`(?:\\\\.|[^\`\\\\])*\`)`;
const POSITIONS = [
  String.raw`\bmessage:\s*`,
  String.raw`\.regex\(\s*(?:/(?:\\.|[^/\\\n])+/[a-z]*|[A-Za-z_$][\w$]*),\s*`,
  String.raw`\b(?:requiredString|requiredHttpUrl|requiredGraphId|statementSection)\(\s*`,
  String.raw`\berror:\s*\([^)]*\)\s*=>[^?\n]*\?\s*`,
];
const FIND = new RegExp(`(?:${POSITIONS.join('|')})${LITERAL}`, 'g');

/** The files that make up the config layer: loading, schema, and billing's option validation. */
export function configSourceFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  const billing = [...walk(join(root, 'src/billing/providers')), join(root, 'src/billing/build.ts')];
  return [...walk(join(root, 'src/config')), ...billing];
}

export function sourceMessages(root: string): SourceMessage[] {
  const out: SourceMessage[] = [];
  for (const file of configSourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(FIND)) {
      const literal = m[1] as string;
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ at: `${relative(root, file)}:${line}`, literal, pattern: toPattern(literal) });
    }
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** '…' and "…" are taken literally; in `…`, each ${expression} (braces balanced) matches anything. */
function toPattern(literal: string): RegExp {
  const body = literal.slice(1, -1).replace(/\\(.)/g, '$1');
  if (!literal.startsWith('`')) return new RegExp(`^${escapeRe(body)}$`);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '$' && body[i + 1] === '{') {
      let depth = 0;
      for (i += 1; i < body.length; i++) {
        if (body[i] === '{') depth++;
        else if (body[i] === '}' && --depth === 0) break;
      }
      out += '.*';
    } else out += escapeRe(body[i] as string);
  }
  return new RegExp(`^${out}$`);
}
