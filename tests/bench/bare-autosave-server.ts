/**
 * The limit autosave-bench.ts measures the app against: the same save done in
 * the plainest form. node:http and better-sqlite3 (WAL, synchronous=FULL, as
 * db/client.ts opens the app's database) on a copy of the same database; the
 * cookie names the user (no session table, no CSRF, no validation, no
 * framework), and one transaction does what saveAssessment's does: read the
 * row, check the version, write the answers, one change row per answer and
 * an audit row chained to the previous one by SHA-256.
 *
 * Usage (autosave-bench.ts starts it): node --import tsx bare-autosave-server.ts <db>
 * Listens on a port the OS picks and prints it on stdout.
 */
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import SQLite from 'better-sqlite3'

const [dbPath] = process.argv.slice(2)
if (!dbPath) throw new Error('usage: bare-autosave-server.ts <db>')

const sqlite = new SQLite(dbPath)
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = FULL')
sqlite.pragma('foreign_keys = ON')

const users = new Map(
  (
    sqlite
      .prepare('SELECT id, facility_id FROM users WHERE facility_id IS NOT NULL')
      .all() as Array<{
      id: number
      facility_id: number
    }>
  ).map((u) => [u.id, u.facility_id]),
)

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

interface Save {
  roundId: number
  baseVersion: number
  changes: Record<string, unknown>
  currentPage: number
}

type Outcome = { status: number; body: unknown }

const save = sqlite.transaction((userId: number, facilityId: number, input: Save): Outcome => {
  const now = new Date().toISOString()
  type Row = { id: number; version: number; answers: string }
  const existing = readRow.get(facilityId, input.roundId) as Row | undefined
  if (existing && existing.version !== input.baseVersion) {
    return { status: 409, body: { kind: 'conflict', version: existing.version } }
  }
  const row = existing ?? (insertRow.get(facilityId, input.roundId, now, now, userId) as Row)
  const answers = JSON.parse(row.answers) as Record<string, unknown>
  const version = row.version + 1
  for (const [question, value] of Object.entries(input.changes)) {
    writeChange.run(
      row.id,
      question,
      answers[question] === undefined ? null : JSON.stringify(answers[question]),
      value === null ? null : JSON.stringify(value),
      userId,
      now,
      version,
    )
    if (value === null) delete answers[question]
    else answers[question] = value
  }
  writeRow.run(JSON.stringify(answers), input.currentPage, now, userId, row.id, row.version)
  const detail = JSON.stringify({ version, questions: Object.keys(input.changes) })
  const prev = (lastHash.get() as { hash: string } | undefined)?.hash ?? '0'.repeat(64)
  const hash = createHash('sha256')
    .update(`${prev}\n${JSON.stringify([now, userId, row.id, facilityId, detail])}`)
    .digest('hex')
  writeAudit.run(now, userId, String(row.id), facilityId, detail, '127.0.0.1', prev, hash)
  return { status: 200, body: { kind: 'saved', version, savedAt: now } }
})

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
    try {
      const outcome = save(userId, facilityId, JSON.parse(Buffer.concat(chunks).toString()) as Save)
      answer(outcome.status, outcome.body)
    } catch (error) {
      answer(500, { kind: 'error', message: String(error) })
    }
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  process.stdout.write(`${address.port}\n`)
})
