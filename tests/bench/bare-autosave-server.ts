/**
 * The limit autosave-bench.ts measures the app against: the same save done in
 * the plainest form. node:http and better-sqlite3 (WAL, synchronous=FULL, as
 * db/client.ts opens the app's database) on a copy of the same database, or
 * pg on a PostgreSQL database given by its URL; the
 * cookie names the user (no session table, no CSRF, no validation, no
 * framework), and one transaction does what saveAssessment's does: read the
 * row, check the version, write the answers, one change row per answer and
 * an audit row chained to the previous one by SHA-256.
 *
 * Usage (autosave-bench.ts starts it): node --import tsx bare-autosave-server.ts <db file | postgres://…>
 * Listens on a port the OS picks and prints it on stdout.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import SQLite from 'better-sqlite3'
import pg from 'pg'

interface Save {
  roundId: number
  baseVersion: number
  changes: Record<string, unknown>
  currentPage: number
}

type Outcome = { status: number; body: unknown }
type AssessmentRow = { id: number; version: number; answers: string }

/** The audit row's hash, chained to the previous one. */
function chainHash(
  prev: string,
  now: string,
  userId: number,
  rowId: number,
  facilityId: number,
  detail: string,
) {
  return createHash('sha256')
    .update(`${prev}\n${JSON.stringify([now, userId, rowId, facilityId, detail])}`)
    .digest('hex')
}

/** The answers after the changes, and one change row per answer (old and new value as JSON). */
function applyChanges(row: AssessmentRow, changes: Record<string, unknown>) {
  const answers = JSON.parse(row.answers) as Record<string, unknown>
  const rows: Array<{ question: string; old: string | null; new: string | null }> = []
  for (const [question, value] of Object.entries(changes)) {
    rows.push({
      question,
      old: answers[question] === undefined ? null : JSON.stringify(answers[question]),
      new: value === null ? null : JSON.stringify(value),
    })
    if (value === null) delete answers[question]
    else answers[question] = value
  }
  return { answers: JSON.stringify(answers), rows }
}

const GENESIS = '0'.repeat(64)

/** better-sqlite3, WAL, synchronous=FULL: one transaction of prepared statements. */
function sqliteEngine(dbPath: string) {
  const sqlite = new SQLite(dbPath)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  const users = sqlite
    .prepare('SELECT id, facility_id FROM users WHERE facility_id IS NOT NULL')
    .all() as Array<{ id: number; facility_id: number }>
  const readRow = sqlite.prepare(
    'SELECT id, version, answers FROM assessments WHERE facility_id = ? AND round_id = ?',
  )
  const insertRow = sqlite.prepare(
    `INSERT INTO assessments (facility_id, round_id, status, version, answers, current_page, created_at, updated_at, updated_by)
     VALUES (?, ?, 'draft', 1, '{}', 0, ?, ?, ?) RETURNING id, version, answers`,
  )
  const writeRow = sqlite.prepare(
    'UPDATE assessments SET answers = ?, version = version + 1, current_page = ?, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?',
  )
  const writeChange = sqlite.prepare(
    'INSERT INTO assessment_changes (assessment_id, question, old_value, new_value, user_id, changed_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const lastHash = sqlite.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')
  const writeAudit = sqlite.prepare(
    `INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, facility_id, detail_json, ip, request_id, prev_hash, hash)
     VALUES (?, ?, 'assessment.save', 'assessment', ?, ?, ?, ?, NULL, ?, ?)`,
  )
  const save = sqlite.transaction((userId: number, facilityId: number, input: Save): Outcome => {
    const now = new Date().toISOString()
    const existing = readRow.get(facilityId, input.roundId) as AssessmentRow | undefined
    if (existing && existing.version !== input.baseVersion) {
      return { status: 409, body: { kind: 'conflict', version: existing.version } }
    }
    const row =
      existing ?? (insertRow.get(facilityId, input.roundId, now, now, userId) as AssessmentRow)
    const version = row.version + 1
    const changed = applyChanges(row, input.changes)
    for (const c of changed.rows)
      writeChange.run(row.id, c.question, c.old, c.new, userId, now, version)
    writeRow.run(changed.answers, input.currentPage, now, userId, row.id, row.version)
    const detail = JSON.stringify({ version, questions: Object.keys(input.changes) })
    const prev = (lastHash.get() as { hash: string } | undefined)?.hash ?? GENESIS
    const hash = chainHash(prev, now, userId, row.id, facilityId, detail)
    writeAudit.run(now, userId, String(row.id), facilityId, detail, '127.0.0.1', prev, hash)
    return { status: 200, body: { kind: 'saved', version, savedAt: now } }
  })
  return {
    users,
    save: async (userId: number, facilityId: number, input: Save) =>
      save(userId, facilityId, input),
  }
}

/**
 * pg with a pool of 10 (as db/client.ts opens the app's): the same
 * transaction, with the app's two locks PostgreSQL needs and SQLite's single
 * writer gives for free: an advisory lock on the facility's assessment in the
 * round, and the audit chain's lock row before reading the head.
 */
async function postgresEngine(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const users = (
    await pool.query<{ id: number; facility_id: number }>(
      'SELECT id, facility_id FROM users WHERE facility_id IS NOT NULL',
    )
  ).rows
  const save = async (userId: number, facilityId: number, input: Save): Promise<Outcome> => {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const now = new Date().toISOString()
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `assessment:${facilityId}:${input.roundId}`,
      ])
      const existing = (
        await client.query<AssessmentRow>(
          'SELECT id, version, answers FROM assessments WHERE facility_id = $1 AND round_id = $2',
          [facilityId, input.roundId],
        )
      ).rows[0]
      if (existing && existing.version !== input.baseVersion) {
        await client.query('ROLLBACK')
        return { status: 409, body: { kind: 'conflict', version: existing.version } }
      }
      const row =
        existing ??
        (
          await client.query<AssessmentRow>(
            `INSERT INTO assessments (facility_id, round_id, status, version, answers, current_page, created_at, updated_at, updated_by)
             VALUES ($1, $2, 'draft', 1, '{}', 0, $3, $3, $4) RETURNING id, version, answers`,
            [facilityId, input.roundId, now, userId],
          )
        ).rows[0]
      if (row === undefined) throw new Error('INSERT … RETURNING gave no row')
      const version = row.version + 1
      const changed = applyChanges(row, input.changes)
      for (const c of changed.rows) {
        await client.query(
          'INSERT INTO assessment_changes (assessment_id, question, old_value, new_value, user_id, changed_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [row.id, c.question, c.old, c.new, userId, now, version],
        )
      }
      await client.query(
        'UPDATE assessments SET answers = $1, version = version + 1, current_page = $2, updated_at = $3, updated_by = $4 WHERE id = $5 AND version = $6',
        [changed.answers, input.currentPage, now, userId, row.id, row.version],
      )
      const detail = JSON.stringify({ version, questions: Object.keys(input.changes) })
      await client.query('UPDATE audit_chain_lock SET appends = appends + 1 WHERE id = 1')
      const head = (
        await client.query<{ id: number; hash: string }>(
          'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1',
        )
      ).rows[0]
      const prev = head?.hash ?? GENESIS
      await client.query(
        `INSERT INTO audit_log (id, at, actor_id, action, entity_type, entity_id, facility_id, detail_json, ip, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, 'assessment.save', 'assessment', $4, $5, $6, $7, NULL, $8, $9)`,
        [
          (head?.id ?? 0) + 1,
          now,
          userId,
          String(row.id),
          facilityId,
          detail,
          '127.0.0.1',
          prev,
          chainHash(prev, now, userId, row.id, facilityId, detail),
        ],
      )
      await client.query('COMMIT')
      return { status: 200, body: { kind: 'saved', version, savedAt: now } }
    } catch (error) {
      await client.query('ROLLBACK')
      throw error
    } finally {
      client.release()
    }
  }
  return { users, save }
}

const [target] = process.argv.slice(2)
if (!target) throw new Error('usage: bare-autosave-server.ts <db file | postgres://…>')
const engine = target.startsWith('postgres') ? await postgresEngine(target) : sqliteEngine(target)
const users = new Map(engine.users.map((u) => [u.id, u.facility_id]))
const save = engine.save

const server = createServer((req, res) => {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  if (req.url === '/healthz') return answer(200, { ok: true })
  const userId = Number(/(?:^|;\s*)u=(\d+)/.exec(req.headers.cookie ?? '')?.[1])
  const facilityId = users.get(userId)
  if (req.method !== 'POST' || req.url !== '/assessment/save' || facilityId === undefined) {
    return answer(404, { kind: 'not_found' })
  }
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    save(userId, facilityId, JSON.parse(Buffer.concat(chunks).toString()) as Save).then(
      (outcome) => answer(outcome.status, outcome.body),
      (error: unknown) => answer(500, { kind: 'error', message: String(error) }),
    )
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  process.stdout.write(`${address.port}\n`)
})
