/**
 * Nothing acknowledged is ever lost: the server is killed with SIGKILL in the
 * middle of a stream of autosaves; after it, the database passes
 * integrity_check and holds every save the server had answered 200 to.
 */
import { spawn } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { TestClient } from '../support/http.ts'
import { TEMPLATE_PATH, TMP_DIR } from '../support/test-db.ts'

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no answer from ${url}`)
}

/** A port nobody listens on now: the OS picks it, we release it for the server. */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  const address = probe.address()
  await new Promise((r) => probe.close(r))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe('durability', () => {
  it('keeps every acknowledged save across a kill -9', async () => {
    const dbPath = join(TMP_DIR, `it-durability-${process.pid}.sqlite`)
    copyFileSync(TEMPLATE_PATH, dbPath)
    const port = await freePort()
    const server = spawn(process.execPath, ['--import', 'tsx', 'app/server.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_PATH: dbPath,
        EVIDENCE_DIR: `${dbPath}.evidence`,
      },
      stdio: 'ignore',
    })
    // Listen for the exit now: after a SIGKILL it can come before the save loop has unwound.
    const exited = new Promise((r) => server.once('exit', r))
    try {
      const origin = `http://127.0.0.1:${port}`
      await waitForHealth(`${origin}/healthz`)
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
      server.kill('SIGKILL')
      await loop
      await exited

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
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
    }
    // Starting a server process is slow on a loaded 2-core machine.
  }, 180_000)
})
