/**
 * Nothing acknowledged is ever lost: the server is killed with SIGKILL in the
 * middle of a stream of autosaves; after it, the database holds every save
 * the server had answered 200 to (and a SQLite file passes integrity_check).
 * On SQLite and, in the integration-pg project, on PostgreSQL.
 */
import { describe, expect, it } from 'vitest'
import { openConfigured } from '../../db/client.ts'
import { TestClient } from '../support/http.ts'
import { startServerProcess } from '../support/server-process.ts'

describe('durability', () => {
  it('keeps every acknowledged save across a kill -9', async () => {
    const server = await startServerProcess('durability')
    const { origin } = server
    const opened = () =>
      openConfigured({ DATABASE_URL: server.databaseUrl, DATABASE_PATH: server.dbPath })
    try {
      const client = new TestClient(origin)
      expect((await client.signIn('giamdoc.thanhhoa')).status).toBe(302)
      const before = opened()
      const { id: roundId } = await before.db
        .selectFrom('rounds')
        .select('id')
        .orderBy('opens_on', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      await before.db.destroy()

      // Alternate the answer so every save is a real change; kill the server mid-stream.
      const acknowledged: Array<{ version: number; value: number }> = []
      let version = 0
      let killed = false
      const loop = (async () => {
        for (let i = 1; i <= 400 && !killed; i++) {
          try {
            const r = await client.request('/assessment/save', {
              json: { roundId, baseVersion: version, changes: { it_staff_fte: i }, currentPage: 1 },
            })
            if (r.status !== 200) break
            version = ((await r.json()) as { version: number }).version
            acknowledged.push({ version, value: i })
          } catch {
            break
          }
        }
      })()
      // Kill once a good number of saves were acknowledged, whatever the machine's load.
      for (let i = 0; i < 300 && acknowledged.length < 20; i++)
        await new Promise((r) => setTimeout(r, 50))
      killed = true
      server.kill()
      await loop
      await server.exited
      // The process that answered is gone (not a wrapper around it).
      await expect(fetch(`${origin}/healthz`)).rejects.toThrow()

      expect(acknowledged.length).toBeGreaterThan(5)
      const after = opened()
      try {
        if (after.dialect === 'sqlite')
          expect(after.sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
        const row = await after.db
          .selectFrom('assessments as a')
          .innerJoin('facilities as f', 'f.id', 'a.facility_id')
          .select(['a.version', 'a.answers'])
          .where('f.code', '=', '38001')
          .where('a.round_id', '=', roundId)
          .executeTakeFirstOrThrow()
        const last = acknowledged[acknowledged.length - 1]
        // The stored state is the last acknowledged save, or one the server wrote but could not answer.
        expect(row.version).toBeGreaterThanOrEqual(last?.version ?? 0)
        const stored = (JSON.parse(row.answers) as { it_staff_fte: number }).it_staff_fte
        expect(stored).toBeGreaterThanOrEqual(last?.value ?? 0)
        const changes = await after.db
          .selectFrom('assessment_changes')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('version', '<=', last?.version ?? 0)
          .where('question', '=', 'it_staff_fte')
          .executeTakeFirstOrThrow()
        expect(Number(changes.n)).toBeGreaterThanOrEqual(acknowledged.length)
      } finally {
        await after.db.destroy()
      }
    } finally {
      // A failed expectation above must not leave the server running.
      server.kill()
    }
    // Starting a server process is slow on a loaded 2-core machine.
  }, 180_000)
})
