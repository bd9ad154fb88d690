/**
 * app/server.ts answers `POST /assessment/save` itself, without Remix's
 * request pipeline, through the function the route's action calls
 * (app/assessment/save-route.server.ts); anything else on that path (here a
 * trailing slash) still goes through Remix to the route. The same requests
 * down both ways — valid, stale, invalid, not JSON, a control character, over
 * the limit, cross-site, signed out, the wrong role, an unknown round — get
 * the same status, body and headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCurrentRound } from '../../app/models/round.server.ts'
import {
  startTestServer,
  TestClient,
  type RequestOptions,
  type TestServer,
} from '../support/http.ts'
import { openTestDatabase } from '../support/test-db.ts'

const { db } = openTestDatabase()
let server: TestServer
let director: TestClient
let reviewer: TestClient
let roundId: number
/** The assessment's version once the first test has saved. */
let current = 0

const PLAIN = '/assessment/save'
const THROUGH_REMIX = '/assessment/save/'

/** The headers a save's answer carries that either way could set or miss. */
const COMPARED_HEADERS = [
  'content-type',
  'content-encoding',
  'cache-control',
  'allow',
  'connection',
  'set-cookie',
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'cross-origin-opener-policy',
  'permissions-policy',
  'strict-transport-security',
  'content-security-policy',
]

interface Answer {
  status: number
  headers: Record<string, string | null>
  body: string
}

async function answerOf(response: Response): Promise<Answer> {
  return {
    status: response.status,
    headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, response.headers.get(h)])),
    body: await response.text(),
  }
}

/** The same request down both ways, one after the other. */
async function both(client: TestClient, options: RequestOptions): Promise<[Answer, Answer]> {
  const plain = await answerOf(await client.request(PLAIN, options))
  const remix = await answerOf(await client.request(THROUGH_REMIX, options))
  return [plain, remix]
}

/** A request the client helper cannot send: a body that is not JSON, marked as JSON. */
async function rawJson(client: TestClient, path: string, body: string): Promise<Answer> {
  const response = await fetch(`${server.origin}${path}`, {
    method: 'POST',
    headers: {
      cookie: client.cookie ?? '',
      origin: server.origin,
      'content-type': 'application/json',
      'x-forwarded-for': client.ip,
    },
    body,
  })
  return answerOf(response)
}

const save = (baseVersion: number, changes: Record<string, unknown>) => ({
  json: { roundId, baseVersion, changes, currentPage: 1 },
})

beforeAll(async () => {
  const round = await getCurrentRound(db, new Date().toISOString().slice(0, 10))
  if (!round) throw new Error('no current round')
  roundId = round.id
  server = await startTestServer()
  director = new TestClient(server.origin)
  reviewer = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
  expect((await reviewer.signIn('soyte.thanhhoa')).status).toBe(302)
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the autosave answered without Remix and through the route', () => {
  it('save, and refuse a stale save with the same conflict', async () => {
    const first = await answerOf(await director.request(PLAIN, save(0, { it_staff_fte: 3 })))
    expect(first.status).toBe(200)
    const v1 = (JSON.parse(first.body) as { version: number }).version
    const second = await answerOf(
      await director.request(THROUGH_REMIX, save(v1, { it_staff_fte: 4 })),
    )
    expect(second.status).toBe(200)
    const saved = [first, second].map((a) => JSON.parse(a.body) as Record<string, unknown>)
    expect(saved[1]).toMatchObject({ kind: 'saved', version: v1 + 1, status: 'draft' })
    expect(Object.keys(saved[1] ?? {}).sort()).toEqual(Object.keys(saved[0] ?? {}).sort())
    expect(second.headers).toEqual(first.headers)

    // Built on v1, the question changed since: a conflict both ways, nothing written.
    const [plain, remix] = await both(director, save(v1, { it_staff_fte: 5 }))
    expect(plain.status).toBe(409)
    expect(remix).toEqual(plain)
    current = v1 + 1
  })

  it('refuse what does not fit the same way', async () => {
    const cases: Array<[string, number, TestClient, RequestOptions]> = [
      ['an unknown question', 422, director, save(current, { no_such_question: 1 })],
      ['a field outside the schema', 400, director, save(-1, { it_staff_fte: 1 })],
      ['a control character', 400, director, save(current, { it_staff_fte: 'x\u0007' })],
      [
        'an unknown round',
        404,
        director,
        { json: { roundId: 999_999, baseVersion: 0, changes: {}, currentPage: 0 } },
      ],
      ['a body over the limit', 413, director, save(current, { note: 'x'.repeat(1_100_000) })],
      ['another site', 403, director, { ...save(current, { it_staff_fte: 1 }), sameOrigin: false }],
      ['the wrong role', 403, reviewer, save(current, { it_staff_fte: 1 })],
      ['nobody signed in', 401, new TestClient(server.origin), save(current, { it_staff_fte: 1 })],
    ]
    for (const [what, status, client, options] of cases) {
      const [plain, remix] = await both(client, options)
      expect(plain.status, what).toBe(status)
      expect(remix, what).toEqual(plain)
    }
    const plain = await rawJson(director, PLAIN, '{"roundId":')
    expect(plain.status).toBe(400)
    expect(await rawJson(director, THROUGH_REMIX, '{"roundId":')).toEqual(plain)
  })

  it('answer in the reader’s language either way', async () => {
    const english = new TestClient(server.origin)
    english.cookie = `${director.cookie}; sansang_lang=en`
    const [plain, remix] = await both(english, save(-1, {}))
    expect(plain.status).toBe(400)
    expect(remix).toEqual(plain)
    const vietnamese = await answerOf(await director.request(PLAIN, save(-1, {})))
    expect(vietnamese.body).not.toEqual(plain.body)
  })
})
