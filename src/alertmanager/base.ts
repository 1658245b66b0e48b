import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The routing tree the project ships (alerts/alertmanager.yml): next to src/ in a checkout, next
 * to dist/ in the package and the image (Dockerfile, package.json "files").
 */
export const SHIPPED_BASE = fileURLToPath(new URL('../../alerts/alertmanager.yml', import.meta.url));

export async function readBase(file = SHIPPED_BASE): Promise<unknown> {
  return parse(await readFile(file, 'utf8'));
}
