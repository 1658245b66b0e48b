import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BILLING_REASONS } from '../../src/billing/errors.js';
import { FAILURE_REASONS } from '../../src/sources/graph/errors.js';
import { CONNECT_CODES, TIMEOUT_CODES, transportCode, transportFailure } from '../../src/util/transport.js';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('transport failure classification', () => {
  it.each([...CONNECT_CODES])('%s → connect', (code) => {
    expect(transportFailure(coded(code))).toBe('connect');
    // fetch wraps the socket error in a TypeError's cause.
    expect(transportFailure(new TypeError('fetch failed', { cause: coded(code) }))).toBe('connect');
  });

  it.each([...TIMEOUT_CODES])('%s → timeout', (code) => {
    expect(transportFailure(coded(code))).toBe('timeout');
  });

  it('our deadline wins, whatever the error says', () => {
    const signal = AbortSignal.abort();
    expect(transportFailure(coded('ECONNRESET'), signal)).toBe('timeout');
    expect(transportFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe(
      'timeout',
    );
  });

  it('finds the code in an AggregateError (dual-stack connect) and anything unknown is connect', () => {
    const both = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'connect failed');
    expect(transportCode(both)).toBe('ECONNREFUSED');
    expect(transportFailure(both)).toBe('connect');
    expect(transportFailure(new Error('certificate has expired'))).toBe('connect');
    expect(transportFailure(undefined)).toBe('connect');
    // DOMException codes are numbers, not Node's string codes.
    expect(transportCode(new DOMException('x', 'TimeoutError'))).toBeUndefined();
  });

  it('docs/metrics.md lists exactly the reasons each failure counter starts at 0', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/metrics.md'), 'utf8');
    const values = (family: string) =>
      doc
        .match(new RegExp(`^\\| \`${family}\` \\|[^|]*\\|[^|]*\\| ([^|]*) \\|$`, 'm'))?.[1]
        ?.split(', ')
        .map((v) => v.trim());
    expect(values('whatsapp_exporter_graph_api_request_failures_total')).toEqual([...FAILURE_REASONS]);
    expect(values('whatsapp_exporter_billing_request_failures_total')).toEqual([...BILLING_REASONS]);
    expect(FAILURE_REASONS).toContain('connect');
    expect(BILLING_REASONS).toContain('connect');
  });
});
