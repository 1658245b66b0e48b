/**
 * Schema of the webhook state DB, one entry per version; PRAGMA user_version records how far a
 * file got. Append only: a released migration is never edited, a change is a new entry.
 *
 * Nothing here stores a phone number: recipients are HMAC-SHA256(salt, digits) truncated to 16
 * bytes, with a random salt created on first run (meta.recipient_salt).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: dedupe keys, persisted counters, rolling recipient windows, marketing sends.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
  CREATE TABLE dedupe (key BLOB PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX dedupe_at ON dedupe(at);
  CREATE TABLE counters (family TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (family, labels)) WITHOUT ROWID;
  CREATE TABLE recipients_business (business_id TEXT NOT NULL, hash BLOB NOT NULL, last_at INTEGER NOT NULL, PRIMARY KEY (business_id, hash)) WITHOUT ROWID;
  CREATE INDEX recipients_business_at ON recipients_business(last_at);
  CREATE TABLE recipients_phone (business_id TEXT NOT NULL, waba_id TEXT NOT NULL, phone_number_id TEXT NOT NULL, hash BLOB NOT NULL, last_at INTEGER NOT NULL,
    PRIMARY KEY (business_id, waba_id, phone_number_id, hash)) WITHOUT ROWID;
  CREATE INDEX recipients_phone_at ON recipients_phone(last_at);
  CREATE TABLE marketing_sends (business_id TEXT NOT NULL, hash BLOB NOT NULL, message_id TEXT NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (business_id, hash, message_id)) WITHOUT ROWID;
  CREATE INDEX marketing_sends_at ON marketing_sends(at);
  CREATE TABLE last_received (field TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // 2: persisted counters keyed by stable counter keys (webhooks/counter-keys.ts), not metric
  // names: renaming a metric must not orphan saved counters. Values are kept as they are.
  `
  UPDATE counters SET family = 'statuses' WHERE family = 'whatsapp_message_statuses_total';
  UPDATE counters SET family = 'errors' WHERE family = 'whatsapp_message_errors_total';
  UPDATE counters SET family = 'billable' WHERE family = 'whatsapp_billable_messages_total';
  UPDATE counters SET family = 'estimated_cost' WHERE family = 'whatsapp_estimated_cost_total';
  UPDATE counters SET family = 'events' WHERE family = 'whatsapp_webhook_events_total';
  `,
  // 3: usernames (Graph v25): a recipient may be addressed by its business-scoped user id only.
  // When a status carries both, the user id's hash is remembered as an alias of the phone's, so a
  // later status with the user id alone counts the same recipient. Hashes only, like recipients.
  `
  CREATE TABLE recipient_alias (alias BLOB PRIMARY KEY, hash BLOB NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX recipient_alias_at ON recipient_alias(at);
  `,
];
