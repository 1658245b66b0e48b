import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxState, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { startWebhookStream, webhookTraffic } from '../../src/sandbox/webhooks.js';
import { mulberry32 } from '../../src/util/random.js';
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

describe('sandbox webhook traffic', () => {
  type Change = { field: string; value: Record<string, unknown> };
  const changes = (body: string): Array<{ waba: string; change: Change }> =>
    (JSON.parse(body) as { entry: Array<{ id: string; changes: Change[] }> }).entry.flatMap((e) =>
      e.changes.map((change) => ({ waba: e.id, change })),
    );

  it('is background only: no 131042, few failures, tiers and template statuses as the Graph side has them', () => {
    // The static population has a PAUSED, a REJECTED and a PENDING template and untiered portfolios.
    const state = createSandboxState({ seed: 5, scenario: 'static', phoneNumbers: 12, wabas: 4, businesses: 3 });
    const before = JSON.stringify(state.wabaIds().map((w) => state.getTemplates(w)));
    const traffic = webhookTraffic({ state, random: mulberry32(11) });
    const seen = new Set<string>();
    const codes = new Map<number, number>();
    let sent = 0;
    let failed = 0;
    const tiers: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const body = traffic.next() as string;
      if (seen.has(body)) continue; // a redelivery: the exporter deduplicates it
      seen.add(body);
      for (const { waba, change } of changes(body)) {
        const v = change.value;
        const businessTier = state.business(state.waba(waba)?.businessId ?? '')?.wire
          .whatsapp_business_manager_messaging_limit;
        if (change.field === 'messages')
          for (const s of (v.statuses ?? []) as Array<{ status: string; errors?: Array<{ code: number }> }>) {
            if (s.status === 'sent') sent++;
            if (s.status !== 'failed') continue;
            failed++;
            for (const e of s.errors ?? []) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
          }
        if (change.field === 'business_capability_update' && v.max_daily_conversations_per_business !== undefined)
          tiers.push(`${v.max_daily_conversations_per_business} ${businessTier}`);
        if (change.field === 'phone_number_quality_update' && v.max_daily_conversations_per_business !== undefined)
          expect(v.max_daily_conversations_per_business).toBe(businessTier);
        if (change.field === 'message_template_status_update') {
          const t = state.getTemplates(waba).find((x) => x.name === v.message_template_name);
          expect(v.event).toBe(t?.status);
        }
      }
    }
    // One 131042 pages (WhatsAppPaymentIssue): background traffic must never carry one.
    expect(codes.has(131042)).toBe(false);
    expect([...codes.keys()]).toContain(131049);
    expect(failed / (sent + failed)).toBeGreaterThan(0.01);
    expect(failed / (sent + failed)).toBeLessThan(0.03);
    const TIER_OF: Record<string, string> = {
      '250': 'TIER_250',
      '2000': 'TIER_2K',
      '10000': 'TIER_10K',
      '100000': 'TIER_100K',
    };
    expect(tiers.length).toBeGreaterThan(0);
    for (const t of tiers) {
      const [n, tier] = t.split(' ');
      expect(TIER_OF[n as string]).toBe(tier);
    }
    // Reporting a status never changes it (the stream used to toggle templates PAUSED ↔ APPROVED).
    expect(JSON.stringify(state.wabaIds().map((w) => state.getTemplates(w)))).toBe(before);
  });
});
