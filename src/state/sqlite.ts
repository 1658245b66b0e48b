/**
 * The one place that knows the SQLite driver: Node's built-in node:sqlite (DatabaseSync; no
 * native addon to compile, see docs/runtime.md). The state DBs (webhook state in db.ts, the
 * statement ledger in ledger.ts) and migrate.ts use only what this module exports: openSqlite()
 * and the SqliteDb interface.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import { makeDirs } from './dir.js';

/** What a statement may bind: Buffers and other typed arrays are BLOBs. */
export type SqlValue = null | number | bigint | string | NodeJS.ArrayBufferView;

export interface SqliteStatement<P extends readonly SqlValue[] = SqlValue[], R = Record<string, unknown>> {
  /** Executes; `changes` counts the rows inserted, updated or deleted. */
  run(...params: P): { changes: number };
  /** The first row, or undefined. BLOB columns come back as Uint8Array (not Buffer). */
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

export interface SqliteDb {
  readonly path: string;
  readonly isOpen: boolean;
  /** Runs one or more statements without parameters (DDL, PRAGMA assignments). */
  exec(sql: string): void;
  prepare<P extends readonly SqlValue[] = SqlValue[], R = Record<string, unknown>>(sql: string): SqliteStatement<P, R>;
  /**
   * Runs `fn` in a transaction and returns its result: committed when it returns, rolled back
   * when it throws. Nested calls become savepoints.
   */
  transaction<T>(fn: () => T): T;
  /** Reads one PRAGMA's value (e.g. 'user_version'). */
  pragma(name: string): unknown;
  /** Idempotent. */
  close(): void;
}

export interface OpenOptions {
  /** PRAGMA assignments run after the defaults, e.g. { cache_size: -65536 }. */
  readonly pragmas?: Readonly<Record<string, string | number>>;
}

/**
 * Opens (creating the parent directory) the SQLite file at `path`, or ':memory:'. Every state DB
 * gets WAL, synchronous=NORMAL (a committed transaction survives a process crash; a power loss may
 * lose the last few) and a 5 s busy timeout.
 */
export function openSqlite(path: string, o: OpenOptions = {}): SqliteDb {
  if (path !== ':memory:') makeDirs(dirname(path));
  const { DatabaseSync } = driver();
  const raw = new DatabaseSync(path);
  const pragmas: Record<string, string | number> = {
    journal_mode: 'WAL',
    synchronous: 'NORMAL',
    busy_timeout: 5000,
    ...o.pragmas,
  };
  for (const [k, v] of Object.entries(pragmas)) raw.exec(`PRAGMA ${k} = ${v}`);
  return new Db(path, raw);
}

class Db implements SqliteDb {
  private depth = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly raw: NodeSqlite.DatabaseSync,
  ) {}

  get isOpen(): boolean {
    return !this.closed;
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  prepare<P extends readonly SqlValue[] = SqlValue[], R = Record<string, unknown>>(sql: string): SqliteStatement<P, R> {
    // StatementSync's run/get/all have exactly this shape; only the row type is narrowed.
    const st = this.raw.prepare(sql);
    return {
      run: (...params: P) => st.run(...params) as { changes: number },
      get: (...params: P) => st.get(...params) as R | undefined,
      all: (...params: P) => st.all(...params) as R[],
    };
  }

  transaction<T>(fn: () => T): T {
    const sp = `sp${this.depth}`;
    this.raw.exec(this.depth === 0 ? 'BEGIN' : `SAVEPOINT ${sp}`);
    this.depth++;
    try {
      const out = fn();
      this.depth--;
      this.raw.exec(this.depth === 0 ? 'COMMIT' : `RELEASE ${sp}`);
      return out;
    } catch (err) {
      this.depth--;
      // A failed COMMIT or statement may already have ended the transaction.
      try {
        this.raw.exec(this.depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${sp}; RELEASE ${sp}`);
      } catch {
        /* nothing left to roll back */
      }
      throw err;
    }
  }

  pragma(name: string): unknown {
    const row = this.raw.prepare(`PRAGMA ${name}`).get();
    return row ? Object.values(row)[0] : undefined;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.raw.close();
  }
}

let loaded: typeof NodeSqlite | undefined;

/**
 * node:sqlite, loaded on first use. Node 22 (22.13+) prints "ExperimentalWarning: SQLite is an
 * experimental feature" when the module loads (Node 24 does not): that one warning is dropped, any
 * other warning goes through. Loaded with require (not a static import) so that the filter is in
 * place before the module's first load.
 */
function driver(): typeof NodeSqlite {
  if (loaded) return loaded;
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const msg = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && msg.startsWith('SQLite is an experimental feature')) return;
    return (emit as (...a: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    loaded = createRequire(import.meta.url)('node:sqlite') as typeof NodeSqlite;
  } catch (err) {
    throw new Error(
      `the state DB needs node:sqlite, built into Node 22.13 and later; this is Node ${process.versions.node}`,
      { cause: err },
    );
  } finally {
    process.emitWarning = emit;
  }
  return loaded;
}
