/**
 * 0006 — a tamper-evident audit log, and a heartbeat row.
 *
 * Each audit row stores `prev_hash` (its predecessor's `hash`; 64 zeros for
 * the first row) and `hash` = SHA-256 of `prev_hash`, a newline and the row's
 * canonical content: the JSON array
 *   [id, at, actor_id, action, entity_type, entity_id, facility_id,
 *    detail_json, ip, request_id]
 * (integers as numbers, absent values as null). Changing, inserting or
 * removing a row anywhere breaks the chain from there on; only someone who
 * recomputes every later hash goes unnoticed, and a head kept outside the
 * database catches that (README, Security).
 *
 * Several writers (processes now, PostgreSQL later) must not fork the chain.
 * Every append starts by bumping the one row of `audit_chain_lock`, which
 * takes SQLite's write lock (PostgreSQL: that row's lock) before the head is
 * read, so a second writer waits and then reads the new head; and
 * `prev_hash` is UNIQUE, so even a writer that skipped the lock could not
 * append after a row that already has a successor.
 *
 * SQLite cannot add NOT NULL columns without a default, so the table is
 * rebuilt: the rows already present are copied in id order and chained.
 * Then one `audit.chain_started` row records how many rows were chained;
 * from it on, rows are also in time order, which catches a row appended
 * later with an earlier time.
 *
 * `heartbeat` is one row that /healthz and the start-up check rewrite: proof
 * that the database takes a commit now (disk not full, file not read-only).
 *
 * Frozen in time: the canonical form is spelled out here, not imported; the
 * app's copy (app/models/audit.server.ts) must produce the same hashes.
 */
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'

const GENESIS = '0'.repeat(64)
const BATCH = 1000

interface LegacyRow {
  id: number
  at: string
  actor_id: number | null
  action: string
  entity_type: string
  entity_id: string | null
  facility_id: number | null
  detail_json: string
  ip: string | null
  request_id: string | null
}

function intOrNull(value: number | null): number | null {
  return value === null ? null : Number(value)
}

function rowHash(prevHash: string, r: LegacyRow): string {
  const content = JSON.stringify([
    Number(r.id),
    r.at,
    intOrNull(r.actor_id),
    r.action,
    r.entity_type,
    r.entity_id,
    intOrNull(r.facility_id),
    r.detail_json,
    r.ip,
    r.request_id,
  ])
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex')
}

const HEX64 = (column: string) =>
  sql.raw(`CHECK (length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*')`)

/** The indexes and append-only triggers of 0001 and 0003, on the rebuilt table. */
async function indexesAndTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX audit_log_at ON audit_log (at)`.execute(db)
  await sql`CREATE INDEX audit_log_facility ON audit_log (facility_id, at)`.execute(db)
  await sql`CREATE INDEX audit_log_actor ON audit_log (actor_id, id)`.execute(db)
  await sql`CREATE INDEX audit_log_action ON audit_log (action, id)`.execute(db)
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db)
}

const COLUMNS = sql.raw(
  'id, at, actor_id, action, entity_type, entity_id, facility_id, detail_json, ip, request_id',
)

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`CREATE TABLE audit_log_chained (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor_id INTEGER REFERENCES users(id),
      action TEXT NOT NULL,
      entity_type TEXT NOT NULL,
      entity_id TEXT,
      facility_id INTEGER REFERENCES facilities(id),
      detail_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail_json)),
      ip TEXT,
      request_id TEXT,
      prev_hash TEXT NOT NULL UNIQUE ${HEX64('prev_hash')},
      hash TEXT NOT NULL ${HEX64('hash')}
    ) STRICT`.execute(trx)

    let prevHash = GENESIS
    let lastId = 0
    let chained = 0
    for (;;) {
      const { rows } = await sql<LegacyRow>`SELECT ${COLUMNS} FROM audit_log
        WHERE id > ${lastId} ORDER BY id LIMIT ${BATCH}`.execute(trx)
      if (rows.length === 0) break
      for (const row of rows) {
        const hash = rowHash(prevHash, row)
        await sql`INSERT INTO audit_log_chained (${COLUMNS}, prev_hash, hash) VALUES (
          ${row.id}, ${row.at}, ${row.actor_id}, ${row.action}, ${row.entity_type},
          ${row.entity_id}, ${row.facility_id}, ${row.detail_json}, ${row.ip},
          ${row.request_id}, ${prevHash}, ${hash})`.execute(trx)
        prevHash = hash
        lastId = row.id
        chained++
      }
    }

    const start: LegacyRow = {
      id: lastId + 1,
      at: new Date().toISOString(),
      actor_id: null,
      action: 'audit.chain_started',
      entity_type: 'audit_log',
      entity_id: null,
      facility_id: null,
      detail_json: JSON.stringify({ chained_rows: chained }),
      ip: null,
      request_id: null,
    }
    await sql`INSERT INTO audit_log_chained (${COLUMNS}, prev_hash, hash) VALUES (
      ${start.id}, ${start.at}, NULL, ${start.action}, ${start.entity_type}, NULL, NULL,
      ${start.detail_json}, NULL, NULL, ${prevHash}, ${rowHash(prevHash, start)})`.execute(trx)

    // Dropping the table drops its indexes and triggers; they are made again on the new one.
    await sql`DROP TABLE audit_log`.execute(trx)
    await sql`ALTER TABLE audit_log_chained RENAME TO audit_log`.execute(trx)
    await indexesAndTriggers(trx)

    await sql`CREATE TABLE audit_chain_lock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      appends INTEGER NOT NULL CHECK (appends >= 0)
    ) STRICT`.execute(trx)
    await sql`INSERT INTO audit_chain_lock (id, appends) VALUES (1, 0)`.execute(trx)

    await sql`CREATE TABLE heartbeat (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      at TEXT NOT NULL
    ) STRICT`.execute(trx)
    await sql`INSERT INTO heartbeat (id, at) VALUES (1, ${start.at})`.execute(trx)
  })
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`DROP TABLE IF EXISTS heartbeat`.execute(trx)
    await sql`DROP TABLE IF EXISTS audit_chain_lock`.execute(trx)
    await sql`CREATE TABLE audit_log_plain (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor_id INTEGER REFERENCES users(id),
      action TEXT NOT NULL,
      entity_type TEXT NOT NULL,
      entity_id TEXT,
      facility_id INTEGER REFERENCES facilities(id),
      detail_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail_json)),
      ip TEXT,
      request_id TEXT
    ) STRICT`.execute(trx)
    // Every row but the marker this migration wrote; the chain goes with its columns.
    await sql`INSERT INTO audit_log_plain (${COLUMNS})
      SELECT ${COLUMNS} FROM audit_log WHERE action <> 'audit.chain_started'
      ORDER BY id`.execute(trx)
    await sql`DROP TABLE audit_log`.execute(trx)
    await sql`ALTER TABLE audit_log_plain RENAME TO audit_log`.execute(trx)
    await indexesAndTriggers(trx)
  })
}
