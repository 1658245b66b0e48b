import { describe, expect, it } from 'vitest';
import { classify } from '../../src/sources/graph/errors.js';
import { parseUsageHeaders } from '../../src/sources/graph/usage.js';
import { backoffDelay } from '../../src/util/backoff.js';
import { isPaused, jittered } from '../../src/poller/schedule.js';
import { freshData } from '../../src/poller/store.js';

const env = (code: number, subcode?: number, extra: object = {}) => ({
  error: { message: `(#${code}) x`, type: 'OAuthException', code, error_subcode: subcode, fbtrace_id: 'AbC', ...extra },
});

describe('classify', () => {
  it.each([
    [401, env(190, 463), 'auth', false],
    [401, env(190, 467), 'auth', false],
    [401, env(104), 'auth', false],
    [403, env(10), 'permission', false],
    [403, env(200), 'permission', false],
    [400, env(4), 'rate_limited', false],
    [400, env(17), 'rate_limited', false],
    [400, env(32), 'rate_limited', false],
    [400, env(613), 'rate_limited', false],
    [400, env(80007), 'rate_limited', false],
    [400, env(130429), 'rate_limited', false],
    [400, env(100, 33), 'http_4xx', false],
    [500, env(1), 'http_5xx', true],
    [503, env(2), 'http_5xx', true],
    [400, env(131000, undefined, { is_transient: true }), 'http_5xx', true],
    [502, undefined, 'http_5xx', true],
    [429, undefined, 'rate_limited', false],
    [404, undefined, 'http_4xx', false],
    [401, undefined, 'auth', false],
  ] as const)('HTTP %i %j → %s', (status, body, reason, retryable) => {
    const e = classify('waba', status, body, 60_000);
    expect(e.reason).toBe(reason);
    expect(e.retryable).toBe(retryable);
    expect(e.status).toBe(status);
    if (body) expect(e.code).toBe(body.error.code);
    if (reason === 'rate_limited') expect(e.regainMs).toBe(60_000);
  });

  it('carries code, subcode and fbtrace id, and its log form has no URL', () => {
    const e = classify('debug_token', 401, env(190, 463));
    expect(e.toLog()).toEqual({
      reason: 'auth',
      endpoint: 'debug_token',
      status: 401,
      code: 190,
      subcode: 463,
      fbtrace_id: 'AbC',
      msg: 'access token rejected (code 190/463): (#190) x',
    });
  });
});

describe('usage headers', () => {
  it('reads the BUC header (max per kind across types) and regain minutes', () => {
    const buc = JSON.stringify({
      '102290129340398': [
        {
          type: 'whatsapp_business_management',
          call_count: 28,
          total_cputime: 15,
          total_time: 25,
          estimated_time_to_regain_access: 0,
        },
        { type: 'whatsapp', call_count: 95, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 3 },
      ],
    });
    const u = parseUsageHeaders(buc, JSON.stringify({ call_count: 7, total_cputime: 0, total_time: 150 }));
    expect(u.regainMs).toBe(180_000);
    expect(u.readings).toEqual([
      { objectId: '102290129340398', kind: 'call_count', ratio: 0.95 },
      { objectId: '102290129340398', kind: 'total_cputime', ratio: 0.15 },
      { objectId: '102290129340398', kind: 'total_time', ratio: 0.25 },
      { objectId: 'app', kind: 'call_count', ratio: 0.07 },
      { objectId: 'app', kind: 'total_cputime', ratio: 0 },
      { objectId: 'app', kind: 'total_time', ratio: 1 },
    ]);
  });

  it.each([undefined, '', 'not json', '[]', '{"x": "y"}', '{"x": [null, 5, {"call_count": "high"}]}'])(
    'absent or odd header %j → no readings',
    (h) => {
      expect(parseUsageHeaders(h, h)).toEqual({ readings: [], regainMs: 0 });
    },
  );
});

describe('backoff, jitter, pause, staleness', () => {
  it('backoff doubles, caps and jitters within [exp/2, exp]', () => {
    expect(backoffDelay(0, 500, 10_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 10_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 10_000, () => 1)).toBe(4_000);
    expect(backoffDelay(10, 500, 10_000, () => 1)).toBe(10_000);
    expect(backoffDelay(10, 500, 10_000, () => 0)).toBe(5_000);
  });
  it('jitter stays within ±jitter of the interval', () => {
    expect(jittered(60_000, 0.1, () => 0)).toBe(54_000);
    expect(jittered(60_000, 0.1, () => 1)).toBe(66_000);
    expect(jittered(60_000, 0, () => 0.3)).toBe(60_000);
  });
  it('pause holds until the regain time', () => {
    expect(isPaused(undefined, 5)).toBe(false);
    expect(isPaused(10, 5)).toBe(true);
    expect(isPaused(10, 10)).toBe(false);
  });
  it('data is served until max_staleness, then dropped', () => {
    const e = { source: 's', target: 't', intervalMs: 10, maxStalenessMs: 100, data: 'x', lastSuccess: 1_000 };
    expect(freshData(e, 1_100)).toBe('x');
    expect(freshData(e, 1_101)).toBeUndefined();
    expect(freshData({ ...e, data: undefined }, 1_000)).toBeUndefined();
  });
});
