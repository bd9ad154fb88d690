/**
 * Every POST route, fuzzed with the bodies a careless or hostile client
 * sends: JSON where a form is expected, a broken multipart body, an empty
 * body without a type, a body of the wrong type, a huge body, a NUL or
 * another control character in a field (refused whatever the field, so one
 * probe per route covers every field it has). Each answer is
 * a 4xx with a message — never a 500 (the probe found 500s on /login and on
 * the evidence upload). A route with an action that is missing from
 * `ROUTES` fails the test.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiErrorSchema } from '../../app/utils/api-contract.ts'
import { rawRequest } from '../support/raw-http.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
const cookies: Record<string, string> = {}
let reviewPath = ''
let facilityPath = ''
let userPath = ''
let roundPath = ''

/** Each route file with an action: the path to post to and who gets past its guard. */
const ROUTES: Record<string, { path: () => string; as: string[]; json?: true }> = {
  'assessment.save': { path: () => '/assessment/save', as: ['giamdoc.thanhhoa'], json: true },
  'assessment.submit': { path: () => '/assessment/submit', as: ['giamdoc.thanhhoa'], json: true },
  'assessment.evidence': {
    path: () => '/assessment/evidence',
    as: ['giamdoc.thanhhoa'],
    json: true,
  },
  'account._index': { path: () => '/account', as: ['giamdoc.thanhhoa'] },
  'account.password': { path: () => '/account/password', as: ['giamdoc.thanhhoa'] },
  'account.two-factor': { path: () => '/account/two-factor', as: ['giamdoc.thanhhoa'] },
  'assessment.evidence_.remove': {
    path: () => '/assessment/evidence/remove',
    as: ['giamdoc.thanhhoa'],
    json: true,
  },
  'admin.facilities.import': { path: () => '/admin/facilities/import', as: ['quantri'] },
  'admin.models.new': { path: () => '/admin/models/new', as: ['quantri'] },
  'admin.cost-tables.new': { path: () => '/admin/cost-tables/new', as: ['quantri'] },
  'admin.models.preview': { path: () => '/admin/models/preview', as: ['quantri'] },
  'admin.users.$userId': { path: () => userPath, as: ['quantri'] },
  'admin.users.$userId_.edit': { path: () => `${userPath}/edit`, as: ['quantri'] },
  'admin.users.import': { path: () => '/admin/users/import', as: ['quantri'] },
  'admin.users.import_.download': { path: () => '/admin/users/import/download', as: ['quantri'] },
  'admin.users.new': { path: () => '/admin/users/new', as: ['quantri'] },
  'admin.rounds.new': { path: () => '/admin/rounds/new', as: ['quantri'] },
  'admin.tokens': { path: () => '/admin/tokens', as: ['quantri'] },
  'admin.rounds.$roundId': { path: () => roundPath, as: ['quantri'] },
  'facilities.$facilityId_.extension': {
    path: () => `${facilityPath}/extension`,
    as: ['soyte.thanhhoa'],
  },
  'login_.code': { path: () => '/login/code', as: [] },
  'login_.enrol': { path: () => '/login/enrol', as: [] },
  // A well-formed token that was never issued.
  'set-password.$token': { path: () => `/set-password/${'A'.repeat(43)}`, as: [] },
  'facilities.$facilityId': { path: () => facilityPath, as: ['quantri'] },
  login: { path: () => '/login', as: [] },
  logout: { path: () => '/logout', as: ['boyte'] },
  'review.$assessmentId': { path: () => reviewPath, as: ['soyte.thanhhoa'] },
  'review._index': { path: () => '/review?index', as: ['soyte.thanhhoa'] },
  'set-language': { path: () => '/set-language', as: ['boyte'] },
  'waves._index': { path: () => '/waves?index', as: ['boyte'] },
  'waves.roadmap._index': { path: () => '/waves/roadmap?index', as: ['boyte'] },
  'rollout.waves': { path: () => '/rollout/waves', as: ['boyte'] },
  'rollout.facility': { path: () => '/rollout/facility', as: ['giamdoc.thanhhoa'] },
  'rollout.confirm': { path: () => '/rollout/confirm', as: ['soyte.thanhhoa'] },
}

/** `names`: the character the refusal must name, on the routes that read this type of body. */
const BODIES: Array<{
  name: string
  headers: Record<string, string>
  body: string
  names?: { character: string; onFormRoutes: boolean }
}> = [
  { name: 'a JSON body', headers: { 'content-type': 'application/json' }, body: '{"x":1}' },
  {
    name: 'a broken multipart body',
    headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    body: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
  },
  {
    name: 'multipart without a boundary',
    headers: { 'content-type': 'multipart/form-data' },
    body: 'a=1',
  },
  { name: 'an empty body without a type', headers: {}, body: '' },
  { name: 'a text body', headers: { 'content-type': 'text/plain' }, body: 'hello' },
  { name: 'broken JSON', headers: { 'content-type': 'application/json' }, body: '{"x":' },
  // Control characters (issue #18): refused in any field of any action before it runs.
  {
    name: 'a form with a NUL in a field',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'intent=save&name=Nguy%E1%BB%85n%00',
    names: { character: 'U+0000', onFormRoutes: true },
  },
  {
    name: 'a multipart form with a C1 control in a field',
    headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    body: '--zz\r\nContent-Disposition: form-data; name="note"\r\n\r\nghi\u0085 ch\u00fa\r\n--zz--\r\n',
    names: { character: 'U+0085', onFormRoutes: true },
  },
  {
    name: 'JSON with a NUL in a string',
    headers: { 'content-type': 'application/json' },
    body: '{"changes":{"note":"a\\u0000b"}}',
    // A form route refuses JSON of any content (415) before reading it.
    names: { character: 'U+0000', onFormRoutes: false },
  },
]

beforeAll(async () => {
  server = await startTestServer()
  for (const login of ['giamdoc.thanhhoa', 'soyte.thanhhoa', 'boyte', 'quantri']) {
    const client = new TestClient(server.origin)
    await client.signIn(login)
    cookies[login] = client.cookie ?? ''
  }
  const submitted = await db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .select('assessments.id')
    .where('facilities.province_code', '=', '38')
    .where('assessments.status', '=', 'submitted')
    .executeTakeFirstOrThrow()
  reviewPath = `/review/${submitted.id}`
  const facility = await db
    .selectFrom('facilities')
    .select('id')
    .where('code', '=', '38001')
    .executeTakeFirstOrThrow()
  facilityPath = `/facilities/${facility.id}`
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'soyte.thanhhoa')
    .executeTakeFirstOrThrow()
  userPath = `/admin/users/${user.id}`
  const round = await db.selectFrom('rounds').select('id').executeTakeFirstOrThrow()
  roundPath = `/admin/rounds/${round.id}`
  // Importing the build and four argon2 sign-ins: seconds on a loaded machine.
}, 120_000)
afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('bad input on every POST route', () => {
  it('covers every route file that has an action', () => {
    const withAction = readdirSync('app/routes')
      .filter((f) =>
        /export (async function|const) action\b/.test(readFileSync(`app/routes/${f}`, 'utf8')),
      )
      .map((f) => f.replace(/\.tsx?$/, ''))
    expect(Object.keys(ROUTES).sort()).toEqual(withAction.sort())
  })

  for (const [route, target] of Object.entries(ROUTES)) {
    for (const actor of ['anonymous', ...target.as]) {
      it(`${route} as ${actor}: 4xx with a message for each bad body`, async () => {
        const headers: Record<string, string> =
          actor === 'anonymous' ? {} : { cookie: cookies[actor] ?? '' }
        const cases = [
          ...BODIES.map((b) => ({ ...b, declaredLength: undefined as number | undefined })),
          {
            name: 'a huge body',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'a=1&',
            declaredLength: 200 * 1024 * 1024,
          },
        ]
        for (const bad of cases) {
          const answer = await rawRequest({
            origin: server.origin,
            path: target.path(),
            headers: { ...headers, ...bad.headers },
            body: bad.body,
            declaredLength: bad.declaredLength,
          })
          const label = `${route} as ${actor} with ${bad.name}: ${answer.status} ${answer.body.slice(0, 200)}`
          expect(answer.status >= 400 && answer.status < 500, label).toBe(true)
          expect(answer.body.length, label).toBeGreaterThan(0)
          if ('names' in bad && bad.names && (bad.names.onFormRoutes || target.json)) {
            expect(answer.status, label).toBe(400)
            expect(answer.body, label).toContain(bad.names.character)
          }
          const isJson = /application\/json/.test(answer.headers['content-type'] ?? '')
          // JSON endpoints answer in the error contract; so does every refusal before a route.
          if (target.json || isJson) {
            expect(ApiErrorSchema.safeParse(JSON.parse(answer.body)).success, label).toBe(true)
          }
        }
      }, 120_000)
    }
  }
})
