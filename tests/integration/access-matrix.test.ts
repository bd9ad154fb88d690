/**
 * Every route × every role (and signed out) → the expected status, through
 * the real server. Add a row for every route you add: the test fails when a
 * route file exists that no row names.
 *
 * One test per feature file and actor, so no single test carries the whole
 * matrix (hundreds of requests) against one time limit on a busy machine.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import {
  ACTORS,
  buildMatrix,
  FEATURES,
  type Actor,
  type Fixtures,
  type MatrixRow,
} from './access-matrix.routes.ts'

let server: TestServer
const clients = new Map<Actor, TestClient>()
let fixtures: Fixtures
let matrix: Map<string, MatrixRow[]>

beforeAll(async () => {
  const { db } = openTestDatabase()
  const byCode = async (code: string) =>
    (
      await db
        .selectFrom('facilities')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id
  fixtures = {
    db,
    ownFacilityId: await byCode('38001'),
    sameProvinceFacilityId: await byCode('38003'),
    otherProvinceFacilityId: await byCode('04004'),
  }
  matrix = await buildMatrix(fixtures)
  server = await startTestServer()
  for (const actor of ACTORS) {
    const client = new TestClient(server.origin)
    if (actor.login) {
      const response = await client.signIn(actor.login)
      expect(response.status, `sign-in of ${actor.login}`).toBe(302)
    }
    clients.set(actor.name, client)
  }
  // Seven sign-ins (argon2, and a TOTP step for two of them) on a loaded machine.
}, 120_000)

afterAll(async () => {
  await server.close()
  await fixtures.db.destroy()
})

describe('access matrix', () => {
  it('names every route file', () => {
    const files = readdirSync('app/routes').map((f) => f.replace(/\.tsx?$/, ''))
    const covered = new Set([...matrix.values()].flat().map((r) => r.route))
    expect(files.filter((f) => !covered.has(f))).toEqual([])
  })

  for (const feature of FEATURES) {
    describe(feature, () => {
      for (const actor of ACTORS) {
        it(`answers ${actor.name} with the expected status`, async () => {
          const client = clients.get(actor.name)
          if (!client) throw new Error(`no client for ${actor.name}`)
          const failures: string[] = []
          for (const row of matrix.get(feature) ?? []) {
            const expected = row.expect[actor.name]
            const response = await client.request(row.path, {
              method: row.method,
              form: row.form,
              sameOrigin: row.crossSite !== true,
              headers: row.crossSite
                ? { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }
                : undefined,
            })
            await response.arrayBuffer()
            if (response.status !== expected) {
              failures.push(
                `${row.method ?? 'GET'} ${row.path} as ${actor.name}: ${response.status}, expected ${expected}`,
              )
            }
          }
          expect(failures).toEqual([])
        })
      }
    })
  }
})
