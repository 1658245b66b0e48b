import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startWebhookStream } from '../../src/sandbox/webhooks.js';
import { lines, PATH, rig, SECRET, value, type Rig } from './helpers.js';

let r: Rig | undefined;
let sb: Sandbox | undefined;
afterEach(async () => {
  await r?.close();
  await sb?.close();
  r = sb = undefined;
});

const sum = (m: string, name: string) => lines(m, name).reduce((n, l) => n + Number(l.split(' ').pop()), 0);

describe('sandbox webhook stream', () => {
  it('POSTs signed Meta-shaped webhooks for the sandbox ids that the module accepts', async () => {
    sb = await startSandbox({ seed: 3, scenario: 'static', phoneNumbers: 4, wabas: 2 });
    r = await rig();
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const s = startWebhookStream({
      url: `${r.url}${PATH}`,
      appSecret: SECRET,
      state: sb.state,
      eventsPerSecond: 400,
      random,
    });
    const deadline = Date.now() + 10_000;
    while (s.sent() < 300 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    s.stop();
    await new Promise((res) => setTimeout(res, 200));
    const m = await r.metrics();
    expect(s.sent()).toBeGreaterThanOrEqual(300);
    expect(value(m, 'whatsapp_webhook_requests_total')).toBe(s.sent());
    expect(sum(m, 'whatsapp_webhook_request_failures_total')).toBe(0);
    const statuses = lines(m, 'whatsapp_message_statuses_total').join('\n');
    for (const w of sb.state.wabaIds()) expect(statuses).toContain(`waba_id="${w}"`);
    for (const status of ['sent', 'delivered', 'read', 'failed']) expect(statuses).toContain(`status="${status}"`);
    expect(lines(m, 'whatsapp_message_errors_total').join('\n')).toMatch(/code="13\d+"/);
    expect(sum(m, 'whatsapp_billable_messages_total')).toBeGreaterThan(0);
    // Redeliveries were sent and deduplicated: fewer status series increments than status events POSTed.
    expect(sum(m, 'whatsapp_webhook_events_total')).toBeLessThan(s.sent() + 5);
  });
});
