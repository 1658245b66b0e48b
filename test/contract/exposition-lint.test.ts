// The real /metrics output, process metrics on, passes `promtool check metrics` with no finding,
// and the failure counters exist at 0 before any failure (rates and failure panels work at once).
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENUM_FIELDS } from '../../src/sources/graph/enums.js';
import { FAILURE_REASONS } from '../../src/sources/graph/errors.js';
import { harness, type Harness } from '../helpers/harness.js';

const run = promisify(execFile);
let h: Harness;
let text: string;

beforeAll(async () => {
  h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 }, processMetrics: true });
  text = await h.scrape();
});
afterAll(() => h.close());

describe('the live exposition', () => {
  it('passes promtool check metrics with process and Node.js metrics on', async () => {
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/^nodejs_active_handles\{type="[A-Za-z]+"\} \d+/m);
    expect(text).not.toContain('nodejs_active_handles_total');
    const dir = join(import.meta.dirname, '../../test-output');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'live-process-metrics.prom');
    writeFileSync(file, text);
    const res = await run('sh', ['-c', `promtool check metrics < "${file}"; echo "exit=$?"`]);
    const out = `${res.stdout}${res.stderr}`;
    expect(out.replace(/exit=0\s*$/, '').trim()).toBe('');
    expect(out.trim().split('\n').pop()).toBe('exit=0');
  });

  it('Graph failure reasons and unknown enum fields start at 0', () => {
    // Batched sub-request endpoints too (most of the traffic at scale), not only the batch POST.
    for (const endpoint of ['batch', 'message_templates', 'owned_whatsapp_business_accounts'])
      for (const reason of FAILURE_REASONS)
        expect(text).toMatch(
          new RegExp(
            `^whatsapp_exporter_graph_api_request_failures_total\\{endpoint="${endpoint}",reason="${reason}"\\} 0$`,
            'm',
          ),
        );
    for (const field of ENUM_FIELDS)
      expect(text).toMatch(
        new RegExp(`^whatsapp_exporter_unknown_enum_values_total\\{field="${field}",value=""\\} 0$`, 'm'),
      );
  });
});
