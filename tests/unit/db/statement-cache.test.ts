/**
 * The connection reuses prepared statements: the same SQL is prepared once,
 * a streamed statement is reusable after its stream, a migration's schema
 * change reaches a kept statement, and the number kept is bounded.
 */
import { sql, type Kysely } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, STATEMENT_CACHE_SIZE, type OpenDatabase } from '../../../db/client.ts'

/** The test's own table, outside the app's schema. */
interface TestSchema {
  t: { id: number; name: string; beds?: number }
}

let open: OpenDatabase | null = null

afterEach(async () => {
  await open?.db.destroy()
  open = null
})

async function withTable() {
  open = openDatabase(':memory:')
  const db = open.db as unknown as Kysely<TestSchema>
  await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`.execute(db)
  await sql`INSERT INTO t (name) VALUES ('Bạch Mai'), ('Chợ Rẫy'), ('Huế')`.execute(db)
  return { db, prepare: vi.spyOn(open.sqlite, 'prepare') }
}

describe('prepared statements', () => {
  it('prepares the same SQL once and still binds each call its own values', async () => {
    const { db, prepare } = await withTable()
    const byId = (id: number) =>
      db.selectFrom('t').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
    expect(await byId(1)).toEqual({ id: 1, name: 'Bạch Mai' })
    expect(await byId(2)).toEqual({ id: 2, name: 'Chợ Rẫy' })
    expect(await byId(3)).toEqual({ id: 3, name: 'Huế' })
    expect(prepare).toHaveBeenCalledTimes(1)
  })

  it('reuses a statement after a stream read to the end or left early', async () => {
    const { db } = await withTable()
    const all = () => db.selectFrom('t').select(['id', 'name']).orderBy('id')
    const seen: string[] = []
    for await (const row of all().stream()) seen.push(row.name)
    expect(seen).toEqual(['Bạch Mai', 'Chợ Rẫy', 'Huế'])
    // Left after the first row: the statement must be reset, not stay busy.
    for await (const row of all().stream()) {
      expect(row.name).toBe('Bạch Mai')
      break
    }
    expect(await all().execute()).toHaveLength(3)
  })

  it('sees a schema change made after the statement was kept', async () => {
    const { db } = await withTable()
    const star = () => db.selectFrom('t').selectAll().where('id', '=', 1).executeTakeFirst()
    expect(await star()).toEqual({ id: 1, name: 'Bạch Mai' })
    await sql`ALTER TABLE t ADD COLUMN beds INTEGER NOT NULL DEFAULT 0`.execute(db)
    expect(await star()).toEqual({ id: 1, name: 'Bạch Mai', beds: 0 })
  })

  it('keeps a bounded number of statements', async () => {
    const { db, prepare } = await withTable()
    // A different SQL text for each length of the IN list.
    const within = (n: number) =>
      db
        .selectFrom('t')
        .select('id')
        .where(
          'id',
          'in',
          Array.from({ length: n }, (_, i) => i + 1),
        )
        .execute()
    for (let n = 1; n <= STATEMENT_CACHE_SIZE + 1; n++) await within(n)
    // The first text was dropped as the oldest, so it is prepared again.
    prepare.mockClear()
    await within(1)
    expect(prepare).toHaveBeenCalledTimes(1)
    // The newest is still kept.
    prepare.mockClear()
    await within(STATEMENT_CACHE_SIZE + 1)
    expect(prepare).not.toHaveBeenCalled()
  })
})
