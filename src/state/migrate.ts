import type { SqliteDb } from './sqlite.js';

/**
 * Brings a state DB up to the newest schema: PRAGMA user_version records how many entries of
 * `migrations` a file has applied; each entry runs in its own transaction. A file from a newer
 * exporter is refused rather than written with an older idea of the schema.
 */
export function migrate(db: SqliteDb, migrations: readonly string[], what: string): void {
  const current = Number(db.pragma('user_version'));
  if (current > migrations.length)
    throw new Error(`${what} schema version ${current} is newer than this exporter knows (${migrations.length})`);
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
    });
  }
}
