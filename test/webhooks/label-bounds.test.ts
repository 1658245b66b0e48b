// #19, D3: every label value a webhook brings is known or among the first few unknown ones; the
// rest is "other", counted. One signed POST with 30,000 distinct fields, statuses, categories and
// ids, then a restart over the same state DB file: the exposition and the persisted tables stay
// under a fixed bound. A DB written without the bounds is compacted at start, counts merged.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookDb } from '../../src/state/db.js';
import { DB_FILE } from '../../src/webhooks/index.js';
import { sign } from '../../src/webhooks/verify.js';
import { harness, sample, type Harness } from '../helpers/harness.js';

const SECRET = 'label-bounds-app-secret';
const N = 30_000;
/** Series the hostile POST may add at most: events (500) + fields (known + 5 + other) + statuses,
 * billable and errors at the business grain (13 statuses × 15 categories at most) + 5 folded counters. */
const MAX_NEW_SERIES = 1_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = (dir: string) =>
  harness({
    storageDir: dir,
    sandbox: { phoneNumbers: 2, wabas: 1, businesses: 1 },
    config: { webhooks: { app_secret: SECRET, max_body_size: '32mb' } },
  });

const seriesCount = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

/** 30,000 distinct fields on a known WABA, and 30,000 statuses with distinct status, category, WABA and number. */
function hostileBody(knownWaba: string): string {
  const fields = Array.from({ length: N }, (_, i) => ({ field: `field_${i}`, value: { event: `EVENT_${i % 50}` } }));
  const entries = Array.from({ length: 300 }, (_, e) => ({
    id: String(800_000_000_000_000 + e),
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550000000', phone_number_id: String(700_000_000_000_000 + e) },
          statuses: Array.from({ length: N / 300 }, (_, j) => {
            const i = e * (N / 300) + j;
            return {
              id: `wamid.hostile.${i}`,
              status: `status_${i}`,
              timestamp: String(1_780_000_000),
              recipient_id: String(4_915_000_000_000 + i),
              pricing: { billable: true, type: 'regular', category: `category_${i}` },
            };
          }),
        },
      },
    ],
  }));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: knownWaba, changes: fields }, ...entries],
  });
}

async function post(x: Harness, body: string): Promise<number> {
  const res = await request(`${x.exp.url}${x.exp.config().webhooks.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
    body,
  });
  await res.body.text();
  return res.statusCode;
}

async function settledScrape(x: Harness): Promise<string> {
  await x.exp.exposition.flush();
  return x.scrape();
}

describe('webhook label values are bounded, in memory and in the state DB (#19, D3)', () => {
  it('30,000 distinct fields, statuses, categories and ids: bounded series, before and after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-bounds-'));
    h = await start(dir);
    const before = seriesCount(await settledScrape(h));
    expect(await post(h, hostileBody(h.sb.state.wabaIds()[0] as string))).toBe(200);
    const after = await settledScrape(h);
    expect(seriesCount(after) - before).toBeLessThanOrEqual(MAX_NEW_SERIES);
    expect(
      after.split('\n').filter((l) => l.startsWith('whatsapp_webhook_last_received_timestamp_seconds{')).length,
    ).toBeLessThanOrEqual(40);
    // Folds are counted: nearly every one of the 30,000 values of each label.
    for (const label of ['field', 'status', 'pricing_category', 'waba_id', 'phone_number_id'])
      expect(sample(after, `whatsapp_webhook_label_values_folded_total{label="${label}"}`), label).toBeGreaterThan(
        N / 300 - 200,
      );
    // Nothing is lost: every status is still counted, most of them as "other".
    const statuses = after
      .split('\n')
      .filter((l) => l.startsWith('whatsapp_message_statuses_total{'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(statuses).toBe(N);
    await h.close();

    h = await start(dir);
    const restarted = await settledScrape(h);
    expect(seriesCount(restarted) - before).toBeLessThanOrEqual(MAX_NEW_SERIES);
    // The same POST again: all duplicates, nothing new, still bounded.
    expect(await post(h, hostileBody(h.sb.state.wabaIds()[0] as string))).toBe(200);
    expect(seriesCount(await settledScrape(h)) - before).toBeLessThanOrEqual(MAX_NEW_SERIES);
    await h.close();
    h = undefined;
    const db = WebhookDb.open(join(dir, DB_FILE));
    try {
      const rows = db.rowCounts();
      expect(rows.counters).toBeLessThanOrEqual(MAX_NEW_SERIES + 500);
      expect(rows.last_received).toBeLessThanOrEqual(40);
    } finally {
      db.close();
    }
  });

  it('a state DB written without the bounds (31,000 fields, 31,000 statuses) is compacted at start, counts merged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-bounds-old-'));
    const path = join(dir, DB_FILE);
    const old = WebhookDb.open(path);
    const ids = { business_id: '', waba_id: '102290129340398', phone_number_id: '106540352242922' };
    old.apply({
      units: Array.from({ length: 31_000 }, (_, i) => ({
        key: `old-${i}`,
        at: 1,
        counters: [
          { family: 'statuses', labels: { ...ids, status: `status_${i}`, pricing_category: 'marketing' }, value: 2 },
        ],
      })),
      received: new Map(Array.from({ length: 31_000 }, (_, i) => [`field_${i}`, 1_000 + i])),
    });
    expect(old.rowCounts().last_received).toBe(31_000);
    old.close();

    h = await start(dir);
    const text = await settledScrape(h);
    expect(seriesCount(text)).toBeLessThan(2_000);
    const statuses = text
      .split('\n')
      .filter((l) => l.startsWith('whatsapp_message_statuses_total{'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    expect(statuses).toBe(62_000);
    expect(text).toContain('status="other"');
    // The most recent unknown fields keep their names.
    expect(text).toContain('field="field_30999"');
    expect(text).not.toContain('field="field_0"');
    await h.close();
    h = undefined;
    const db = WebhookDb.open(path);
    try {
      expect(db.rowCounts().counters).toBeLessThanOrEqual(10);
      expect(db.rowCounts().last_received).toBeLessThanOrEqual(10);
    } finally {
      db.close();
    }
  });
});
