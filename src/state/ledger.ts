import { join } from 'node:path';
import type { BalanceMovements, BalanceReading, LedgerTotals } from '../billing/data.js';
import type { StatementRow } from '../billing/statement.js';
import { LEDGER_MIGRATIONS } from './ledger-migrations.js';
import { migrate } from './migrate.js';
import { openSqlite, type SqliteDb } from './sqlite.js';

/**
 * The statement ledger on disk (SQLite). Each row id is counted once, ever: a row polled twice,
 * a row that arrives late, or a statement API that restarts and serves its history again does
 * not move the counters; and counters continue across exporter restarts instead of resetting.
 */
export class Ledger {
  private readonly db: SqliteDb;

  constructor(dir: string) {
    this.db = openSqlite(join(dir, 'billing.db'));
    migrate(this.db, LEDGER_MIGRATIONS, 'statement ledger');
  }

  /** Adds the rows not seen before, in one transaction; returns the account's totals. */
  apply(account: string, rows: readonly StatementRow[]): { totals: LedgerTotals; added: number } {
    const insert = this.db.prepare('INSERT OR IGNORE INTO statement_rows (account, row_id, at) VALUES (?, ?, ?)');
    const getTotal = this.db.prepare<[string, string, string, string], { micros: string }>(
      'SELECT micros FROM totals WHERE account = ? AND kind = ? AND currency = ? AND category = ?',
    );
    const setTotal = this.db.prepare(
      'INSERT INTO totals (account, kind, currency, category, micros) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET micros = excluded.micros',
    );
    const last = this.db.prepare<[string], { at: number }>('SELECT at FROM last_entry WHERE account = ?');
    const setLast = this.db.prepare(
      'INSERT INTO last_entry (account, at, balance, currency) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET at = excluded.at, balance = excluded.balance, currency = excluded.currency',
    );
    const setLastDebit = this.db.prepare(
      'INSERT INTO last_debit (account, at) VALUES (?, ?) ON CONFLICT DO UPDATE SET at = max(at, excluded.at)',
    );
    const added = this.db.transaction(() => {
      let added = 0;
      for (const r of rows) {
        if (insert.run(account, r.id, r.at).changes === 0) continue;
        added++;
        if (r.kind === 'debit') setLastDebit.run(account, r.at);
        if (r.kind === 'adjustment') continue;
        const category = r.kind === 'credit' ? '' : r.category;
        const cur = BigInt(getTotal.get(account, r.kind, r.currency, category)?.micros ?? '0');
        setTotal.run(account, r.kind, r.currency, category, String(cur + r.micros));
      }
      // The newest row (by date; later in the statement wins ties) carries the running balance.
      let newest: StatementRow | undefined;
      for (const r of rows) if (!newest || r.at >= newest.at) newest = r;
      const prev = last.get(account)?.at;
      if (newest && (prev === undefined || newest.at >= prev))
        setLast.run(
          account,
          newest.at,
          newest.balanceMicros === undefined ? null : String(newest.balanceMicros),
          newest.currency,
        );
      return added;
    });
    return { totals: this.totals(account), added };
  }

  totals(account: string): LedgerTotals {
    const topups = new Map<string, bigint>();
    const debits = new Map<string, bigint>();
    for (const t of this.db
      .prepare<[string], { kind: string; currency: string; category: string; micros: string }>(
        'SELECT kind, currency, category, micros FROM totals WHERE account = ?',
      )
      .all(account)) {
      if (t.kind === 'credit') topups.set(t.currency, BigInt(t.micros));
      else debits.set(`${t.currency}\u0000${t.category}`, BigInt(t.micros));
    }
    const l = this.db
      .prepare<[string], { at: number; balance: string | null; currency: string | null }>(
        'SELECT at, balance, currency FROM last_entry WHERE account = ?',
      )
      .get(account);
    const d = this.db.prepare<[string], { at: number }>('SELECT at FROM last_debit WHERE account = ?').get(account);
    return {
      topups,
      debits,
      lastEntryAt: l?.at,
      lastDebitAt: d?.at,
      lastBalance:
        l && l.balance !== null && l.currency ? { micros: BigInt(l.balance), currency: l.currency } : undefined,
    };
  }

  /**
   * Adds the move from the previous reading to this one to the account's falls or rises, in one
   * transaction, and returns the totals. `at` moves only when the balance moves, so the clock
   * measures the time between changes (see BalanceMovements); a wall clock that stepped back never
   * moves it backwards. A change of currency starts over from the new reading (a fall in one
   * currency is not comparable with a rise in another).
   */
  trackBalance(account: string, reading: BalanceReading, at: number): BalanceMovements {
    type Row = { currency: string; last_micros: string; decreases: string; increases: string; at: number };
    const get = this.db.prepare<[string], Row>(
      'SELECT currency, last_micros, decreases, increases, at FROM balance_track WHERE account = ?',
    );
    const put = this.db.prepare(
      'INSERT INTO balance_track (account, currency, last_micros, decreases, increases, at) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT DO UPDATE SET currency = excluded.currency, last_micros = excluded.last_micros, ' +
        'decreases = excluded.decreases, increases = excluded.increases, at = excluded.at',
    );
    return this.db.transaction((): BalanceMovements => {
      const row = get.get(account);
      if (!row || row.currency !== reading.currency) {
        put.run(account, reading.currency, String(reading.micros), '0', '0', at);
        return { currency: reading.currency, decreasesMicros: 0n, increasesMicros: 0n, at };
      }
      const move = reading.micros - BigInt(row.last_micros);
      const dec = BigInt(row.decreases) + (move < 0n ? -move : 0n);
      const inc = BigInt(row.increases) + (move > 0n ? move : 0n);
      const when = move === 0n ? row.at : Math.max(at, row.at);
      if (move !== 0n) put.run(account, reading.currency, String(reading.micros), String(dec), String(inc), when);
      return { currency: reading.currency, decreasesMicros: dec, increasesMicros: inc, at: when };
    });
  }

  close(): void {
    this.db.close();
  }
}
