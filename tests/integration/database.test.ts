/** The database layer on real files: pragmas, migrations both ways, the audit trigger, backups, the seed. */
import { existsSync, rmSync } from 'node:fs'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { backupDatabase } from '../../db/backup.ts'
import { openDatabase, openSqlite } from '../../db/client.ts'
import { migrateDown, migrateToLatest } from '../../db/migrate.ts'
import { migrations } from '../../db/migrations/index.ts'
import { buildDemoFacilities } from '../../db/demo-facilities.ts'
import { loadAdminProvinces } from '../../db/seed.ts'
import { writeAudit } from '../../app/models/audit.server.ts'
import { TMP_DIR } from '../support/test-db.ts'

const path = process.env.DATABASE_PATH ?? ''
const { db, sqlite } = openDatabase(path)
afterAll(async () => {
  await db.destroy()
})

describe('connection', () => {
  it('opens with WAL, synchronous=FULL, a busy timeout and foreign keys', () => {
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2)
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('enforces foreign keys', async () => {
    await expect(
      db
        .insertInto('facilities')
        .values({
          code: 'X1',
          name: 'x',
          province_code: '99',
          tier: 'basic',
          ownership: 'public',
          beds: 1,
          autonomy_group: null,
          emr_status: 'none',
          search_key: 'x',
          created_at: '2026-01-01T00:00:00.000Z',
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/)
  })
})

describe('change counters', () => {
  const counters = async () =>
    Object.fromEntries(
      (await db.selectFrom('change_counters').select(['name', 'value']).execute()).map((r) => [
        r.name,
        r.value,
      ]),
    )
  const scoreOf = (status: 'draft' | 'verified') =>
    db
      .selectFrom('scores')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .select(['scores.id', 'scores.computed_at'])
      .where('assessments.status', '=', status)
      .executeTakeFirstOrThrow()
  const touch = (score: { id: number; computed_at: string }) =>
    db
      .updateTable('scores')
      .set({ computed_at: score.computed_at })
      .where('id', '=', score.id)
      .execute()

  it('count changes to facilities and scores, and to assessments past the draft stage only', async () => {
    const facility = await db
      .selectFrom('facilities')
      .select(['id', 'name'])
      .executeTakeFirstOrThrow()
    const before = await counters()
    await db
      .updateTable('facilities')
      .set({ name: `${facility.name} ` })
      .where('id', '=', facility.id)
      .execute()
    expect((await counters()).facilities).toBe((before.facilities ?? 0) + 1)

    const draft = await db
      .selectFrom('assessments')
      .select(['id', 'version'])
      .where('status', '=', 'draft')
      .executeTakeFirstOrThrow()
    const beforeDraft = await counters()
    await db
      .updateTable('assessments')
      .set({ version: draft.version + 1 })
      .where('id', '=', draft.id)
      .execute()
    expect((await counters()).assessments).toBe(beforeDraft.assessments)
    await db
      .updateTable('assessments')
      .set({ status: 'submitted' })
      .where('id', '=', draft.id)
      .execute()
    expect((await counters()).assessments).toBe((beforeDraft.assessments ?? 0) + 1)

    const beforeScore = await counters()
    await touch(await scoreOf('verified'))
    expect((await counters()).scores).toBe((beforeScore.scores ?? 0) + 1)
  })

  it("leave the planner's counters alone when a draft's score is stored (autosave)", async () => {
    const before = await counters()
    await touch(await scoreOf('draft'))
    expect(await counters()).toEqual(before)
  })
})

describe('audit log', () => {
  it('accepts inserts and refuses UPDATE and DELETE', async () => {
    await writeAudit(db, {
      at: '2026-11-25T00:00:00.000Z',
      actorId: null,
      action: 'test.append',
      entityType: 'test',
    })
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/)
    const row = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'test.append')
      .executeTakeFirst()
    expect(row?.action).toBe('test.append')
  })

  it('stores CR/LF in details as JSON escapes, so no log line can be forged', async () => {
    await writeAudit(db, {
      at: '2026-11-25T00:00:00.000Z',
      actorId: null,
      action: 'test.crlf',
      entityType: 'test',
      detail: { note: 'a\r\nFAKE line' },
    })
    const row = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'test.crlf')
      .executeTakeFirstOrThrow()
    expect(row.detail_json).not.toMatch(/[\r\n]/)
  })
})

describe('migrations', () => {
  it('run down and up again on a fresh file', async () => {
    const fresh = `${TMP_DIR}/migrations-${process.pid}.sqlite`
    const handle = openDatabase(fresh)
    try {
      expect(await migrateToLatest(handle.db)).toEqual(
        Object.keys(migrations).map((m) => `Up ${m}`),
      )
      expect(await migrateToLatest(handle.db)).toEqual([])
      for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(handle.db)
      const tables = handle.sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%'",
        )
        .all()
      expect(tables).toEqual([])
      await migrateToLatest(handle.db)
    } finally {
      await handle.db.destroy()
      for (const s of ['', '-wal', '-shm']) rmSync(`${fresh}${s}`, { force: true })
    }
  })
})

describe('backup', () => {
  it('writes a consistent copy with VACUUM INTO and checks its integrity', async () => {
    const target = `${TMP_DIR}/backup-${process.pid}-${Date.now()}.sqlite`
    const result = await backupDatabase(sqlite, target)
    expect(result.integrity).toBe('ok')
    const copy = openSqlite(target, { readonly: true })
    const count = (d: typeof copy) =>
      (d.prepare('SELECT count(*) AS n FROM facilities').get() as { n: number }).n
    expect(count(copy)).toBe(count(sqlite))
    copy.close()
    await expect(backupDatabase(sqlite, target)).rejects.toThrow(/already exists/)
    rmSync(target)
    expect(existsSync(target)).toBe(false)
  })
})

describe('seed', () => {
  it('has the 34 official provinces and about 300 facilities over every tier and ownership', async () => {
    const provinces = await db.selectFrom('provinces').select(['code', 'name']).execute()
    expect(provinces).toHaveLength(34)
    expect(provinces.map((p) => p.name)).toContain('Thanh Hoá')
    const facilities = await db
      .selectFrom('facilities')
      .select(['tier', 'ownership', 'province_code'])
      .execute()
    expect(facilities.length).toBeGreaterThanOrEqual(280)
    expect(facilities.length).toBeLessThanOrEqual(340)
    expect(new Set(facilities.map((f) => f.tier))).toEqual(
      new Set(['central', 'provincial', 'basic']),
    )
    expect(new Set(facilities.map((f) => f.ownership))).toEqual(new Set(['public', 'private']))
    expect(new Set(facilities.map((f) => f.province_code)).size).toBe(34)
  })

  it('is deterministic', () => {
    const provinces = loadAdminProvinces()
    expect(JSON.stringify(buildDemoFacilities(provinces))).toBe(
      JSON.stringify(buildDemoFacilities(provinces)),
    )
  })

  it('has demo accounts for every role', async () => {
    const roles = await db.selectFrom('users').select('role').distinct().execute()
    expect(new Set(roles.map((r) => r.role))).toEqual(
      new Set(['director', 'staff', 'province_reviewer', 'ministry_reviewer', 'admin']),
    )
  })
})
