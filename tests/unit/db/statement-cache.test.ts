/**
 * The connection reuses prepared statements: the same SQL is prepared once,
 * a streamed statement is reusable after its stream, a migration's schema
 * change reaches a kept statement, and the number kept is bounded.
 */
import { sql } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, STATEMENT_CACHE_SIZE, type OpenDatabase } from '../../../db/client.ts'

let open: OpenDatabase | null = null

afterEach(async () => {
  await open?.db.destroy()
  open = null
})

async function withTable(): Promise<OpenDatabase & { prepare: ReturnType<typeof vi.spyOn> }> {
  open = openDatabase(':memory:')
  await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`.execute(open.db)
  await sql`INSERT INTO t (name) VALUES ('Bạch Mai'), ('Chợ Rẫy'), ('Huế')`.execute(open.db)
  return { ...open, prepare: vi.spyOn(open.sqlite, 'prepare') }
}

/** Kysely's own query; `db` typed loosely since `t` is not in the schema. */
function byId(o: OpenDatabase, id: number) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (o.db as any).selectFrom('t').select(['id', 'name']).where('id', '=', id)
}

describe('prepared statements', () => {
  it('prepares the same SQL once and still binds each call its own values', async () => {
    const o = await withTable()
    expect(await byId(o, 1).executeTakeFirst()).toEqual({ id: 1, name: 'Bạch Mai' })
    expect(await byId(o, 2).executeTakeFirst()).toEqual({ id: 2, name: 'Chợ Rẫy' })
    expect(await byId(o, 3).executeTakeFirst()).toEqual({ id: 3, name: 'Huế' })
    expect(o.prepare).toHaveBeenCalledTimes(1)
  })

  it('reuses a statement after a stream read to the end or left early', async () => {
    const o = await withTable()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const all = () => (o.db as any).selectFrom('t').select(['id', 'name']).orderBy('id')
    const seen: string[] = []
    for await (const row of all().stream()) seen.push((row as { name: string }).name)
    expect(seen).toEqual(['Bạch Mai', 'Chợ Rẫy', 'Huế'])
    // Left after the first row: the statement must be reset, not stay busy.
    for await (const row of all().stream()) {
      expect((row as { name: string }).name).toBe('Bạch Mai')
      break
    }
    expect(((await all().execute()) as unknown[]).length).toBe(3)
  })

  it('sees a schema change made after the statement was kept', async () => {
    const o = await withTable()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const star = () => (o.db as any).selectFrom('t').selectAll().where('id', '=', 1)
    expect(await star().executeTakeFirst()).toEqual({ id: 1, name: 'Bạch Mai' })
    await sql`ALTER TABLE t ADD COLUMN beds INTEGER NOT NULL DEFAULT 0`.execute(o.db)
    expect(await star().executeTakeFirst()).toEqual({ id: 1, name: 'Bạch Mai', beds: 0 })
  })

  it('keeps a bounded number of statements', async () => {
    const o = await withTable()
    for (let n = 1; n <= STATEMENT_CACHE_SIZE + 1; n++) {
      // A different SQL text each time (the IN list grows).
      const ids = Array.from({ length: n }, (_, i) => i + 1)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await (o.db as any).selectFrom('t').select('id').where('id', 'in', ids).execute()
    }
    // The first text was dropped as the oldest, so it is prepared again.
    o.prepare.mockClear()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (o.db as any).selectFrom('t').select('id').where('id', 'in', [1]).execute()
    expect(o.prepare).toHaveBeenCalledTimes(1)
    // The newest is still kept.
    o.prepare.mockClear()
    const newest = Array.from({ length: STATEMENT_CACHE_SIZE + 1 }, (_, i) => i + 1)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (o.db as any).selectFrom('t').select('id').where('id', 'in', newest).execute()
    expect(o.prepare).not.toHaveBeenCalled()
  })
})
