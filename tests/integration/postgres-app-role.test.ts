/**
 * The app as README's production install runs it on PostgreSQL (issue #18):
 * the schema migrated and seeded by an owner role, the server run as an
 * application role holding SELECT, INSERT, UPDATE and DELETE on the tables
 * but no UPDATE, DELETE or TRUNCATE on audit_log and facility_changes. The
 * app's own code paths work as that role — a server start, sign-ins, an
 * autosave, a review that returns an assessment, another that verifies one, a
 * registry import, the exports — and every one of them appends its audit
 * rows, while rewriting or removing an audit row as that role is refused by
 * PostgreSQL itself. Only the PostgreSQL run holds this file.
 */
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../../db/client.ts'
import { migrateToLatest } from '../../db/migrate.ts'
import { seedAll } from '../../db/seed-all.ts'
import { getCurrentRound } from '../../app/models/round.server.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { submittedIn } from '../support/fixtures.ts'
import { TestClient } from '../support/http.ts'
import { databaseUrl } from '../support/postgres-server.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { POSTGRES_TEST_PREFIX, testPostgresServer, TMP_DIR } from '../support/test-db.ts'

const suffix = `${process.pid}_${Date.now()}`
const OWNER = `${POSTGRES_TEST_PREFIX}owner_${suffix}`
const APP = `${POSTGRES_TEST_PREFIX}app_${suffix}`
const DATABASE = `${POSTGRES_TEST_PREFIX}app_role_${suffix}`

/** README (Production install → Running on PostgreSQL): the application role's grants. */
const APP_GRANTS = [
  `GRANT USAGE ON SCHEMA public TO ${APP}`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP}`,
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${APP}`,
  `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, facility_changes FROM ${APP}`,
]

/** The test cluster trusts loopback connections: a role's URL needs no password. */
function urlAs(role: string, database: string): string {
  const url = new URL(databaseUrl(testPostgresServer(), database))
  url.username = role
  url.password = ''
  return url.toString()
}

async function asSuperuser(database: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(testPostgresServer(), database) })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

let server: ServerProcess | undefined
let app: pg.Client
let viewer: ReturnType<typeof openPostgres>

async function auditRows(action: string): Promise<number> {
  const row = await viewer.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

beforeAll(async () => {
  await asSuperuser('postgres', [
    `CREATE ROLE ${OWNER} LOGIN`,
    `CREATE ROLE ${APP} LOGIN`,
    `CREATE DATABASE ${DATABASE} OWNER ${OWNER} TEMPLATE template0 LOCALE 'C.UTF-8' ENCODING 'UTF8'`,
  ])
  // As the owner: the schema, then the demo data (the seed writes audit rows too).
  const owner = openPostgres(urlAs(OWNER, DATABASE), { poolSize: 2 })
  try {
    await migrateToLatest(owner.db)
    await seedAll(owner.db, { demo: true, hashPassword, now: new Date().toISOString() })
  } finally {
    await owner.db.destroy()
  }
  await asSuperuser(DATABASE, APP_GRANTS)
  server = await spawnServer({
    dbPath: join(TMP_DIR, `it-app-role-${suffix}.pg`),
    databaseUrl: urlAs(APP, DATABASE),
  })
  app = new pg.Client({ connectionString: urlAs(APP, DATABASE) })
  await app.connect()
  viewer = openPostgres(urlAs(APP, DATABASE), { poolSize: 1 })
})

afterAll(async () => {
  server?.kill()
  await server?.exited
  await app?.end()
  await viewer?.db.destroy()
  await asSuperuser('postgres', [
    `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`,
    `DROP ROLE IF EXISTS ${APP}`,
    `DROP ROLE IF EXISTS ${OWNER}`,
  ])
})

describe('the app run as a role without UPDATE or DELETE on the audit log', () => {
  it('saves, returns and verifies, each with its audit row', async () => {
    if (!server) throw new Error('no server')
    const round = await getCurrentRound(viewer.db, new Date().toISOString().slice(0, 10))
    if (!round) throw new Error('no current round')
    const director = new TestClient(server.origin)
    expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
    const saved = await director.request('/assessment/save', {
      json: { roundId: round.id, baseVersion: 0, changes: { beds_in_use: 400 }, currentPage: 1 },
    })
    expect(saved.status, await saved.clone().text()).toBe(200)

    const reviewer = new TestClient(server.origin)
    expect((await reviewer.signIn('soyte.thanhhoa')).status).toBe(302)
    const returnsBefore = await auditRows('assessment.return')
    const toReturn = await submittedIn(viewer.db, '38')
    const returned = await reviewer.request(`/review/${toReturn.id}`, {
      form: { intent: 'return', version: String(toReturn.version), general: 'Bổ sung minh chứng.' },
    })
    expect(returned.status).toBe(200)
    expect(await auditRows('assessment.return')).toBe(returnsBefore + 1)

    const verifiesBefore = await auditRows('assessment.verify')
    const toVerify = await submittedIn(viewer.db, '38')
    const verified = await reviewer.request(`/review/${toVerify.id}`, {
      form: { intent: 'verify', version: String(toVerify.version) },
    })
    expect(verified.status).toBe(200)
    expect(await auditRows('assessment.verify')).toBe(verifiesBefore + 1)
  })

  it('imports into the registry (its history is append-only too) and exports', async () => {
    if (!server) throw new Error('no server')
    const admin = new TestClient(server.origin)
    expect((await admin.signIn('quantri')).status).toBe(302)
    const file = new FormData()
    file.set(
      'file',
      new File(
        [
          'mã cơ sở;tên cơ sở;tỉnh;tuyến;loại hình;số giường\nH-901;Bệnh viện Vai trò;Thanh Hoá;tỉnh;công lập;120\n',
        ],
        'registry.csv',
      ),
    )
    const preview = await (await admin.request('/admin/facilities/import', { body: file })).text()
    const hidden = (name: string) =>
      new RegExp(`name="${name}" value="([0-9a-f]{64})"`).exec(preview)?.[1] ?? ''
    const applied = await admin.request('/admin/facilities/import', {
      form: { intent: 'apply', sha256: hidden('sha256'), planHash: hidden('planHash') },
    })
    expect(applied.status).toBeLessThan(400)
    const changes = await viewer.db
      .selectFrom('facility_changes')
      .innerJoin('facilities', 'facilities.id', 'facility_changes.facility_id')
      .select('facility_changes.id')
      .where('facilities.code', '=', 'H-901')
      .execute()
    expect(changes.length).toBeGreaterThan(0)

    const exportsBefore = await auditRows('registry.export.csv')
    const csv = await admin.request('/admin/facilities/export.csv')
    expect(csv.status).toBe(200)
    expect(await csv.text()).toContain('Bệnh viện Vai trò')
    expect(await auditRows('registry.export.csv')).toBe(exportsBefore + 1)

    const ministry = new TestClient(server.origin)
    expect((await ministry.signIn('boyte')).status).toBe(302)
    const list = await ministry.request('/facilities/export.csv')
    expect(list.status).toBe(200)
  })

  it('may not rewrite or remove the audit log or the registry history', async () => {
    for (const table of ['audit_log', 'facility_changes']) {
      for (const statement of [
        `UPDATE ${table} SET id = id`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ]) {
        await expect(app.query(statement), statement).rejects.toThrow(
          `permission denied for table ${table}`,
        )
      }
    }
    // What it may do: read them and append to them (the app just did, above).
    const { rows } = await app.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')
    expect(Number(rows[0]?.n)).toBeGreaterThan(0)
  })
})
