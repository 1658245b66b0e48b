/**
 * Schema of the statement ledger (billing.db), one entry per version, like the webhook DB's
 * (migrations.ts). Append only: a released migration is never edited, a change is a new entry.
 */
export const LEDGER_MIGRATIONS: readonly string[] = [
  // 1: rows seen (each counted once, ever), cumulative totals, newest entry. IF NOT EXISTS: files
  // written before the ledger had migrations (user_version 0) already hold these tables.
  `
  CREATE TABLE IF NOT EXISTS statement_rows (account TEXT NOT NULL, row_id TEXT NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (account, row_id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS totals (account TEXT NOT NULL, kind TEXT NOT NULL, currency TEXT NOT NULL, category TEXT NOT NULL,
    micros TEXT NOT NULL, PRIMARY KEY (account, kind, currency, category)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS last_entry (account TEXT PRIMARY KEY, at INTEGER NOT NULL, balance TEXT, currency TEXT);
  `,
  // 2: the polled balance's own movements, for accounts whose spend rate comes from the balance:
  // cumulative falls and rises since tracking began, the last reading they were measured from, and
  // when it was taken. Survives restarts, so a fall across a restart still counts.
  `
  CREATE TABLE balance_track (account TEXT PRIMARY KEY, currency TEXT NOT NULL, last_micros TEXT NOT NULL,
    decreases TEXT NOT NULL, increases TEXT NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // 3: the newest debit row's time, apart from the newest row of any kind: the statement's clock
  // for the spend rate must not move on a top-up or adjustment row (a day's debits divided by the
  // hours since a top-up is a rate many times too high).
  `
  CREATE TABLE last_debit (account TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  `,
];
