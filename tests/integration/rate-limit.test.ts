/**
 * The shared sliding windows (rate_events): counted in the database, so two
 * handles on one database — two application processes — see one window.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { takeRate } from '../../app/utils/rate-limit.server.ts'
import { openTestDatabase } from '../support/test-db.ts'

const first = openTestDatabase()
const second = openTestDatabase()
const limit = { max: 3, windowMs: 60_000 }

afterAll(async () => {
  await first.db.destroy()
  await second.db.destroy()
})

describe('takeRate', () => {
  it('allows max events per key in the window, then says how long to wait', async () => {
    expect(await takeRate(first.db, 'waves', 1, limit, 0)).toEqual({ ok: true })
    expect(await takeRate(first.db, 'waves', 1, limit, 10_000)).toEqual({ ok: true })
    expect(await takeRate(first.db, 'waves', 1, limit, 20_000)).toEqual({ ok: true })
    expect(await takeRate(first.db, 'waves', 1, limit, 30_000)).toEqual({
      ok: false,
      retryAfterSeconds: 30,
    })
    // Another key, and the same key in another bucket, have windows of their own.
    expect(await takeRate(first.db, 'waves', 2, limit, 30_000)).toEqual({ ok: true })
    expect(await takeRate(first.db, 'api', 1, limit, 30_000)).toEqual({ ok: true })
    // The first event leaves the window at 60 s.
    expect(await takeRate(first.db, 'waves', 1, limit, 60_001)).toEqual({ ok: true })
  })

  it('counts across handles on one database, as processes behind a load balancer', async () => {
    const at = 1_000_000
    expect(await takeRate(first.db, 'api-refusals', '10.0.0.9', limit, at)).toEqual({ ok: true })
    expect(await takeRate(second.db, 'api-refusals', '10.0.0.9', limit, at + 1)).toEqual({
      ok: true,
    })
    expect(await takeRate(first.db, 'api-refusals', '10.0.0.9', limit, at + 2)).toEqual({
      ok: true,
    })
    expect((await takeRate(second.db, 'api-refusals', '10.0.0.9', limit, at + 3)).ok).toBe(false)
  })

  it('refused events are not counted, and expired ones are deleted', async () => {
    const at = 5_000_000
    for (let i = 0; i < 5; i += 1) await takeRate(first.db, 'waves', 'busy', limit, at + i)
    const kept = await first.db
      .selectFrom('rate_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('bucket', '=', 'waves')
      .where('key', '=', 'busy')
      .executeTakeFirstOrThrow()
    expect(Number(kept.n)).toBe(3)
    // An event of the bucket a window later clears every key's expired rows.
    await takeRate(first.db, 'waves', 'other', limit, at + 120_000)
    const left = await first.db
      .selectFrom('rate_events')
      .select('key')
      .where('bucket', '=', 'waves')
      .execute()
    expect(left.map((row) => row.key)).toEqual(['other'])
  })
})
