import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { WebhookDb } from '../../src/state/db.js';
import { COUNTER } from '../../src/webhooks/counter-keys.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('persisted counters: stable keys, migrated from metric names', () => {
  it('a state DB written by a version that keyed counters by metric name loads under the stable keys, values intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-migrate-'));
    dirs.push(dir);
    const file = join(dir, 'webhooks.db');
    // The schema as version 1 left it, with counters under their metric names.
    const old = new Database(file);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    const put = old.prepare('INSERT INTO counters (family, labels, value) VALUES (?, ?, ?)');
    put.run('whatsapp_message_statuses_total', JSON.stringify({ status: 'sent', waba_id: 'w' }), 3);
    put.run('whatsapp_message_errors_total', JSON.stringify({ code: '131049' }), 2);
    put.run('whatsapp_billable_messages_total', JSON.stringify({ pricing_category: 'marketing' }), 5);
    put.run('whatsapp_estimated_cost_total', JSON.stringify({ currency: 'USD' }), 0.25);
    put.run('whatsapp_webhook_events_total', JSON.stringify({ event: 'x', field: 'messages' }), 9);
    old.close();

    const db = WebhookDb.open(file);
    const loaded = new Map(db.loadCounters().map((c) => [c.family, c.value]));
    db.close();
    expect(Object.fromEntries(loaded)).toEqual({
      [COUNTER.statuses]: 3,
      [COUNTER.errors]: 2,
      [COUNTER.billable]: 5,
      [COUNTER.estimatedCost]: 0.25,
      [COUNTER.events]: 9,
    });
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    after.close();
  });

  it('no counter key is a metric name (renaming a metric must not touch the DB)', () => {
    for (const k of Object.values(COUNTER)) expect(k.startsWith('whatsapp_')).toBe(false);
  });
});
