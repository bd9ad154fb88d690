/**
 * Robustness jobs live in the database (0023): whichever process answers,
 * a job is its owner's only, and an open job its process stopped writing
 * for is reported failed rather than left running for ever.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { insertRobustnessJob } from '../../app/models/robustness-job.server.ts'
import { getRobustnessJob, STALE_MS } from '../../app/waves/robustness-jobs.server.ts'
import { openTestDatabase } from '../support/test-db.ts'

const { db } = openTestDatabase()

afterAll(async () => {
  await db.destroy()
})

async function userId(login: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', login)
    .executeTakeFirstOrThrow()
  return row.id
}

async function openJob(owner: number, age: number): Promise<string> {
  const id = randomUUID()
  const createdAt = Date.now() - age
  await insertRobustnessJob(db, {
    id,
    userId: owner,
    key: 'a'.repeat(64),
    status: 'running',
    done: 100,
    total: 1000,
    seed: 7,
    alpha: 100,
    createdAt,
  })
  return id
}

describe('a stored robustness job', () => {
  it('is its owner’s only', async () => {
    const id = await openJob(await userId('boyte'), 0)
    expect(await getRobustnessJob(id, await userId('boyte'))).toMatchObject({
      status: 'running',
      done: 100,
      total: 1000,
    })
    expect(await getRobustnessJob(id, await userId('soyte.thanhhoa'))).toBeUndefined()
  })

  it('is reported failed once its process has written nothing for the stale limit', async () => {
    const owner = await userId('boyte')
    const fresh = await openJob(owner, STALE_MS - 60_000)
    const lost = await openJob(owner, STALE_MS + 60_000)
    expect((await getRobustnessJob(fresh, owner))?.status).toBe('running')
    expect(await getRobustnessJob(lost, owner)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('stopped') as unknown,
    })
  })
})
