import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../helpers/harness.js';

const run = promisify(execFile);
const GOLDEN = join(import.meta.dirname, '../golden/sandbox-basic.prom');

/**
 * Series whose values depend on time or the machine. They are kept out of the golden file
 * (their names and labels are still checked), everything else must match byte for byte.
 */
const VOLATILE = /^whatsapp_exporter_(source_last_(success|attempt)_timestamp_seconds|source_refresh_duration_seconds|config_last_reload_success_timestamp_seconds|build_info|graph_api_usage_ratio)\{?/;

export function normalise(text: string): string {
  return text
    .split('\n')
    .map((l) => (VOLATILE.test(l) ? l.replace(/ [^ ]+$/, ' <volatile>') : l))
    .join('\n');
}

let h: Harness;
let text: string;
beforeAll(async () => {
  h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1, templatesPerWaba: 4, seed: 1 } });
  text = await h.scrape();
});
afterAll(() => h.close());

describe('golden /metrics for the basic sandbox scenario', () => {
  it('matches test/golden/sandbox-basic.prom (regenerate on purpose with UPDATE_GOLDEN=1, then review the diff)', () => {
    const got = normalise(text);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, got);
    expect(got).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('passes promtool check metrics', async () => {
    const file = join(import.meta.dirname, '../../test-output/sandbox-basic.prom');
    await run('mkdir', ['-p', join(import.meta.dirname, '../../test-output')]);
    writeFileSync(file, text);
    const res = await run('sh', ['-c', `promtool check metrics < "${file}"; echo "exit=$?"`]);
    const out = `${res.stdout}${res.stderr}`;
    expect(out.trim().split('\n').pop()).toBe('exit=0');
    expect(out.replace(/exit=0\s*$/, '').trim()).toBe('');
  });

  it('gzip and plain bodies are the same exposition', async () => {
    const gz = await h.scrape({ gzip: true });
    expect(normalise(gz).replace(/^process_.*|^nodejs_.*/gm, '')).toBe(normalise(text).replace(/^process_.*|^nodejs_.*/gm, ''));
  });
});
