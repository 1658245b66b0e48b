import { createHash, createHmac, randomBytes } from 'node:crypto';
import { canonicalLabels, type CounterInc, type Labels } from './counters.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations.js';
import { openSqlite, type SqliteDb } from './sqlite.js';

/** One deduplicated unit of work: applied only when its key has not been seen before. */
export interface Unit {
  readonly key: string;
  /** ms; when the key may be forgotten is decided from this (dedupe retention). */
  readonly at: number;
  readonly counters: readonly CounterInc[];
  readonly recipients?: readonly RecipientRow[];
  readonly marketing?: readonly MarketingRow[];
  /** A user id's hash → the phone's hash, learnt from a status that carried both. */
  readonly aliases?: ReadonlyArray<{ readonly alias: Buffer; readonly hash: Buffer; readonly at: number }>;
}

export interface RecipientRow {
  readonly hash: Buffer;
  readonly businessId: string;
  readonly wabaId: string;
  readonly phoneNumberId: string;
  readonly at: number;
}

export interface MarketingRow {
  readonly hash: Buffer;
  readonly businessId: string;
  readonly messageId: string;
  readonly at: number;
}

export interface Batch {
  readonly units: readonly Unit[];
  /** field → ms: the last time a webhook of that field arrived (duplicates included). */
  readonly received: ReadonlyMap<string, number>;
}

export interface Applied {
  /** Per unit: whether it was new (applied) or a duplicate. */
  readonly fresh: readonly boolean[];
  /** Increments of the fresh units, summed per series (what the in-memory counters must add). */
  readonly increments: readonly CounterInc[];
}

export const SALT_KEY = 'recipient_salt';
const PRUNE_CHUNK = 5_000;
/**
 * WAL pages (4 KiB) between automatic checkpoints, where synchronous=NORMAL fsyncs and the event
 * loop stalls for the length of the checkpoint. Measured with bench/webhooks.ts at 2,000 status
 * events/s offered: 250 pages → p99 34 ms, capacity 2,900/s; 500 → p99 31–33 ms, 3,300/s;
 * 1000 (SQLite's default) → p99 44 ms; 4000 → p99 75 ms, 3,900/s. Short stalls win: the ack p99
 * is what makes Meta back off. A checkpointing worker thread was tried and was slower (the second
 * connection contends for the WAL index).
 */
const CHECKPOINT_PAGES = 500;
/** Precision of a recipient's last-message time (the 24 h window may be up to this much late). */
export const RECIPIENT_GRANULARITY_MS = 60_000;

/**
 * The webhook state DB (SQLite through ./sqlite.ts: WAL, synchronous=NORMAL, so a committed
 * transaction survives a process crash; a power loss may lose the last few, which Meta then
 * redelivers). Everything a
 * POST changes is written in one transaction, so an acknowledged webhook is either fully counted
 * or, after a crash before the commit, not at all (and redelivered by Meta).
 */
export class WebhookDb {
  private readonly db: SqliteDb;
  private readonly salt: Buffer;
  private readonly st;

  private constructor(readonly path: string) {
    // WAL, synchronous=NORMAL and busy_timeout come with openSqlite. Dedupe keys are random
    // 128-bit digests, so inserts touch random pages: a larger page cache (64 MB, a ceiling not an
    // allocation) keeps the hot part of the B-trees in memory.
    this.db = openSqlite(path, { pragmas: { cache_size: -65536, wal_autocheckpoint: CHECKPOINT_PAGES } });
    migrate(this.db, MIGRATIONS, 'webhook state DB');
    this.salt = loadSalt(this.db);
    const d = this.db;
    this.st = {
      dedupe: d.prepare('INSERT OR IGNORE INTO dedupe (key, at) VALUES (?, ?)'),
      counter: d.prepare(
        'INSERT INTO counters (family, labels, value) VALUES (?, ?, ?) ON CONFLICT (family, labels) DO UPDATE SET value = value + excluded.value',
      ),
      // A recipient's row is rewritten only when its time moves by more than a minute: delivered
      // and read follow sent within seconds, and each rewrite costs a random page write.
      recipientBiz: d.prepare(
        `INSERT INTO recipients_business (business_id, hash, last_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET last_at = excluded.last_at WHERE excluded.last_at > last_at + ${RECIPIENT_GRANULARITY_MS}`,
      ),
      recipientPhone: d.prepare(
        `INSERT INTO recipients_phone (business_id, waba_id, phone_number_id, hash, last_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET last_at = excluded.last_at WHERE excluded.last_at > last_at + ${RECIPIENT_GRANULARITY_MS}`,
      ),
      marketing: d.prepare(
        'INSERT OR IGNORE INTO marketing_sends (business_id, hash, message_id, at) VALUES (?, ?, ?, ?)',
      ),
      alias: d.prepare(
        'INSERT INTO recipient_alias (alias, hash, at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET hash = excluded.hash, at = max(at, excluded.at)',
      ),
      aliasOf: d.prepare('SELECT hash FROM recipient_alias WHERE alias = ?'),
      received: d.prepare(
        'INSERT INTO last_received (field, at) VALUES (?, ?) ON CONFLICT DO UPDATE SET at = max(at, excluded.at)',
      ),
      uniqueBiz: d.prepare(
        'SELECT business_id AS businessId, COUNT(*) AS n FROM recipients_business WHERE last_at > ? GROUP BY business_id',
      ),
      uniquePhone: d.prepare(
        'SELECT business_id AS businessId, waba_id AS wabaId, phone_number_id AS phoneNumberId, COUNT(*) AS n FROM recipients_phone WHERE last_at > ? GROUP BY business_id, waba_id, phone_number_id',
      ),
      atCap: d.prepare(
        'SELECT business_id AS businessId, COUNT(*) AS n FROM (SELECT business_id, hash FROM marketing_sends WHERE at > ? GROUP BY business_id, hash HAVING COUNT(*) >= ?) GROUP BY business_id',
      ),
      marketingBusinesses: d.prepare('SELECT DISTINCT business_id AS businessId FROM marketing_sends'),
    };
  }

  /** Opens (creating directories and schema as needed) the DB at `path`, or ':memory:'. */
  static open(path: string): WebhookDb {
    return new WebhookDb(path);
  }

  /** HMAC-SHA256(salt, recipient) truncated to 128 bits: countable, not reversible without the salt. */
  hashRecipient(recipient: string): Buffer {
    return createHmac('sha256', this.salt).update(recipient).digest().subarray(0, 16);
  }

  /** The phone hash a user id's hash stands for, when a status carried both (see migration 3). */
  aliasOf(alias: Buffer): Buffer | undefined {
    return (this.st.aliasOf.get(alias) as { hash: Buffer } | undefined)?.hash;
  }

  /** Applies a POST's units in one transaction; duplicates (keys already stored) change nothing. */
  apply(batch: Batch): Applied {
    return this.db.transaction((): Applied => {
      const fresh: boolean[] = [];
      const sums = new Map<string, { family: string; labels: Labels; canon: string; value: number }>();
      for (const u of batch.units) {
        const isNew = this.st.dedupe.run(dedupeKey(u.key), u.at).changes === 1;
        fresh.push(isNew);
        if (!isNew) continue;
        for (const c of u.counters) {
          // A cheap key for summing; the canonical form is computed once per distinct series.
          const k = `${c.family}\u0000${Object.keys(c.labels).join('\u0001')}\u0000${Object.values(c.labels).join('\u0001')}`;
          const s = sums.get(k);
          if (s) s.value += c.value;
          else sums.set(k, { family: c.family, labels: c.labels, canon: '', value: c.value });
        }
        for (const r of u.recipients ?? []) {
          this.st.recipientBiz.run(r.businessId, r.hash, r.at);
          this.st.recipientPhone.run(r.businessId, r.wabaId, r.phoneNumberId, r.hash, r.at);
        }
        for (const m of u.marketing ?? []) this.st.marketing.run(m.businessId, m.hash, m.messageId, m.at);
        for (const a of u.aliases ?? []) this.st.alias.run(a.alias, a.hash, a.at);
      }
      for (const s of sums.values()) this.st.counter.run(s.family, (s.canon = canonicalLabels(s.labels)), s.value);
      for (const [field, at] of batch.received) this.st.received.run(field, at);
      return { fresh, increments: [...sums.values()].map(({ family, labels, value }) => ({ family, labels, value })) };
    });
  }

  loadCounters(): CounterInc[] {
    const rows = this.db.prepare('SELECT family, labels, value FROM counters').all() as Array<{
      family: string;
      labels: string;
      value: number;
    }>;
    return rows.map((r) => ({ family: r.family, labels: JSON.parse(r.labels) as Labels, value: r.value }));
  }

  /**
   * Replaces every persisted counter (start-up compaction, when label values were folded into
   * "other" and their counts merged). One transaction: a crash leaves the old table.
   */
  replaceCounters(all: readonly CounterInc[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM counters').run();
      for (const c of all) this.st.counter.run(c.family, canonicalLabels(c.labels), c.value);
    });
  }

  /** Replaces the last-received table (start-up compaction of unbounded field names). */
  replaceLastReceived(all: ReadonlyMap<string, number>): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM last_received').run();
      for (const [field, at] of all) this.st.received.run(field, at);
    });
  }

  lastReceived(): Map<string, number> {
    const rows = this.db.prepare('SELECT field, at FROM last_received').all() as Array<{ field: string; at: number }>;
    return new Map(rows.map((r) => [r.field, r.at]));
  }

  uniqueRecipientsByBusiness(sinceMs: number): Array<{ businessId: string; n: number }> {
    return this.st.uniqueBiz.all(sinceMs) as Array<{ businessId: string; n: number }>;
  }

  uniqueRecipientsByPhone(
    sinceMs: number,
  ): Array<{ businessId: string; wabaId: string; phoneNumberId: string; n: number }> {
    return this.st.uniquePhone.all(sinceMs) as Array<{
      businessId: string;
      wabaId: string;
      phoneNumberId: string;
      n: number;
    }>;
  }

  /** Per business: recipients who got at least `messages` distinct marketing messages since `sinceMs`. */
  recipientsAtCap(sinceMs: number, messages: number): Array<{ businessId: string; n: number }> {
    return this.st.atCap.all(sinceMs, messages) as Array<{ businessId: string; n: number }>;
  }

  marketingBusinesses(): string[] {
    return (this.st.marketingBusinesses.all() as Array<{ businessId: string }>).map((r) => r.businessId);
  }

  /**
   * Deletes up to one chunk of expired rows per table; returns how many rows went. Callers loop
   * (yielding in between) until it returns less than a full chunk, so a large backlog never
   * blocks the event loop for long.
   */
  pruneStep(o: { dedupeBefore: number; recipientsBefore: number; marketingBefore: number }): number {
    const del = (table: string, pk: string, col: string, before: number) =>
      this.db
        .prepare(
          `DELETE FROM ${table} WHERE (${pk}) IN (SELECT ${pk} FROM ${table} WHERE ${col} < ? LIMIT ${PRUNE_CHUNK})`,
        )
        .run(before).changes;
    return this.db.transaction(
      () =>
        del('dedupe', 'key', 'at', o.dedupeBefore) +
        del('recipients_business', 'business_id, hash', 'last_at', o.recipientsBefore) +
        del('recipients_phone', 'business_id, waba_id, phone_number_id, hash', 'last_at', o.recipientsBefore) +
        del('marketing_sends', 'business_id, hash, message_id', 'at', o.marketingBefore) +
        // Aliases serve both windows: kept as long as the longer one.
        del('recipient_alias', 'alias', 'at', Math.min(o.recipientsBefore, o.marketingBefore)),
    );
  }

  static readonly PRUNE_CHUNK = PRUNE_CHUNK;

  /** Row counts per table (tests, bench). */
  rowCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of [
      'dedupe',
      'counters',
      'recipients_business',
      'recipients_phone',
      'marketing_sends',
      'last_received',
    ]) {
      out[t] = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    }
    return out;
  }

  /** Raw access for tests that must prove no phone number is stored in clear (BLOBs as Buffers). */
  dump(): unknown[] {
    const rows = this.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .flatMap((t) => this.db.prepare(`SELECT * FROM ${t.name}`).all());
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v) : v])),
    );
  }

  close(): void {
    this.db.close();
  }
}

/** Dedupe keys are stored as 128-bit digests: fixed size whatever Meta's ids look like. */
function dedupeKey(key: string): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 16);
}

function loadSalt(db: SqliteDb): Buffer {
  const row = db.prepare<[string], { value: Uint8Array }>('SELECT value FROM meta WHERE key = ?').get(SALT_KEY);
  if (row) return Buffer.from(row.value);
  const salt = randomBytes(32);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(SALT_KEY, salt);
  return salt;
}
