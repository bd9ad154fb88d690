/**
 * The token-authenticated API (/api/v1, issue #19) through the real server:
 * each scope reads what it may and nothing else; a missing, unknown,
 * expired or revoked token gets the contract's 401 (never a redirect); a
 * province token never sees another province's facility; lists carry
 * ETags and cursors; every call and refusal is audited; tokens are issued
 * and revoked on the administrators' page.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiScope } from '../../db/schema.ts'
import { API_REFUSAL_LIMIT } from '../../app/api/caller.server.ts'
import { newToken } from '../../app/api/tokens.server.ts'
import { insertApiToken } from '../../app/models/api-token.server.ts'
import { ApiErrorSchema } from '../../app/utils/api-contract.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { auditCount } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let adminId = 0
let roundId = 0
let otherProvinceAssessmentId = 0
let ownProvinceAssessmentId = 0
let otherProvinceFacilityId = 0
let runId = 0

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

async function token(
  scopes: ApiScope[],
  options: { province?: string; expiresAt?: string; createdAt?: string } = {},
) {
  const { token, tokenHash } = newToken()
  const id = await insertApiToken(db, {
    name: `test ${scopes.join(' ')} ${options.province ?? 'national'}`,
    scopes,
    provinceCode: options.province ?? null,
    tokenHash,
    createdBy: adminId,
    now: options.createdAt ?? iso(Date.now()),
    expiresAt: options.expiresAt ?? iso(Date.now() + 30 * DAY),
  })
  return { id, token }
}

function get(path: string, bearer: string | null, headers: Record<string, string> = {}) {
  return fetch(`${server.origin}${path}`, {
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    redirect: 'manual',
  })
}

async function json(response: Response): Promise<unknown> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  return response.json()
}

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  const body = ApiErrorSchema.parse(await json(response))
  expect(body.error.code).toBe(code)
  expect(body.error.message.length).toBeGreaterThan(0)
}

/** Every row of a cursor-paginated list, following `nextCursor`. */
async function allPages(path: string, bearer: string, limit: number) {
  const rows: Array<Record<string, unknown>> = []
  let cursor: string | null = null
  for (let page = 0; page < 1000; page++) {
    const sep = path.includes('?') ? '&' : '?'
    const response = await get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      bearer,
    )
    expect(response.status, path).toBe(200)
    const body = (await response.json()) as {
      data: Array<Record<string, unknown>>
      nextCursor: string | null
    }
    rows.push(...body.data)
    cursor = body.nextCursor
    if (cursor === null) return rows
  }
  throw new Error('pagination did not end')
}

beforeAll(async () => {
  adminId = (
    await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'quantri')
      .executeTakeFirstOrThrow()
  ).id
  roundId = (
    await db.selectFrom('rounds').select('id').orderBy('opens_on', 'desc').executeTakeFirstOrThrow()
  ).id
  const inProvince = (province: string) =>
    db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select(['assessments.id', 'facilities.id as facility_id'])
      .where('facilities.province_code', '=', province)
      .where('assessments.round_id', '=', roundId)
      .orderBy('assessments.id')
      .executeTakeFirstOrThrow()
  const other = await inProvince('04')
  otherProvinceAssessmentId = other.id
  otherProvinceFacilityId = other.facility_id
  ownProvinceAssessmentId = (await inProvince('38')).id
  const params = parseWaveParams(new URLSearchParams('capacity=120'), 'vi')
  if (!params.success) throw new Error('bad wave parameters')
  const built = await buildWave(db, { kind: 'all' }, params.data, '2026-11-25')
  if (!('plan' in built)) throw new Error('no round to plan')
  runId = await saveRun(db, {
    name: 'Đợt 1',
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: adminId,
    now: '2026-11-25T00:00:00.000Z',
  })
  server = await startTestServer()
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('authentication', () => {
  it('answers a missing token with the contract’s 401, never a redirect', async () => {
    const response = await get('/api/v1/facilities', null)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
    await expectError(response, 401, 'unauthenticated')
  })

  it('answers calls with no Authorization header and no session with 401, auditing one a minute per address', async () => {
    const refusedRows = async () => auditCount(db, 'api.refused')
    const before = await refusedRows()
    // An address of its own, so no other test's calls share its minute.
    const from = { 'x-forwarded-for': '203.0.113.19' }
    const paths = [
      '/api/v1/facilities',
      '/api/v1/rounds',
      `/api/v1/rounds/${roundId}/answers.csv`,
      '/api/v1/waves',
      '/api/v1/waves/runs/1',
    ]
    for (let i = 0; i < 5; i++) {
      for (const path of paths) {
        const response = await get(path, null, from)
        expect(response.headers.get('location'), path).toBeNull()
        await expectError(response, 401, 'unauthenticated')
      }
    }
    // The first call is on record; the 24 after it are not (and none was answered 429).
    expect((await refusedRows()) - before).toBe(1)
    const last = await db
      .selectFrom('audit_log')
      .select(['ip', 'detail_json'])
      .where('action', '=', 'api.refused')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(last.ip).toBe('203.0.113.19')
    expect(JSON.parse(last.detail_json)).toMatchObject({ reason: 'missing', status: 401 })
  })

  it('answers a session cookie without a token with 401 (the API is for tokens)', async () => {
    const client = new TestClient(server.origin)
    expect((await client.signIn('boyte')).status).toBe(302)
    const response = await client.request('/api/v1/facilities')
    await expectError(response, 401, 'unauthenticated')
  })

  it('answers an unknown, a malformed, an expired and a revoked token with 401', async () => {
    await expectError(await get('/api/v1/rounds', newToken().token), 401, 'unauthenticated')
    await expectError(await get('/api/v1/rounds', 'not-a-token'), 401, 'unauthenticated')
    const expired = await token(['facilities:read'], {
      createdAt: iso(Date.now() - 10 * DAY),
      expiresAt: iso(Date.now() - DAY),
    })
    await expectError(await get('/api/v1/rounds', expired.token), 401, 'unauthenticated')
    const revoked = await token(['facilities:read'])
    expect((await get('/api/v1/rounds', revoked.token)).status).toBe(200)
    await db
      .updateTable('api_tokens')
      .set({ revoked_at: iso(Date.now()), revoked_by: adminId })
      .where('id', '=', revoked.id)
      .execute()
    await expectError(await get('/api/v1/rounds', revoked.token), 401, 'unauthenticated')
    const reasons = await db
      .selectFrom('audit_log')
      .select(['detail_json', 'entity_id'])
      .where('action', '=', 'api.refused')
      .execute()
    const byReason = reasons.map((r) => (JSON.parse(r.detail_json) as { reason: string }).reason)
    expect(byReason).toEqual(expect.arrayContaining(['unknown', 'missing', 'expired', 'revoked']))
  })
})

describe('scopes', () => {
  const paths = () => ({
    'facilities:read': ['/api/v1/facilities', `/api/v1/facilities/${otherProvinceFacilityId}`],
    'assessments:read': [
      `/api/v1/rounds/${roundId}/assessments`,
      `/api/v1/assessments/${otherProvinceAssessmentId}`,
    ],
    'scores:read': [`/api/v1/rounds/${roundId}/scores`],
    'waves:read': [`/api/v1/waves?round=${roundId}&capacity=50`, `/api/v1/waves/runs/${runId}`],
  })

  for (const scope of [
    'facilities:read',
    'assessments:read',
    'scores:read',
    'waves:read',
  ] as const) {
    it(`a ${scope} token reads what it may and nothing else`, async () => {
      const { token: bearer } = await token([scope])
      for (const [needed, list] of Object.entries(paths())) {
        for (const path of list) {
          const response = await get(path, bearer)
          if (needed === scope) expect(response.status, path).toBe(200)
          else await expectError(response, 403, 'forbidden')
        }
      }
      // The rounds name no facility: any valid token reads them.
      expect((await get('/api/v1/rounds', bearer)).status).toBe(200)
    })
  }

  it('audits each call with its token, path and status', async () => {
    const { id, token: bearer } = await token(['facilities:read'])
    await get('/api/v1/facilities?limit=1', bearer)
    await get(`/api/v1/rounds/${roundId}/scores`, bearer)
    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'detail_json'])
      .where('entity_type', '=', 'api_token')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.action, JSON.parse(r.detail_json)])).toEqual([
      ['api.call', { path: '/api/v1/facilities?limit=1', scope: 'facilities:read', status: 200 }],
      [
        'api.refused',
        {
          path: `/api/v1/rounds/${roundId}/scores`,
          reason: 'scope',
          scope: 'scores:read',
          status: 403,
        },
      ],
    ])
    const used = await db
      .selectFrom('api_tokens')
      .select('last_used_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(used.last_used_at).not.toBeNull()
  })
})

describe('province scope', () => {
  it('never returns another province’s facility, assessment or score', async () => {
    const { token: bearer } = await token(['facilities:read', 'assessments:read', 'scores:read'], {
      province: '38',
    })
    const facilities = await allPages('/api/v1/facilities', bearer, 3)
    const expected = await db
      .selectFrom('facilities')
      .select('id')
      .where('province_code', '=', '38')
      .orderBy('id')
      .execute()
    expect(facilities.map((f) => f.id)).toEqual(expected.map((f) => f.id))
    expect(new Set(facilities.map((f) => f.provinceCode))).toEqual(new Set(['38']))
    // Asking for another province filters to nothing rather than widening the scope.
    expect(await allPages('/api/v1/facilities?province=04', bearer, 50)).toEqual([])

    const assessments = await allPages(`/api/v1/rounds/${roundId}/assessments`, bearer, 2)
    expect(assessments.length).toBeGreaterThan(0)
    expect(assessments.map((a) => a.id)).toContain(ownProvinceAssessmentId)
    const scores = await allPages(`/api/v1/rounds/${roundId}/scores`, bearer, 2)
    expect(scores.map((s) => s.assessmentId).sort()).toEqual(assessments.map((a) => a.id).sort())
    const ids = new Set(expected.map((f) => f.id))
    for (const row of [...assessments, ...scores])
      expect(ids.has(Number(row.facilityId))).toBe(true)

    await expectError(
      await get(`/api/v1/facilities/${otherProvinceFacilityId}`, bearer),
      404,
      'not_found',
    )
    await expectError(
      await get(`/api/v1/assessments/${otherProvinceAssessmentId}`, bearer),
      404,
      'not_found',
    )
    expect((await get(`/api/v1/assessments/${ownProvinceAssessmentId}`, bearer)).status).toBe(200)
  })

  it('restricts a plan and a saved national run to the token’s province', async () => {
    const { token: bearer } = await token(['waves:read'], { province: '38' })
    for (const path of [
      `/api/v1/waves?round=${roundId}&capacity=50`,
      `/api/v1/waves/runs/${runId}`,
    ]) {
      const response = await get(path, bearer)
      expect(response.status, path).toBe(200)
      const body = (await response.json()) as { rows: Array<{ province: string }> }
      expect(body.rows.length, path).toBeGreaterThan(0)
      expect(new Set(body.rows.map((r) => r.province)), path).toEqual(new Set(['38']))
    }
    const national = (await (
      await get(`/api/v1/waves/runs/${runId}`, (await token(['waves:read'])).token)
    ).json()) as {
      rows: Array<{ province: string }>
    }
    expect(new Set(national.rows.map((r) => r.province)).size).toBeGreaterThan(1)
  })
})

describe('lists', () => {
  it('pages with a cursor without gaps or repeats, and answers If-None-Match with 304', async () => {
    const { token: bearer } = await token(['facilities:read'])
    const paged = await allPages('/api/v1/facilities?tier=basic', bearer, 7)
    const whole = await allPages('/api/v1/facilities?tier=basic', bearer, 500)
    expect(paged.map((f) => f.id)).toEqual(whole.map((f) => f.id))
    expect(new Set(whole.map((f) => f.tier))).toEqual(new Set(['basic']))

    const first = await get('/api/v1/facilities?limit=5', bearer)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[\w-]+"$/)
    await first.arrayBuffer()
    const again = await get('/api/v1/facilities?limit=5', bearer, { 'if-none-match': etag ?? '' })
    expect(again.status).toBe(304)
    const other = await get('/api/v1/facilities?limit=6', bearer, { 'if-none-match': etag ?? '' })
    expect(other.status).toBe(200)
    await other.arrayBuffer()
  })

  it('answers bad parameters with a 400 naming each', async () => {
    const { token: bearer } = await token(['facilities:read', 'assessments:read'])
    const response = await get('/api/v1/facilities?limit=0&tier=huge&cursor=%21', bearer)
    expect(response.status).toBe(400)
    const body = ApiErrorSchema.parse(await response.json())
    expect(body.error.issues?.map((i) => i.path).sort()).toEqual(['cursor', 'limit', 'tier'])
    await expectError(await get('/api/v1/facilities?cursor=abc', bearer), 400, 'bad_request')
    await expectError(await get('/api/v1/rounds/999999/assessments', bearer), 404, 'not_found')
    await expectError(await get('/api/v1/assessments/abc', bearer), 400, 'bad_request')
  })

  it('gives an assessment’s raw answers as question id → coded value, and a status history', async () => {
    const { token: bearer } = await token(['assessments:read'])
    const response = await get(`/api/v1/assessments/${ownProvinceAssessmentId}`, bearer)
    const body = (await response.json()) as {
      answers: Record<string, unknown>
      statusHistory: Array<{ status: string; at: string }>
      createdAt: string
    }
    const stored = await db
      .selectFrom('assessments')
      .select(['answers', 'created_at'])
      .where('id', '=', ownProvinceAssessmentId)
      .executeTakeFirstOrThrow()
    expect(body.answers).toEqual(JSON.parse(stored.answers))
    expect(body.statusHistory[0]).toEqual({ status: 'draft', at: stored.created_at })
  })
})

describe('rate limit', () => {
  it('refuses a token’s 121st call within a minute with 429 and Retry-After', async () => {
    const { token: bearer } = await token(['facilities:read'])
    for (let i = 0; i < 120; i++) {
      const response = await get('/api/v1/rounds', bearer)
      expect(response.status).toBe(200)
      await response.arrayBuffer()
    }
    const refused = await get('/api/v1/rounds', bearer)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    await expectError(refused, 429, 'rate_limited')
    // Another token is not affected.
    const { token: other } = await token(['facilities:read'])
    expect((await get('/api/v1/rounds', other)).status).toBe(200)
  })
})

describe('the administrators’ page', () => {
  it('issues a token shown once, which works until it is revoked', async () => {
    const admin = new TestClient(server.origin)
    expect((await admin.signIn('quantri')).status).toBe(302)
    const expiresOn = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10)
    const created = await admin.request('/admin/tokens', {
      form: {
        intent: 'create',
        name: 'Cổng giám định BHYT',
        scopes: 'facilities:read',
        provinceCode: '38',
        expiresOn,
      },
    })
    expect(created.status).toBe(200)
    const html = await created.text()
    const issued = /data-testid="issued-token">(ssk_[\w-]{43})</.exec(html)?.[1]
    if (!issued) throw new Error('no token on the page')
    const row = await db
      .selectFrom('api_tokens')
      .select(['id', 'token_hash', 'scopes', 'province_code'])
      .where('name', '=', 'Cổng giám định BHYT')
      .executeTakeFirstOrThrow()
    expect(row.token_hash).not.toContain(issued)
    expect(JSON.parse(row.scopes)).toEqual(['facilities:read'])
    expect(row.province_code).toBe('38')
    expect((await get('/api/v1/facilities', issued)).status).toBe(200)
    // The list never shows it again.
    const list = await (await admin.request('/admin/tokens')).text()
    expect(list).toContain('Cổng giám định BHYT')
    expect(list).not.toContain(issued)

    const revoked = await admin.request('/admin/tokens', {
      form: { intent: 'revoke', tokenId: String(row.id) },
    })
    expect(revoked.status).toBe(200)
    await revoked.arrayBuffer()
    await expectError(await get('/api/v1/facilities', issued), 401, 'unauthenticated')
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_type', '=', 'api_token')
      .where('entity_id', '=', String(row.id))
      .where('action', 'like', 'api_token.%')
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'api_token.created', actor_id: adminId },
      { action: 'api_token.revoked', actor_id: adminId },
    ])
  })

  it('refuses a form without a scope or with an expiry out of range, naming the field', async () => {
    const admin = new TestClient(server.origin)
    expect((await admin.signIn('quantri')).status).toBe(302)
    const noScope = await admin.request('/admin/tokens', {
      form: { intent: 'create', name: 'x', provinceCode: '', expiresOn: '2099-01-01' },
    })
    expect(noScope.status).toBe(400)
    await noScope.arrayBuffer()
    const tooLate = await admin.request('/admin/tokens', {
      form: {
        intent: 'create',
        name: 'x',
        scopes: 'scores:read',
        provinceCode: '',
        expiresOn: '2099-01-01',
      },
    })
    expect(tooLate.status).toBe(400)
    await tooLate.arrayBuffer()
    const count = await db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', '=', 'x')
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })
})

// Last in the file: it uses up this address's window of refused tokens.
describe('a caller presenting bad tokens', () => {
  it('gets 429 once its address has had its refusals for the minute, and audits no more', async () => {
    const refusedRows = async () => auditCount(db, 'api.refused')
    const before = await refusedRows()
    let first429 = -1
    for (let i = 0; i < API_REFUSAL_LIMIT.max + 5 && first429 < 0; i++) {
      const response = await get('/api/v1/rounds', newToken().token)
      if (response.status === 429) {
        first429 = i
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
        await expectError(response, 429, 'rate_limited')
      } else await expectError(response, 401, 'unauthenticated')
    }
    // Earlier tests in this file refused a few tokens from the same address within the minute.
    expect(first429).toBeGreaterThanOrEqual(0)
    expect(first429).toBeLessThanOrEqual(API_REFUSAL_LIMIT.max)
    const audited = (await refusedRows()) - before
    expect(audited).toBe(first429)
    // Still refused, still not audited; a request without a token is not counted and still 401.
    expect((await get('/api/v1/rounds', newToken().token)).status).toBe(429)
    expect((await refusedRows()) - before).toBe(first429)
    await expectError(await get('/api/v1/rounds', null), 401, 'unauthenticated')
    // A valid token is limited by its own quota, not by the address's refusals.
    const valid = await token(['facilities:read'])
    expect((await get('/api/v1/rounds', valid.token)).status).toBe(200)
  })
})
