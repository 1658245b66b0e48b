// The lean defaults over real HTTP: message counts summed to metrics.aggregate_by with failures kept
// per number, per-source health aggregates with per-target series only for failing targets, and
// subset families that export every row when opted in.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { sign } from '../../src/webhooks/verify.js';
import { family, harness, sample, type Harness } from '../helpers/harness.js';
import { sumOf } from '../shard/helpers.js';

const SECRET = 'lean-app-secret';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A sent and a failed status (error 131026) on every number of the sandbox. */
async function postStatuses(x: Harness): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const wabas = x.sb.state.wabaIds();
  for (const [w, waba] of wabas.entries()) {
    const phones = x.sb.state.phoneIds().filter((p) => x.sb.state.phone(p)?.wabaId === waba);
    const entry = phones.map((p, i) => ({
      id: waba,
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { phone_number_id: p },
            statuses: [
              {
                id: `wamid.L${w}-${i}-a`,
                status: 'sent',
                timestamp: String(now),
                recipient_id: `4479000000${w}${i}`,
                pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
              },
              {
                id: `wamid.L${w}-${i}-b`,
                status: 'failed',
                timestamp: String(now),
                recipient_id: `4479000001${w}${i}`,
                errors: [{ code: 131026, title: 'Message undeliverable' }],
              },
            ],
          },
        },
      ],
    }));
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry });
    const res = await request(`${x.exp.url}/webhooks/whatsapp`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  }
  await x.exp.exposition.flush();
}

const rows = family;

describe('metrics.aggregate_by', () => {
  it('business (default): statuses and billable counts per portfolio, failures per number', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 }, env: { WHATSAPP_APP_SECRET: SECRET } });
    await postStatuses(h);
    const text = await h.scrape();
    const business = h.sb.state.businessIds()[0];
    expect(rows(text, 'whatsapp_message_statuses_total')).toEqual([
      `whatsapp_message_statuses_total{business_id="${business}",status="sent",pricing_category="utility"} 4`,
      `whatsapp_message_statuses_total{business_id="${business}",status="failed",pricing_category=""} 4`,
    ]);
    expect(rows(text, 'whatsapp_billable_messages_total')).toEqual([
      `whatsapp_billable_messages_total{business_id="${business}",pricing_category="utility"} 4`,
    ]);
    // One failure series per number, with its WABA and code.
    const errors = rows(text, 'whatsapp_message_errors_total');
    expect(errors).toHaveLength(4);
    for (const p of h.sb.state.phoneIds()) expect(errors.some((l) => l.includes(`phone_number_id="${p}"`))).toBe(true);
  });

  it('phone_number: every count per number, summing to the portfolio figure', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 },
      env: { WHATSAPP_APP_SECRET: SECRET },
      config: { metrics: { aggregate_by: 'phone_number' } },
    });
    await postStatuses(h);
    const text = await h.scrape();
    const sent = rows(text, 'whatsapp_message_statuses_total').filter((l) => l.includes('status="sent"'));
    expect(sent).toHaveLength(4);
    expect(sent.every((l) => / 1$/.test(l) && l.includes('phone_number_id="'))).toBe(true);
  });

  it('waba: counts per WABA, no phone_number_id', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 },
      env: { WHATSAPP_APP_SECRET: SECRET },
      config: { metrics: { aggregate_by: 'waba' } },
    });
    await postStatuses(h);
    const text = await h.scrape();
    const sent = rows(text, 'whatsapp_message_statuses_total').filter((l) => l.includes('status="sent"'));
    expect(sent).toHaveLength(2);
    expect(sent.some((l) => l.includes('phone_number_id'))).toBe(false);
    expect(sumOf(text, 'whatsapp_message_statuses_total', 'status="sent"')).toBe(4);
  });
});

describe('source health at fleet grain', () => {
  it('aggregates per source; per-target series only for a failing target; all of them when opted in', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 }, config: { metrics: {} } });
    let text = await h.scrape();
    expect(sample(text, 'whatsapp_exporter_source_targets{source="graph_templates",state="up"}')).toBe(2);
    expect(sample(text, 'whatsapp_exporter_source_targets{source="graph_templates",state="failing"}')).toBe(0);
    expect(rows(text, 'whatsapp_exporter_source_up')).toEqual([]);
    expect(rows(text, 'whatsapp_exporter_source_oldest_success_timestamp_seconds').length).toBeGreaterThan(3);
    expect(text).toMatch(
      /^whatsapp_exporter_source_refresh_seconds_count\{source="graph_templates",outcome="success"\} 2$/m,
    );

    const waba = h.sb.state.wabaIds()[1] as string;
    h.sb.faults.add({ kind: 'http_5xx', match: `${waba}/message_templates`, times: 1_000 });
    await h.refresh();
    text = await h.scrape();
    expect(sample(text, 'whatsapp_exporter_source_targets{source="graph_templates",state="failing"}')).toBe(1);
    expect(rows(text, 'whatsapp_exporter_source_up')).toEqual([
      `whatsapp_exporter_source_up{source="graph_templates",target="${waba}"} 0`,
    ]);
    // The staleness alert needs the target's last success and interval under the same labels.
    expect(
      sample(text, `whatsapp_exporter_source_refresh_interval_seconds{source="graph_templates",target="${waba}"}`),
    ).toBe(3600);
    expect(rows(text, 'whatsapp_exporter_source_last_success_timestamp_seconds')).toHaveLength(1);
    await h.close();

    h = await harness({
      sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 },
      config: { metrics: { opt_in: ['whatsapp_exporter_source_up'] } },
    });
    text = await h.scrape();
    expect(rows(text, 'whatsapp_exporter_source_up').length).toBe(
      sumOf(text, 'whatsapp_exporter_source_targets', 'state="up"'),
    );
    // Opting in one per-target family does not opt in the others.
    expect(rows(text, 'whatsapp_exporter_source_last_attempt_timestamp_seconds')).toEqual([]);
  });
});

describe('subset families', () => {
  it('phone health: only numbers that are not AVAILABLE by default, every number when opted in', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [limited] = h.sb.state.phoneIds();
    h.sb.state.updatePhone(limited as string, { health_status: { can_send_message: 'LIMITED', entities: [] } });
    await h.refresh();
    const text = await h.scrape();
    const health = rows(text, 'whatsapp_phone_number_health');
    expect(health.filter((l) => l.includes('state="AVAILABLE"'))).toEqual([]);
    expect(
      health.filter((l) => l.includes(`phone_number_id="${limited}"`) && l.includes('state="LIMITED"')),
    ).toHaveLength(1);
    await h.close();

    h = await harness({
      sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 },
      config: { metrics: { opt_in: ['whatsapp_phone_number_health'] } },
    });
    expect(rows(await h.scrape(), 'whatsapp_phone_number_health')).toHaveLength(4);
  });

  it('templates: per-template series for templates that need attention; counts for all', async () => {
    h = await harness({ sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1, templatesPerWaba: 4 } });
    const text = await h.scrape();
    // Expected from the sandbox's own templates: not APPROVED, or quality YELLOW or RED.
    const expected = h.sb.state
      .wabaIds()
      .flatMap((w) => h?.sb.state.getTemplates(w).map((t) => ({ w, t })) ?? [])
      .filter(({ t }) => t.status !== 'APPROVED' || ['YELLOW', 'RED'].includes(String(t.quality_score?.score)))
      .map(({ w, t }) => `${w}/${t.name}/${t.language}`)
      .sort();
    const exported = rows(text, 'whatsapp_message_template_status')
      .map((l) => {
        const label = (n: string) => new RegExp(`${n}="([^"]*)"`).exec(l)?.[1];
        return `${label('waba_id')}/${label('template_name')}/${label('language')}`;
      })
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(8);
    expect(exported).toEqual(expected);
    expect(sumOf(text, 'whatsapp_message_templates')).toBe(8);
  });
});
