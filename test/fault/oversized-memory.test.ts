import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sleep } from '../helpers/wait.js';
import { sample } from '../helpers/harness.js';

/**
 * Issue #19, D1, in the shape of the container: the exporter as its own process under the image's
 * heap cap (`--max-old-space-size=256 --max-semi-space-size=16`, Dockerfile), against a Graph API
 * whose portfolio listings ignore `phone_numbers.limit(100)` and return 15,000 numbers in one page
 * each (two of them: one batch answer of about 24 MB). Before the bounds this was a fatal OOM
 * within seconds, and a crash loop after every restart. Now: the process stays up, every scrape
 * answers, the listing loops are down with `too_large`, and the log says why.
 */
const HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=16'];
/** The listing loops fail this many times (each a fresh oversized answer) before the test looks. */
const CYCLES = 2;

let sb: Sandbox | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sb?.close();
  sb = child = undefined;
});

describe('oversized listings under the image heap cap', () => {
  it('15,000 numbers in one page of each listing (item cap): no crash, scrapes answer, too_large, logged', async () => {
    // Before: accepted whole, parsed and exported (2 × 12 MB answers), at the edge of the heap.
    const { log } = await run(15_000);
    expect(log).toContain('a page of 15000 items, more than 1000 (graph.max_page_items)');
  }, 120_000);

  it('40,000 numbers in one page of each listing (size cap): no crash, scrapes answer, too_large, logged', async () => {
    // Before: a fatal OOM within seconds, then the same listing again after every restart.
    const { log } = await run(40_000);
    expect(log).toContain('graph.max_response_size');
  }, 120_000);
});

/** The exporter process against listings of `perListing` numbers in one page each, until CYCLES refreshes failed. */
async function run(perListing: number): Promise<{ text: string; log: string }> {
  const box = await startSandbox({
    seed: 1,
    scenario: 'static',
    businesses: 2,
    wabas: 2,
    phoneNumbers: 2 * perListing,
    templatesPerWaba: 1,
  });
  sb = box;
  // Both listing edges, every time: a misbehaving upstream, not a one-off.
  box.faults.add({ kind: 'ignore_limit', match: 'whatsapp_business_accounts' });
  const dir = mkdtempSync(join(tmpdir(), 'wbe-oom-'));
  const file = join(dir, 'config.yml');
  writeFileSync(
    file,
    stringify({
      graph: { retry_base: '10ms', retry_max: '40ms' },
      // Re-listed every 5 s: the same answer again and again must not accumulate either.
      sources: { graph_accounts: { interval: '5s' } },
      billing: { meta_pricing: { enabled: false } },
      log: { level: 'info' },
    }),
  );
  const c = spawn(
    process.execPath,
    [
      ...HEAP_FLAGS,
      '--import',
      'tsx',
      'src/cli.ts',
      `--config.file=${file}`,
      '--web.listen-address=127.0.0.1:0',
      `--storage.path=${join(dir, 'data')}`,
    ],
    {
      cwd: join(import.meta.dirname, '../..'),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        WHATSAPP_ACCESS_TOKEN: 'EAAtest-oversized',
        WHATSAPP_GRAPH_API_URL: box.url,
        WHATSAPP_BUSINESS_IDS: box.state.businessIds().join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child = c;
  let log = '';
  c.stderr?.on('data', (b: Buffer) => {
    log += b.toString();
  });
  const exited = new Promise<string>((r) => c.once('exit', (code, signal) => r(`exit ${code ?? signal}`)));
  let url = '';
  createInterface({ input: c.stdout! }).on('line', (line) => {
    log += `${line}\n`;
    if (!url) url = (JSON.parse(line) as { url?: string }).url ?? '';
  });
  while (!url && c.exitCode === null) await sleep(50);
  expect(url, log.slice(-2000)).not.toBe('');

  // Scrape throughout: every one must answer (a dead process refuses the connection).
  const businesses = box.state.businessIds();
  let text = '';
  for (;;) {
    const died = await Promise.race([exited, sleep(250).then(() => undefined)]);
    expect(died, `the exporter died: ${log.slice(-3000)}`).toBeUndefined();
    const res = await request(`${url}/metrics`);
    expect(res.statusCode).toBe(200);
    text = await res.body.text();
    const down = businesses.every(
      (b) => sample(text, `whatsapp_exporter_source_up{source="graph_accounts",target="${b}"}`) === 0,
    );
    if (down && listingFailures(text) >= CYCLES * businesses.length) break;
  }
  expect(c.exitCode).toBeNull();
  // No invented numbers: nothing was ever read, so nothing is exported.
  expect(text).not.toContain('whatsapp_phone_number_info{');
  expect(log).toContain('refresh failed: keeping last good data');
  expect(log).toContain('"reason":"too_large"');
  // For the record (docs/sharding-and-budget.md, "Bounded answers"); not asserted beyond staying up.
  const rss = sample(text, 'process_resident_memory_bytes');
  const heap = sample(text, 'nodejs_heap_size_used_bytes');
  console.log(`${perListing} numbers per listing: rss ${rss} bytes, heap used ${heap} bytes`);
  return { text, log };
}

/** too_large failures of the listing edges (owned and client), batch failures not included. */
function listingFailures(text: string): number {
  return text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith(
          'whatsapp_exporter_graph_api_request_failures_total{endpoint="owned_whatsapp_business_accounts"',
        ) && l.includes('reason="too_large"'),
    )
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}
