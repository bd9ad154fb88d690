/**
 * The client address behind reverse proxies (TRUST_PROXY): a client can
 * write anything into X-Forwarded-For, so only the entries our own proxies
 * appended count. Here the test plays both the client (the left part of the
 * header) and the proxies (the right part, and the socket).
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

// Starting a server imports the whole build: seconds on a loaded 2-core machine.
const START_TIMEOUT = 120_000
const { db } = openTestDatabase()
const servers: TestServer[] = []

async function serverWith(trustProxy: string): Promise<TestServer> {
  const server = await startTestServer({ env: { TRUST_PROXY: trustProxy } })
  servers.push(server)
  return server
}

afterAll(async () => {
  for (const server of servers) await server.close()
  await db.destroy()
}, START_TIMEOUT)

/** The address the last sign-in of `login` was recorded with (audit row and attempt row). */
async function recordedAddress(login: string) {
  const attempt = await db
    .selectFrom('login_attempts')
    .select('ip')
    .where('login', '=', login)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  const audit = await db
    .selectFrom('audit_log')
    .select(['ip', 'detail_json'])
    .where('action', 'like', 'login.%')
    .orderBy('id', 'desc')
    .execute()
  const row = audit.find((r) => (JSON.parse(r.detail_json) as { login?: string }).login === login)
  return { attempt: attempt.ip, audit: row?.ip }
}

/** A failed sign-in with this X-Forwarded-For, as the proxies pass it on. */
async function signInThrough(server: TestServer, login: string, forwardedFor: string) {
  return new TestClient(server.origin).request('/login', {
    form: { login, password: 'wrong-password-1', redirectTo: '/' },
    headers: { 'x-forwarded-for': forwardedFor },
  })
}

describe('TRUST_PROXY', () => {
  let oneHop: TestServer
  beforeAll(async () => {
    oneHop = await serverWith('1')
  }, START_TIMEOUT)

  it('with one proxy, takes the right-most X-Forwarded-For entry, not what the client wrote', async () => {
    // The client claims 203.0.113.9; our proxy appended the address it saw.
    await signInThrough(oneHop, 'proxy.one', '203.0.113.9, 198.51.100.7')
    expect(await recordedAddress('proxy.one')).toEqual({
      attempt: '198.51.100.7',
      audit: '198.51.100.7',
    })
  })

  it('with two proxies, takes the second entry from the right', async () => {
    const twoHops = await serverWith('2')
    await signInThrough(twoHops, 'proxy.two', '203.0.113.9, 198.51.100.8, 10.0.0.2')
    expect((await recordedAddress('proxy.two')).attempt).toBe('198.51.100.8')
  })

  it('with listed proxy addresses, takes the right-most address that is not one of them', async () => {
    const listed = await serverWith('127.0.0.1, 10.0.0.0/8')
    await signInThrough(listed, 'proxy.list', '203.0.113.9, 198.51.100.9, 10.1.2.3, 10.4.5.6')
    expect((await recordedAddress('proxy.list')).attempt).toBe('198.51.100.9')
  })

  it('without a proxy, ignores X-Forwarded-For entirely', async () => {
    const direct = await serverWith('false')
    await signInThrough(direct, 'proxy.none', '203.0.113.9')
    expect((await recordedAddress('proxy.none')).attempt).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
  })

  it('a client cannot lock a victim out by writing the victim’s address into the header', async () => {
    const victim = '198.51.100.50'
    const attacker = '198.51.100.66'
    // Ten failures (LOGIN_MAX_FAILURES) for the victim's account, all claiming the victim's address.
    for (let i = 0; i < 10; i++) {
      await signInThrough(oneHop, 'soyte.caobang', `${victim}, ${attacker}`)
    }
    expect((await recordedAddress('soyte.caobang')).attempt).toBe(attacker)
    const real = new TestClient(oneHop.origin, victim)
    const response = await real.signIn('soyte.caobang')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/')
    // Eleven argon2 checks: generous for a loaded machine.
  }, 120_000)
})
