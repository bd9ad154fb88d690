/**
 * The sign-in defects of issue 11, each of which failed on the code before
 * the fix: open redirects through the URL parser's quirks, 500s on bad
 * input, a whole NAT locked out by one address's failures.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'

let server: TestServer
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

const signInTo = (redirectTo: string, login = 'giamdoc.thanhhoa', ip = '198.51.100.1') =>
  new TestClient(server.origin, ip).request('/login', {
    form: { login, password: DEMO_PASSWORD, redirectTo },
  })

describe('redirect targets (issue 11: open redirect with a tab)', () => {
  const invalid = 'Địa chỉ quay lại không hợp lệ'
  it.each([
    ['/\t/evil.example', invalid],
    ['/\n/evil.example', invalid],
    ['/\r\n/evil.example', invalid],
    // Refused for every field before any action runs (request-body.server.ts, issue #18).
    ['/\u0000/evil.example', 'Trường “redirectTo” chứa ký tự điều khiển U+0000'],
    ['/\u3000/evil.example', invalid],
  ])('refuses %j with a message and starts no session', async (target, message) => {
    const response = await signInTo(target)
    expect(response.status).toBe(400)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toContain(message)
  })

  it.each([
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['//evil.example', '/'],
    ['/./\\/evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%09/evil.example', '/%09/evil.example'],
    ['/cơ-sở?q=Hà Nội', '/c%C6%A1-s%E1%BB%9F?q=H%C3%A0%20N%E1%BB%99i'],
    ['/review?tab=1#x', '/review?tab=1#x'],
  ])('sends %j to %j on this site', async (target, location) => {
    const response = await signInTo(target)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(location)
    const resolved = new URL(response.headers.get('location') ?? '', server.origin)
    expect(resolved.origin).toBe(server.origin)
  })

  it('puts only a safe target into the form, and sends a signed-in user to it', async () => {
    const page = await new TestClient(server.origin).request(
      `/login?redirectTo=${encodeURIComponent('/\t/evil.example')}`,
    )
    expect(await page.text()).toMatch(/name="redirectTo" value="\/"/)
    const client = new TestClient(server.origin, '198.51.100.2')
    await client.signIn('giamdoc.thanhhoa')
    const again = await client.request(
      `/login?redirectTo=${encodeURIComponent('/\t/evil.example')}`,
    )
    expect(again.headers.get('location')).toBe('/')
  })

  it('applies the same rule on /set-language', async () => {
    const client = new TestClient(server.origin)
    const tab = await client.request('/set-language', {
      form: { lang: 'en', redirectTo: '/\t/evil.example' },
    })
    expect(tab.status).toBe(400)
    expect((await tab.json()) as unknown).toMatchObject({ error: { code: 'bad_request' } })
    const slash = await client.request('/set-language', {
      form: { lang: 'en', redirectTo: '/\\evil.example' },
    })
    expect(slash.status).toBe(302)
    expect(slash.headers.get('location')).toBe('/')
    const vietnamese = await client.request('/set-language', {
      form: { lang: 'vi', redirectTo: '/cơ-sở' },
    })
    expect(vietnamese.headers.get('location')).toBe('/c%C6%A1-s%E1%BB%9F')
  })
})

describe('bad input on /login (issue 11: 500s)', () => {
  it('answers a JSON body with 415 and a message', async () => {
    const response = await new TestClient(server.origin).request('/login', {
      json: { login: 'giamdoc.thanhhoa', password: DEMO_PASSWORD },
    })
    // A form route refuses a body that is not a form before it runs (app/utils/request-body.server.ts).
    expect(response.status).toBe(415)
    expect(await response.text()).toContain(
      'Địa chỉ này chỉ nhận biểu mẫu (application/x-www-form-urlencoded hoặc multipart/form-data).',
    )
  })

  it('answers a broken multipart body with 400', async () => {
    const response = await new TestClient(server.origin).request('/login', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      form: undefined,
    })
    expect(response.status).toBe(400)
  })
})

describe('one address, many users (issue 11: a NAT locked out)', () => {
  it('never refuses an account without failures of its own, and still stops a sprayer', async () => {
    const nat = '203.0.113.50'
    const at = new Date().toISOString()
    // 100 failures from the hospital's address, across other logins (a sprayer, or typos).
    await db
      .insertInto('login_attempts')
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          login: `someone.${i}`,
          ip: nat,
          succeeded: 0 as const,
          created_at: at,
        })),
      )
      .execute()
    // A colleague behind the same address signs in.
    expect((await signInTo('/', 'nhanvien.thanhhoa', nat)).status).toBe(302)
    // An account with failures of its own from there is stopped after three, not ten.
    const client = new TestClient(server.origin, nat)
    for (let i = 0; i < 3; i++)
      expect((await client.signIn('giamdoc.nghean', `wrong-${i}`)).status).toBe(401)
    expect((await client.signIn('giamdoc.nghean')).status).toBe(429)
  })
})
