import { readFileSync } from 'node:fs';
import type { ConfigIssue } from '../../config/errors.js';
import { Secret } from '../../config/secret.js';

/** Header names lower-cased (HTTP is case-insensitive; later duplicates win), values as secrets. */
export function secretHeaders(h: Record<string, string> | undefined): Record<string, Secret> {
  const out: Record<string, Secret> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = new Secret(v);
  return out;
}

/** "Name: value" lines, like curl's -H @file: keeps API keys out of the config file. */
export function fileHeaders(file: string | undefined, path: string, issues: ConfigIssue[]): Record<string, Secret> {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.push({ path, message: `cannot read headers file: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
    return {};
  }
  const out: Record<string, Secret> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) {
      issues.push({ path, message: 'each line must be "Header-Name: value"' });
      return {};
    }
    out[line.slice(0, i).trim().toLowerCase()] = new Secret(line.slice(i + 1).trim());
  }
  return out;
}
