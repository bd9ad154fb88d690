/**
 * Nothing acknowledged is ever lost: the server is killed with SIGKILL in the
 * middle of a stream of autosaves; after it, the database passes
 * integrity_check and holds every save the server had answered 200 to.
 */
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { TestClient } from '../support/http.ts'
import { startServerProcess } from '../support/server-process.ts'

describe('durability', () => {
  it('keeps every acknowledged save across a kill -9', async () => {
    const server = await startServerProcess('durability')
    const { origin, dbPath } = server
    try {
      const client = new TestClient(origin)
      expect((await client.signIn('giamdoc.thanhhoa')).status).toBe(302)
      const round = new SQLite(dbPath, { readonly: true })
      const roundId = (
        round.prepare('SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1').get() as {
          id: number
        }
      ).id
      round.close()

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
      const db = new SQLite(dbPath)
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        const row = db
          .prepare(
            `SELECT a.version, a.answers FROM assessments a JOIN facilities f ON f.id = a.facility_id
           WHERE f.code = '38001' AND a.round_id = ?`,
          )
          .get(roundId) as { version: number; answers: string }
        const last = acknowledged[acknowledged.length - 1]
        // The stored state is the last acknowledged save, or one the server wrote but could not answer.
        expect(row.version).toBeGreaterThanOrEqual(last?.version ?? 0)
        const stored = (JSON.parse(row.answers) as { it_staff_fte: number }).it_staff_fte
        expect(stored).toBeGreaterThanOrEqual(last?.value ?? 0)
        const changes = db
          .prepare(
            'SELECT COUNT(*) AS n FROM assessment_changes WHERE version <= ? AND question = ?',
          )
          .get(last?.version ?? 0, 'it_staff_fte') as { n: number }
        expect(changes.n).toBeGreaterThanOrEqual(acknowledged.length)
      } finally {
        db.close()
      }
    } finally {
      // A failed expectation above must not leave the server running.
      server.kill()
    }
    // Starting a server process is slow on a loaded 2-core machine.
  }, 180_000)
})
