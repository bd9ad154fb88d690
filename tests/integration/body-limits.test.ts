/**
 * Request bodies are limited per route before they are read (app/server.ts
 * and app/utils/request-body.server.ts): three 100 MB bodies to the autosave
 * used to be read in full (1.2 GB of server memory, /healthz stalled).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getI18n } from '../../app/i18n.ts'
import { ApiErrorSchema } from '../../app/utils/api-contract.ts'
import { LANG_COOKIE } from '../../app/utils/locale.server.ts'
import {
  FORM_BODY_LIMIT,
  JSON_BODY_LIMIT,
  UPLOAD_BODY_LIMIT,
} from '../../app/utils/request-body.server.ts'
import { rawRequest, type RawAnswer } from '../support/raw-http.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const MB = 1024 * 1024
let server: TestServer
let director: TestClient

beforeAll(async () => {
  server = await startTestServer()
  director = new TestClient(server.origin)
  await director.signIn('giamdoc.thanhhoa')
  // Importing the build takes seconds on a loaded 2-core machine.
}, 120_000)
afterAll(async () => {
  await server.close()
})

const cookie = () => ({ cookie: director.cookie ?? '' })

function expectTooLarge(answer: RawAnswer, size: string) {
  expect(answer.status).toBe(413)
  const body = ApiErrorSchema.parse(JSON.parse(answer.body))
  expect(body.error.code).toBe('payload_too_large')
  expect(body.error.message).toContain(size)
  expect(answer.headers.connection).toBe('close')
}

describe('request body limits', () => {
  it('refuses a declared 100 MB autosave at once, before the body is sent', async () => {
    const answer = await rawRequest({
      origin: server.origin,
      path: '/assessment/save',
      headers: { ...cookie(), 'content-type': 'application/json' },
      body: '{"roundId":1,',
      declaredLength: 100 * MB,
    })
    expectTooLarge(answer, '1 MB')
    expect(answer.sent).toBeLessThan(100)
  })

  it('counts a chunked body and answers 413 once it passes 1 MB, without reading the rest', async () => {
    const answer = await rawRequest({
      origin: server.origin,
      path: '/assessment/save',
      headers: { ...cookie(), 'content-type': 'application/json' },
      chunks: { size: 64 * 1024, maxBytes: 100 * MB },
    })
    expectTooLarge(answer, '1 MB')
    // The answer came while the client was still sending: the server stopped reading.
    expect(answer.sent).toBeLessThan(100 * MB)
  })

  it('reads a body under the limit as before', async () => {
    const answer = await rawRequest({
      origin: server.origin,
      path: '/assessment/save',
      headers: { ...cookie(), 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(JSON_BODY_LIMIT - 100) }),
    })
    // Not JSON the autosave understands: a 400 from the route, not a 413.
    expect(answer.status).toBe(400)
  })

  it('keeps forms small (64 KB) and uploads at the evidence limit', async () => {
    const form = await rawRequest({
      origin: server.origin,
      path: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `login=${'a'.repeat(FORM_BODY_LIMIT)}`,
    })
    expectTooLarge(form, '64 KB')
    const upload = await rawRequest({
      origin: server.origin,
      path: '/assessment/evidence',
      headers: { ...cookie(), 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\n',
      declaredLength: UPLOAD_BODY_LIMIT + 1,
    })
    expectTooLarge(upload, '10 MB')
  })

  it('answers /healthz while large bodies are refused', async () => {
    const uploads = Array.from({ length: 3 }, () =>
      rawRequest({
        origin: server.origin,
        path: '/assessment/save',
        headers: { ...cookie(), 'content-type': 'application/json' },
        chunks: { size: 64 * 1024, maxBytes: 100 * MB },
      }),
    )
    const health = await fetch(`${server.origin}/healthz`)
    expect(health.status).toBe(200)
    for (const answer of await Promise.all(uploads)) expect(answer.status).toBe(413)
  })
})

describe('a request from another site', () => {
  it('is refused in the error contract, in the reader language, before its body is read', async () => {
    const refusals = []
    for (const lang of ['vi', 'en'] as const) {
      const answer = await rawRequest({
        origin: server.origin,
        path: '/assessment/save',
        headers: {
          cookie: `${director.cookie ?? ''}; ${LANG_COOKIE}=${lang}`,
          'content-type': 'application/json',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: '{"roundId":1,',
        declaredLength: 10 * MB,
      })
      expect(answer.status).toBe(403)
      expect(answer.headers['content-type']).toMatch(/^application\/json/)
      expect(answer.sent).toBeLessThan(100)
      const body = ApiErrorSchema.parse(JSON.parse(answer.body))
      expect(body.error.code).toBe('forbidden')
      refusals.push(body.error.message)
    }
    expect(refusals[0]).toBe(getI18n('vi').t('common:requestBody.crossSite'))
    expect(refusals[1]).toBe(getI18n('en').t('common:requestBody.crossSite'))
  })
})
