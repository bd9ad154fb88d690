/**
 * 0006 — a tamper-evident audit log and a heartbeat row, PostgreSQL form.
 *
 * The chain is the SQLite migration's (its header explains it): `prev_hash`
 * UNIQUE, `hash` = SHA-256 of prev_hash, a newline and the canonical JSON
 * array of the row, 64 zeros before the first row, an `audit.chain_started`
 * row after the rows already present. PostgreSQL alters the table in place
 * instead of rebuilding it: the new columns are filled in id order with the
 * update guard switched off for this transaction's own writes only (the
 * migration runs in one transaction; no other writer sees the guard off),
 * then made NOT NULL.
 *
 * Frozen in time: the canonical form is spelled out here, not imported.
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

const HEX64 = (column: string) => sql.raw(`CHECK (${column} ~ '^[0-9a-f]{64}$')`)

const COLUMNS = sql.raw(
  'id, at, actor_id, action, entity_type, entity_id, facility_id, detail_json, ip, request_id',
)

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log ADD COLUMN prev_hash text, ADD COLUMN hash text`.execute(db)
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(db)
  let prevHash = GENESIS
  let lastId = 0
  let chained = 0
  for (;;) {
    const { rows } = await sql<LegacyRow>`SELECT ${COLUMNS} FROM audit_log
      WHERE id > ${lastId} ORDER BY id LIMIT ${BATCH}`.execute(db)
    if (rows.length === 0) break
    for (const row of rows) {
      const hash = rowHash(prevHash, row)
      await sql`UPDATE audit_log SET prev_hash = ${prevHash}, hash = ${hash}
        WHERE id = ${row.id}`.execute(db)
      prevHash = hash
      lastId = row.id
      chained++
    }
  }
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(db)

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
  await sql`INSERT INTO audit_log (${COLUMNS}, prev_hash, hash) VALUES (
    ${start.id}, ${start.at}, NULL, ${start.action}, ${start.entity_type}, NULL, NULL,
    ${start.detail_json}, NULL, NULL, ${prevHash}, ${rowHash(prevHash, start)})`.execute(db)
  // The app appends with explicit ids (the id is hashed); the identity
  // sequence is moved past them for any writer that leaves the id out.
  await sql`SELECT setval(pg_get_serial_sequence('audit_log', 'id'), ${start.id})`.execute(db)

  await sql`ALTER TABLE audit_log
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT audit_log_prev_hash_key UNIQUE (prev_hash),
    ADD CONSTRAINT audit_log_prev_hash_check ${HEX64('prev_hash')},
    ADD CONSTRAINT audit_log_hash_check ${HEX64('hash')}`.execute(db)

  await sql`CREATE TABLE audit_chain_lock (
    id integer PRIMARY KEY CHECK (id = 1),
    appends bigint NOT NULL CHECK (appends >= 0)
  )`.execute(db)
  await sql`INSERT INTO audit_chain_lock (id, appends) VALUES (1, 0)`.execute(db)

  await sql`CREATE TABLE heartbeat (
    id integer PRIMARY KEY CHECK (id = 1),
    at text NOT NULL
  )`.execute(db)
  await sql`INSERT INTO heartbeat (id, at) VALUES (1, ${start.at})`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS heartbeat`.execute(db)
  await sql`DROP TABLE IF EXISTS audit_chain_lock`.execute(db)
  // Every row but the marker this migration wrote; the chain goes with its columns.
  await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete`.execute(db)
  await sql`DELETE FROM audit_log WHERE action = 'audit.chain_started'`.execute(db)
  await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete`.execute(db)
  await sql`ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash`.execute(db)
}
