/**
 * The audit log's hash chain (migration 0006): whoever holds the file can
 * drop the append-only triggers, but every rewrite, deletion or back-dated
 * insertion is then named by `npm run audit:verify` (exit 1) and on the
 * audit page; a rewrite that recomputes every later hash is caught by a head
 * kept outside the database. Each tampering test undoes itself, so the next
 * starts from an intact chain.
 */
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditRowHash, writeAudit } from '../../app/models/audit.server.ts'
import { verifyAuditChain } from '../../app/review/audit-chain.server.ts'
import { openDatabase } from '../../db/client.ts'
import { migrations } from '../../db/migrations/index.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import { TMP_DIR } from '../support/test-db.ts'

const run = promisify(execFile)
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href
// Child processes (the CLI, other writers) start tsx: seconds on a loaded machine.
const SLOW = 120_000

const path = process.env.DATABASE_PATH ?? ''
const { db, sqlite } = openDatabase(path)
let server: TestServer
const ministry = () => new TestClient(server.origin)
let reviewer: TestClient

beforeAll(async () => {
  server = await startTestServer()
  reviewer = ministry()
  await reviewer.signIn('boyte')
  for (let i = 0; i < 20; i++) {
    await writeAudit(db, {
      at: new Date().toISOString(),
      actorId: null,
      action: 'test.chain',
      entityType: 'test',
      entityId: i,
      detail: { n: i, text: 'Sở Y tế — "quoted"\n' },
    })
  }
}, SLOW)
afterAll(async () => {
  await server.close()
  await db.destroy()
})

/** `npm run audit:verify` on a database file: exit code and output. */
async function auditVerify(file = path, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', TSX, 'db/cli.ts', 'audit-verify', ...args],
      { env: { ...process.env, DATABASE_PATH: file } },
    )
    return { code: 0, out: `${stdout}${stderr}` }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

/** The chain status the audit page shows (its text, and whether it is an alert). */
async function pageChainStatus() {
  const html = await (await reviewer.request('/audit')).text()
  const match = /<(div|p)[^>]*data-testid="audit-chain"[^>]*>([\s\S]*?)<\/\1>/.exec(html)
  return {
    alert: /role="alert"[^>]*data-testid="audit-chain"/.test(html),
    text: (match?.[2] ?? '').replace(/<[^>]+>/g, ''),
  }
}

/** Runs SQL the app's triggers would refuse, as someone with the file would. */
function withoutTriggers(work: () => void) {
  sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete')
  try {
    work()
  } finally {
    sqlite.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`)
  }
}

interface Row {
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
  prev_hash: string
  hash: string
}

const rowOf = (id: number) => sqlite.prepare('SELECT * FROM audit_log WHERE id = ?').get(id) as Row
const headRow = () =>
  sqlite.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').get() as Row
const testRows = () =>
  sqlite
    .prepare("SELECT id FROM audit_log WHERE action = 'test.chain' ORDER BY id")
    .all() as Array<{ id: number }>

async function expectIntact() {
  const verdict = await auditVerify()
  expect(verdict.code, verdict.out).toBe(0)
  expect(verdict.out).toMatch(/audit chain intact: \d+ rows/)
  const page = await pageChainStatus()
  expect(page.alert).toBe(false)
  expect(page.text).toMatch(/nguyên vẹn/)
  return verdict
}

describe('the audit chain', () => {
  it(
    'is intact after the app writes, and audit:verify prints the head to keep',
    async () => {
      const verdict = await expectIntact()
      const head = headRow()
      expect(verdict.out.trim().split('\n').at(-1)).toBe(`${head.id}:${head.hash}`)
      expect((await pageChainStatus()).text).toContain(`${head.id}:${head.hash}`)
      // The app hashes what migration 0006 hashes: every row holds.
      const verdictInProcess = await verifyAuditChain(db)
      expect(verdictInProcess).toMatchObject({ ok: true, head: { id: head.id } })
    },
    SLOW,
  )

  it(
    'keeps up on the page with rows the server itself appends between views',
    async () => {
      const rowsOnPage = async () =>
        Number(/\((\d[\d.]*) dòng\)/.exec((await pageChainStatus()).text)?.[1]?.replace(/\./g, ''))
      const before = await rowsOnPage()
      // Only the server's own connection writes now: the page goes on from its last view.
      await ministry().signIn('soyte.thanhhoa')
      await ministry().signIn('soyte.caobang')
      const after = await rowsOnPage()
      expect(after).toBeGreaterThanOrEqual(before + 2)
      expect((await pageChainStatus()).text).toContain(`${headRow().id}:${headRow().hash}`)
    },
    SLOW,
  )

  it(
    'names a row rewritten behind a dropped trigger',
    async () => {
      const target = testRows()[5]?.id ?? 0
      const original = rowOf(target).detail_json
      withoutTriggers(() =>
        sqlite
          .prepare('UPDATE audit_log SET detail_json = ? WHERE id = ?')
          .run('{"n":999}', target),
      )
      const verdict = await auditVerify()
      expect(verdict.code).toBe(1)
      expect(verdict.out).toContain(`audit chain BROKEN at row #${target}`)
      expect(verdict.out).toContain('rewritten')
      const page = await pageChainStatus()
      expect(page.alert).toBe(true)
      expect(page.text).toContain(`#${target}`)
      expect(page.text).toMatch(/bị sửa/)
      withoutTriggers(() =>
        sqlite.prepare('UPDATE audit_log SET detail_json = ? WHERE id = ?').run(original, target),
      )
      await expectIntact()
    },
    SLOW,
  )

  it(
    'names a back-dated row, even one whose hash was computed correctly',
    async () => {
      const head = headRow()
      const forged = {
        id: head.id + 1,
        at: '2026-01-05T08:00:00.000Z',
        actor_id: null,
        action: 'assessment.verify',
        entity_type: 'assessment',
        entity_id: '1',
        facility_id: null,
        detail_json: '{}',
        ip: '10.0.0.1',
        request_id: null,
      }
      // A plain INSERT: the triggers allow it, and the forger knows the scheme.
      sqlite
        .prepare(
          `INSERT INTO audit_log (id, at, actor_id, action, entity_type, entity_id, facility_id,
          detail_json, ip, request_id, prev_hash, hash)
         VALUES (@id, @at, @actor_id, @action, @entity_type, @entity_id, @facility_id,
          @detail_json, @ip, @request_id, @prev_hash, @hash)`,
        )
        .run({ ...forged, prev_hash: head.hash, hash: auditRowHash(head.hash, forged) })
      const verdict = await auditVerify()
      expect(verdict.code).toBe(1)
      expect(verdict.out).toContain(
        `audit chain BROKEN at row #${forged.id} (after row #${head.id})`,
      )
      expect(verdict.out).toContain('earlier time')
      const page = await pageChainStatus()
      expect(page.alert).toBe(true)
      expect(page.text).toContain(`#${forged.id}`)
      withoutTriggers(() => sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(forged.id))
      await expectIntact()
    },
    SLOW,
  )

  it(
    'names the row after one deleted behind a dropped trigger',
    async () => {
      const ids = testRows()
      const gone = ids[8]?.id ?? 0
      const next = ids[9]?.id ?? 0
      const saved = rowOf(gone)
      withoutTriggers(() => sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(gone))
      const verdict = await auditVerify()
      expect(verdict.code).toBe(1)
      expect(verdict.out).toContain(`audit chain BROKEN at row #${next} (after row #${gone - 1})`)
      expect(verdict.out).toContain('removed')
      const page = await pageChainStatus()
      expect(page.alert).toBe(true)
      expect(page.text).toContain(`#${next}`)
      sqlite
        .prepare(
          `INSERT INTO audit_log VALUES (@id, @at, @actor_id, @action, @entity_type, @entity_id,
          @facility_id, @detail_json, @ip, @request_id, @prev_hash, @hash)`,
        )
        .run(saved)
      await expectIntact()
    },
    SLOW,
  )

  it('refuses a second row after the same predecessor (no fork)', () => {
    const head = headRow()
    const twin = { ...rowOf(head.id), id: head.id + 1 }
    expect(() =>
      sqlite
        .prepare(
          `INSERT INTO audit_log VALUES (@id, @at, @actor_id, @action, @entity_type, @entity_id,
            @facility_id, @detail_json, @ip, @request_id, @prev_hash, @hash)`,
        )
        .run(twin),
    ).toThrow(/UNIQUE constraint failed: audit_log.prev_hash/)
  })

  it(
    'keeps one chain with several writer processes at once',
    async () => {
      const before = (sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number })
        .n
      await Promise.all(
        ['a', 'b', 'c'].map((tag) =>
          run(process.execPath, [
            '--import',
            TSX,
            'tests/support/audit-writer.ts',
            path,
            '40',
            tag,
          ]),
        ),
      )
      const after = (sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
      expect(after - before).toBe(120)
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true })
    },
    SLOW,
  )

  it(
    'catches a rewrite that recomputed every later hash, with a head kept outside',
    async () => {
      const kept = (await auditVerify()).out.trim().split('\n').at(-1) ?? ''
      const target = testRows()[2]?.id ?? 0
      // Rewrite one row and re-chain everything after it, as a careful forger would.
      withoutTriggers(() => {
        sqlite.prepare('UPDATE audit_log SET detail_json = ? WHERE id = ?').run('{"n":-1}', target)
        const rows = sqlite
          .prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id')
          .all(target) as Row[]
        let prev = rowOf(target - 1).hash
        // prev_hash is unique: park the old values first, then write the new chain.
        sqlite
          .prepare("UPDATE audit_log SET prev_hash = printf('%064x', id) WHERE id >= ?")
          .run(target)
        for (const row of rows) {
          const hash = auditRowHash(prev, row)
          sqlite
            .prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?')
            .run(prev, hash, row.id)
          prev = hash
        }
      })
      expect((await auditVerify()).code).toBe(0)
      const anchored = await auditVerify(path, ['--expect', kept])
      expect(anchored.code).toBe(1)
      expect(anchored.out).toContain(`audit chain BROKEN at row #${kept.split(':')[0]}`)
      expect(anchored.out).toContain('exported head')
      const wrong = await auditVerify(path, ['--expect', 'not-a-head'])
      expect(wrong.code).toBe(1)
      expect(wrong.out).toContain('--expect takes a head')
    },
    SLOW,
  )
})

describe('migration 0006', () => {
  it('chains the rows already present, then keeps time order from its start row; down undoes it', async () => {
    const file = join(TMP_DIR, `it-chain-migration-${process.pid}.sqlite`)
    const handle = openDatabase(file)
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
      })
      expect((await migrator.migrateTo('0005-change-counters')).error).toBeUndefined()
      // Legacy rows, one out of time order (concurrent requests could do that before 0006).
      for (const [i, at] of [
        '2026-10-01T00:00:02Z',
        '2026-10-01T00:00:01Z',
        '2026-10-02T00:00:00Z',
      ].entries()) {
        await sql`INSERT INTO audit_log (at, actor_id, action, entity_type, entity_id, detail_json)
          VALUES (${at}, NULL, 'legacy', 'test', ${String(i)}, '{"k":"v"}')`.execute(handle.db)
      }
      expect((await migrator.migrateToLatest()).error).toBeUndefined()
      const verdict = await verifyAuditChain(handle.db)
      expect(verdict).toMatchObject({ ok: true, rows: 4, head: { id: 4 } })
      const start = handle.sqlite
        .prepare("SELECT detail_json FROM audit_log WHERE action = 'audit.chain_started'")
        .get() as { detail_json: string }
      expect(JSON.parse(start.detail_json)).toEqual({ chained_rows: 3 })
      await writeAudit(handle.db, {
        at: '2026-10-03T00:00:00.000Z',
        actorId: null,
        action: 'after',
        entityType: 'test',
      })
      expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true, rows: 5 })
      // Still append-only.
      await expect(sql`DELETE FROM audit_log`.execute(handle.db)).rejects.toThrow(/append-only/)

      expect((await migrator.migrateTo('0005-change-counters')).error).toBeUndefined()
      const columns = handle.sqlite.prepare('PRAGMA table_info(audit_log)').all() as Array<{
        name: string
      }>
      expect(columns.map((c) => c.name)).not.toContain('hash')
      const actions = handle.sqlite.prepare('SELECT action FROM audit_log ORDER BY id').all()
      expect(actions).toEqual([
        { action: 'legacy' },
        { action: 'legacy' },
        { action: 'legacy' },
        { action: 'after' },
      ])
      await expect(sql`UPDATE audit_log SET action = 'x'`.execute(handle.db)).rejects.toThrow(
        /append-only/,
      )
    } finally {
      await handle.db.destroy()
      for (const s of ['', '-wal', '-shm']) rmSync(`${file}${s}`, { force: true })
    }
  })
})
