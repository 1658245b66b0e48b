import { describe, expect, it } from 'vitest';
import { CONTENT_TYPES, negotiate } from '../../src/metrics/format.js';

/** What Prometheus 2.x sends on every scrape (scrape.go, scrapeAcceptHeader). */
const PROMETHEUS =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

describe('negotiate', () => {
  it.each([
    ['no header', undefined, 'text'],
    ['an empty header', '', 'text'],
    ['curl', '*/*', 'text'],
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text'],
    ['the text format', 'text/plain;version=0.0.4', 'text'],
    ['text/plain without a version', 'text/plain', 'text'],
    ["Prometheus' scrape header", PROMETHEUS, 'openmetrics'],
    ['OpenMetrics without a version', 'application/openmetrics-text', 'openmetrics'],
    ['OpenMetrics 0.0.1 only', 'application/openmetrics-text; version=0.0.1', 'openmetrics'],
    [
      'OpenMetrics, quoted version, spaces, upper case',
      'Application/OpenMetrics-Text ; Version="1.0.0" ; Q=1',
      'openmetrics',
    ],
    ['an OpenMetrics version we do not serve', 'application/openmetrics-text;version=2.0.0', 'text'],
    [
      'an OpenMetrics version we do not serve, then the text format',
      'application/openmetrics-text;version=2.0.0,text/plain;version=0.0.4;q=0.5',
      'text',
    ],
    ['text preferred by q', 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.9', 'text'],
    [
      'text preferred by q, listed last',
      'application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;q=0.6',
      'text',
    ],
    ['OpenMetrics preferred by q, listed last', 'text/plain;q=0.2,application/openmetrics-text;q=0.3', 'openmetrics'],
    ['OpenMetrics refused (q=0)', 'application/openmetrics-text;q=0,*/*', 'text'],
    ['OpenMetrics refused, nothing else named', 'application/openmetrics-text;q=0', 'text'],
    // The most specific range decides a format's q (RFC 9110 §12.5.1): */* at 1 does not lift text
    // above an explicit text/plain at 0.1.
    [
      'the wildcard does not override text/plain',
      'text/plain;q=0.1,application/openmetrics-text;q=0.5,*/*',
      'openmetrics',
    ],
    ['the full wildcard ranks text as high as OpenMetrics', '*/*,application/openmetrics-text;q=0.5', 'text'],
    ['a tie: the explicit type beats the wildcard', 'application/openmetrics-text,*/*', 'openmetrics'],
    ['a tie: text/* is less specific', 'text/*,application/openmetrics-text', 'openmetrics'],
    ['a tie between types: the first named', 'text/plain,application/openmetrics-text', 'text'],
    ['a tie between types: the first named (OpenMetrics)', 'application/openmetrics-text,text/plain', 'openmetrics'],
    ['a malformed q-value skips its range', 'application/openmetrics-text;q=high,text/plain;q=0.1', 'text'],
    ['a q-value above 1 skips its range', 'application/openmetrics-text;q=2,text/plain;q=0.1', 'text'],
    ['garbage', 'not a media type, ;;;, /, a/', 'text'],
    ['only other types', 'application/json', 'text'],
    ['other parameters are ignored', 'application/openmetrics-text;version=1.0.0;escaping=underscores', 'openmetrics'],
  ] as const)('%s → %s', (_name, accept, want) => {
    expect(negotiate(accept)).toBe(want);
  });

  it("answers with prom-client's content types", () => {
    expect(CONTENT_TYPES.text).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(CONTENT_TYPES.openmetrics).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
  });
});
