/**
 * Two application processes on one database, as behind a load balancer
 * (issue #18): nothing a user relies on may live in one process's memory.
 * A session made on one is valid on the other, a save through one is the
 * base of the next save through the other, a rate limit counts calls to
 * both, and the planner's kept lists on one are read again after a write
 * through the other, and a robustness job started on one is followed to its
 * end on the other. Runs on SQLite (two processes on one WAL file) and, in
 * the integration-pg project, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openConfigured } from '../../db/client.ts'
import { API_REFUSAL_LIMIT } from '../../app/api/caller.server.ts'
import { getCurrentRound } from '../../app/models/round.server.ts'
import { submittedIn } from '../support/fixtures.ts'
import { TestClient } from '../support/http.ts'
import { spawnServer, startServerProcess, type ServerProcess } from '../support/server-process.ts'

let first: ServerProcess
let second: ServerProcess
let handle: ReturnType<typeof openConfigured>

/** A client of `server` holding the session `other` signed in with. */
function sameSession(other: TestClient, server: ServerProcess): TestClient {
  const client = new TestClient(server.origin, other.ip)
  client.cookie = other.cookie
  return client
}

beforeAll(async () => {
  first = await startServerProcess('two-processes')
  second = await spawnServer({ dbPath: first.dbPath, databaseUrl: first.databaseUrl })
  handle = openConfigured({ DATABASE_URL: first.databaseUrl, DATABASE_PATH: first.dbPath })
})

afterAll(async () => {
  first?.kill()
  second?.kill()
  await Promise.all([first?.exited, second?.exited])
  await handle?.db.destroy()
})

describe('two server processes on one database', () => {
  it('share sessions, and a save through one is the base of the next save through the other', async () => {
    const round = await getCurrentRound(handle.db, new Date().toISOString().slice(0, 10))
    if (!round) throw new Error('no current round')
    const onFirst = new TestClient(first.origin)
    expect((await onFirst.signIn('giamdoc.thanhhoa')).status).toBe(302)
    const saved = await onFirst.request('/assessment/save', {
      json: { roundId: round.id, baseVersion: 0, changes: { beds_in_use: 400 }, currentPage: 1 },
    })
    expect(saved.status).toBe(200)
    const { version } = (await saved.json()) as { version: number }

    const onSecond = sameSession(onFirst, second)
    const next = await onSecond.request('/assessment/save', {
      json: {
        roundId: round.id,
        baseVersion: version,
        changes: { beds_in_use: 410 },
        currentPage: 1,
      },
    })
    expect(next.status).toBe(200)
    expect(((await next.json()) as { version: number }).version).toBe(version + 1)
    // The first process now holds a stale version: it refuses, as one process would.
    const stale = await onFirst.request('/assessment/save', {
      json: {
        roundId: round.id,
        baseVersion: version,
        changes: { beds_in_use: 420 },
        currentPage: 1,
      },
    })
    expect(stale.status).toBe(409)
  })

  it('count a rate limit across both processes', async () => {
    const bad = { authorization: `Bearer ssk_${'A'.repeat(43)}` }
    const ip = '10.9.8.7'
    const clients = [new TestClient(first.origin, ip), new TestClient(second.origin, ip)]
    for (let i = 0; i < API_REFUSAL_LIMIT.max; i += 1) {
      const client = clients[i % 2] as TestClient
      expect((await client.request('/api/v1/rounds', { headers: bad })).status).toBe(401)
    }
    // Each process alone has seen only half the limit; together they have seen it all.
    for (const client of clients) {
      const refused = await client.request('/api/v1/rounds', { headers: bad })
      expect(refused.status).toBe(429)
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    }
  })

  it("read the planner's kept lists again after a write through the other process", async () => {
    type Api = { inputHash: string; rows: Array<{ facilityId: number }> }
    const ministry = new TestClient(first.origin)
    expect((await ministry.signIn('boyte')).status).toBe(302)
    const plan = async () =>
      (await (await ministry.request('/api/v1/waves?capacity=33')).json()) as Api
    const before = await plan()
    expect((await plan()).inputHash).toBe(before.inputHash)

    const submitted = await submittedIn(handle.db, '38')
    const assessment = await handle.db
      .selectFrom('assessments')
      .select('facility_id')
      .where('id', '=', submitted.id)
      .executeTakeFirstOrThrow()
    expect(before.rows.some((row) => row.facilityId === assessment.facility_id)).toBe(true)

    const reviewer = new TestClient(second.origin)
    expect((await reviewer.signIn('soyte.thanhhoa')).status).toBe(302)
    const returned = await reviewer.request(`/review/${submitted.id}`, {
      form: {
        intent: 'return',
        version: String(submitted.version),
        general: 'Bổ sung minh chứng.',
      },
    })
    expect(returned.status).toBe(200)

    const after = await plan()
    expect(after.inputHash).not.toBe(before.inputHash)
    expect(after.rows.some((row) => row.facilityId === assessment.facility_id)).toBe(false)
  })

  it('follow a robustness job started on one process to its end on the other', async () => {
    const ministry = new TestClient(first.origin)
    expect((await ministry.signIn('boyte')).status).toBe(302)
    const start = await ministry.request('/waves?index', {
      form: { intent: 'robustness', params: 'capacity=20&draws=300' },
    })
    expect(start.status).toBe(302)
    const jobId = new URL(start.headers.get('location') ?? '', first.origin).searchParams.get('job')
    const onSecond = sameSession(ministry, second)
    await expect
      .poll(
        async () =>
          ((await (await onSecond.request(`/waves/jobs/${jobId}`)).json()) as { status: string })
            .status,
        { timeout: 120_000, interval: 200 },
      )
      .toBe('done')
    const job = (await (await onSecond.request(`/waves/jobs/${jobId}`)).json()) as unknown
    expect(job).toEqual({ status: 'done', done: 300, total: 300, error: null })
  })
})
