import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { control, get, V } from './helpers.js';

describe('usage headers', () => {
  it('report percent of the hourly budget per WABA/business, throttle at 100% and recover after an hour', async () => {
    const clock = new ManualClock();
    const sb = await startSandbox({ clock, hourlyBudget: 10 });
    try {
      const [w0, w1] = sb.state.wabaIds() as [string, string];
      const biz = sb.state.businessIds()[0]!;
      let r = await get(sb, `/${V}/${w0}`);
      expect(JSON.parse(r.headers['x-business-use-case-usage']!)).toEqual({
        [w0]: [
          {
            type: 'whatsapp_business_management',
            call_count: 10,
            total_cputime: 4,
            total_time: 6,
            estimated_time_to_regain_access: 0,
          },
        ],
      });
      expect(JSON.parse(r.headers['x-app-usage']!)).toEqual({ call_count: 0, total_cputime: 0, total_time: 0 });
      // A phone read is charged to its WABA; a business edge to the business.
      r = await get(sb, `/${V}/${sb.state.phoneIds()[0]}`);
      expect(JSON.parse(r.headers['x-business-use-case-usage']!)[w0][0].call_count).toBe(20);
      r = await get(sb, `/${V}/${biz}/owned_whatsapp_business_accounts`);
      expect(Object.keys(JSON.parse(r.headers['x-business-use-case-usage']!))).toEqual([biz]);
      for (let i = 0; i < 7; i++) await get(sb, `/${V}/${w0}/phone_numbers`);
      clock.advance(10 * 60_000);
      r = await get(sb, `/${V}/${w0}`); // the tenth call: 100%
      expect(r.status).toBe(200);
      r = await get(sb, `/${V}/${w0}`);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe(80007);
      const usage = JSON.parse(r.headers['x-business-use-case-usage']!)[w0][0];
      expect(usage.call_count).toBe(100);
      expect(usage.estimated_time_to_regain_access).toBe(50); // the first nine calls leave the window in 50 min
      expect((await get(sb, `/${V}/${w1}`)).status).toBe(200); // budgets are per WABA
      clock.advance(50 * 60_000);
      expect((await get(sb, `/${V}/${w0}`)).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});

describe('stats', () => {
  it('counts HTTP requests, batch elements and kinds, never control calls', async () => {
    const sb = await startSandbox();
    try {
      const biz = sb.state.businessIds()[0]!;
      const waba = sb.state.wabaIds()[0]!;
      await get(sb, `/${V}/${biz}/owned_whatsapp_business_accounts`);
      await get(sb, `/${V}/${biz}/client_whatsapp_business_accounts`);
      await get(sb, `/${V}/${biz}`);
      await get(sb, `/${V}/${waba}`);
      await get(sb, `/${V}/${waba}/phone_numbers`);
      await get(sb, `/${V}/${waba}/message_templates`);
      await get(sb, `/${V}/${sb.state.phoneIds()[0]}`);
      await get(sb, `/${V}/debug_token?input_token=x`);
      await get(sb, `/${V}/me/businesses`);
      await get(sb, `/${V}/${waba}`, null); // unauthenticated calls still cost a request
      await control(sb, 'GET', '/state');
      expect(sb.stats.toJSON()).toEqual({
        httpRequests: 10,
        subRequests: 0,
        byKind: {
          owned_wabas: 1,
          client_wabas: 1,
          business: 1,
          waba: 2,
          phone_numbers: 1,
          message_templates: 1,
          phone: 1,
          debug_token: 1,
          me_businesses: 1,
        },
      });
      const overHttp = await control(sb, 'GET', '/stats');
      expect(overHttp.json.httpRequests).toBe(10);
      await control(sb, 'POST', '/stats/reset');
      expect(sb.stats.httpRequests).toBe(0);
      expect(sb.stats.byKind).toEqual({});
    } finally {
      await sb.close();
    }
  });
});
