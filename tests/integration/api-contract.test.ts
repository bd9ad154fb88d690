/**
 * The contract test: every endpoint of /api/v1/openapi.json is called with a
 * real token against the real server, and each real response — the data and
 * the errors — is validated against the document's own schema for it.
 * A route file under /api/v1 that the document does not describe fails.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_SCOPES } from '../../db/schema.ts'
import { API_ENDPOINTS } from '../../app/api/endpoints.ts'
import { newToken } from '../../app/api/tokens.server.ts'
import { insertApiToken } from '../../app/models/api-token.server.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import { isSchema, validate, type Schema } from '../support/json-schema.ts'

const { db } = openTestDatabase()
let server: TestServer
let document: {
  openapi: string
  paths: Record<
    string,
    {
      get: {
        parameters: Array<{ name: string; in: string }>
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>
      }
    }
  >
}
let bearer = ''
let narrowBearer = ''
/** Without waves:read: the wave endpoints' 403. */
let noWavesBearer = ''
/** Real values for each path parameter. */
const params: Record<string, string> = {}

/**
 * Routes under /api/v1 that are not JSON endpoints of the document: the
 * document itself, its page, and the analysts' CSV files (README, "API";
 * tests/integration/raw-answers.test.ts).
 */
const NOT_ENDPOINTS = new Set([
  'api.v1.openapi[.]json',
  'api.v1.docs',
  'api.v1.rounds.$roundId.answers[.]csv',
  'api.v1.rounds.$roundId.codebook[.]csv',
])

/** A saved run of the whole country (as the planner saves one). */
async function savedRun(): Promise<number> {
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'quantri')
    .executeTakeFirstOrThrow()
  const parsed = parseWaveParams(new URLSearchParams('capacity=120'), 'vi')
  if (!parsed.success) throw new Error('bad wave parameters')
  const built = await buildWave(db, { kind: 'all' }, parsed.data, '2026-11-25')
  if (!('plan' in built)) throw new Error('no round to plan')
  return saveRun(db, {
    name: 'Đợt hợp đồng',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: admin.id,
    now: '2026-11-25T00:00:00.000Z',
  })
}

async function issue(scopes: (typeof API_SCOPES)[number][]) {
  const admin = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'quantri')
    .executeTakeFirstOrThrow()
  const { token, tokenHash } = newToken()
  await insertApiToken(db, {
    name: `contract ${scopes.join(' ')}`,
    scopes,
    provinceCode: null,
    tokenHash,
    createdBy: admin.id,
    now: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  })
  return token
}

beforeAll(async () => {
  server = await startTestServer()
  const response = await fetch(`${server.origin}/api/v1/openapi.json`)
  expect(response.status).toBe(200)
  document = (await response.json()) as typeof document
  bearer = await issue([...API_SCOPES])
  narrowBearer = await issue(['waves:read'])
  noWavesBearer = await issue(['facilities:read'])
  const verified = await db
    .selectFrom('assessments')
    .select(['id', 'round_id', 'facility_id'])
    .where('status', '=', 'verified')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  params.roundId = String(verified.round_id)
  params.assessmentId = String(verified.id)
  params.facilityId = String(verified.facility_id)
  const run = await savedRun()
  params.runId = String(run)
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

function schemaFor(path: string, status: number): Schema {
  const schema = document.paths[path]?.get.responses[String(status)]?.content?.['application/json']
  if (!schema || !isSchema(schema.schema))
    throw new Error(`the document has no ${status} response for ${path}`)
  return schema.schema
}

function urlOf(path: string, values: Record<string, string> = params) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]
    if (!value) throw new Error(`no value for ${name}`)
    return value
  })
}

async function call(url: string, token: string | null) {
  const response = await fetch(`${server.origin}${url}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    redirect: 'manual',
  })
  return { status: response.status, body: (await response.json()) as unknown }
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and describes every token route under /api/v1', () => {
    expect(document.openapi).toMatch(/^3\.1\./)
    const routes = readdirSync('app/routes')
      .filter((f) => f.startsWith('api.v1.'))
      .map((f) => f.replace(/\.tsx?$/, ''))
      .filter((r) => !NOT_ENDPOINTS.has(r))
    expect(routes.sort()).toEqual(API_ENDPOINTS.map((e) => e.route).sort())
    expect(Object.keys(document.paths).sort()).toEqual(API_ENDPOINTS.map((e) => e.path).sort())
  })

  it('has a validator that fails a body the schema does not allow', () => {
    const schema = schemaFor('/api/v1/facilities', 200)
    expect(validate(schema, { data: [{ id: 'x' }], nextCursor: null }, document)).not.toEqual([])
    expect(validate(schema, { data: [], nextCursor: 1 }, document)).not.toEqual([])
    expect(validate(schema, { data: [], nextCursor: null, extra: 1 }, document)).not.toEqual([])
    expect(validate(schema, { data: [], nextCursor: null }, document)).toEqual([])
  })
})

describe('every endpoint’s real responses fit the document', () => {
  for (const endpoint of API_ENDPOINTS) {
    const waves = endpoint.scope === 'waves:read'
    it(`GET ${endpoint.path}`, async () => {
      // The wave endpoints with a token that holds waves:read and nothing else.
      const ok = await call(urlOf(endpoint.path), waves ? narrowBearer : bearer)
      expect(ok.status).toBe(200)
      expect(validate(schemaFor(endpoint.path, 200), ok.body, document)).toEqual([])
      // A list with rows, so the item schemas are checked too.
      const body = ok.body as { data?: unknown[] }
      if (body.data) expect(body.data.length, 'rows').toBeGreaterThan(0)

      const unauthenticated = await call(urlOf(endpoint.path), null)
      expect(unauthenticated.status).toBe(401)
      expect(validate(schemaFor(endpoint.path, 401), unauthenticated.body, document)).toEqual([])

      if (endpoint.scope) {
        const refused = await call(urlOf(endpoint.path), waves ? noWavesBearer : narrowBearer)
        expect(refused.status).toBe(403)
        expect(validate(schemaFor(endpoint.path, 403), refused.body, document)).toEqual([])
      }
      if (endpoint.pathParams) {
        const missing = Object.fromEntries(Object.keys(params).map((k) => [k, '999999999']))
        const notFound = await call(urlOf(endpoint.path, missing), bearer)
        expect(notFound.status).toBe(404)
        expect(validate(schemaFor(endpoint.path, 404), notFound.body, document)).toEqual([])
      }
      if (endpoint.notFound) {
        // The one 404 of an endpoint without path parameters: a round that does not exist.
        const notFound = await call(`${urlOf(endpoint.path)}?round=999999`, narrowBearer)
        expect(notFound.status).toBe(404)
        expect(validate(schemaFor(endpoint.path, 404), notFound.body, document)).toEqual([])
      }
      if (endpoint.query) {
        // A parameter out of range: the page size, or the planner's capacity.
        const bad = await call(
          `${urlOf(endpoint.path)}?${waves ? 'capacity=-1' : 'limit=-1'}`,
          bearer,
        )
        expect(bad.status).toBe(400)
        expect(validate(schemaFor(endpoint.path, 400), bad.body, document)).toEqual([])
      }
    })
  }
})

describe('the wave documents', () => {
  it('lose nothing a signed-in reviewer’s JSON of the same saved run holds', async () => {
    // The session path sends `waveJson` as it is; the token path parses it through the schema.
    const reviewer = new TestClient(server.origin)
    expect((await reviewer.signIn('boyte')).status).toBe(302)
    const session = await reviewer.request(`/api/v1/waves/runs/${params.runId}`)
    expect(session.status).toBe(200)
    const token = await call(`/api/v1/waves/runs/${params.runId}`, narrowBearer)
    expect(token.status).toBe(200)
    expect(token.body).toEqual(await session.json())
  })

  it('has a schema that refuses a document without its fields', () => {
    const schema = schemaFor('/api/v1/waves/runs/{runId}', 200)
    expect(validate(schema, { apiVersion: 1 }, document)).not.toEqual([])
  })
})
