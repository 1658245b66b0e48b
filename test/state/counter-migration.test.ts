import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEDGER_MIGRATIONS } from '../../src/state/ledger-migrations.js';
import { Ledger } from '../../src/state/ledger.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import { WebhookDb } from '../../src/state/db.js';
import { openSqlite } from '../../src/state/sqlite.js';
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
    const old = openSqlite(file);
    old.exec(MIGRATIONS[0] as string);
    old.exec('PRAGMA user_version = 1');
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
    const after = openSqlite(file);
    expect(after.pragma('user_version')).toBe(MIGRATIONS.length);
    after.close();
  });

  it('no counter key is a metric name (renaming a metric must not touch the DB)', () => {
    for (const k of Object.values(COUNTER)) expect(k.startsWith('whatsapp_')).toBe(false);
  });
});

describe('statement ledger migrations', () => {
  it('a ledger written before it had migrations (user_version 0, tables present) keeps its rows and counts nothing twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-ledger-'));
    dirs.push(dir);
    const old = openSqlite(join(dir, 'billing.db'));
    old.exec(LEDGER_MIGRATIONS[0] as string);
    old.prepare('INSERT INTO statement_rows (account, row_id, at) VALUES (?, ?, ?)').run('main', 'r1', 1_000);
    old
      .prepare('INSERT INTO totals (account, kind, currency, category, micros) VALUES (?, ?, ?, ?, ?)')
      .run('main', 'credit', 'USD', '', '5000000');
    expect(old.pragma('user_version')).toBe(0);
    old.close();
    const ledger = new Ledger(dir);
    const row = { id: 'r1', at: 1_000, kind: 'credit' as const, category: '', currency: 'USD', micros: 5_000_000n };
    const { totals, added } = ledger.apply('main', [row, { ...row, id: 'r2', at: 2_000 }]);
    ledger.close();
    expect(added).toBe(1);
    expect(totals.topups.get('USD')).toBe(10_000_000n);
    const after = openSqlite(join(dir, 'billing.db'));
    expect(after.pragma('user_version')).toBe(LEDGER_MIGRATIONS.length);
    after.close();
  });
});
