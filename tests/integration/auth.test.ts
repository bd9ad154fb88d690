/** Sign-in, sessions and rate limiting through the real server and a real SQLite file. */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../app/utils/session.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

async function auditActions(login: string) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'detail_json'])
    .where('action', 'like', 'login.%')
    .orderBy('id')
    .execute()
  return rows
    .filter((r) => (JSON.parse(r.detail_json) as { login?: string }).login === login)
    .map((r) => r.action)
}

describe('sign-in', () => {
  it('signs a demo director in, sets an HttpOnly SameSite=Lax cookie, and lands on home', async () => {
    const client = new TestClient(server.origin)
    const response = await client.signIn('giamdoc.thanhhoa')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^sansang_session=[\w-]{43};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    const home = await client.request('/')
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('Bệnh viện Đa khoa tỉnh Thanh Hoá')
  })

  it('refuses a wrong password and an unknown login with the same message, and records both', async () => {
    const wrong = await new TestClient(server.origin).signIn('soyte.caobang', 'not-the-password')
    const unknown = await new TestClient(server.origin).signIn('nobody.here', 'whatever-123')
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const [a, b] = [await wrong.text(), await unknown.text()]
    expect(a).toContain('Tên đăng nhập hoặc mật khẩu không đúng.')
    expect(b).toContain('Tên đăng nhập hoặc mật khẩu không đúng.')
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(await auditActions('soyte.caobang')).toContain('login.failed')
    expect(await auditActions('nobody.here')).toEqual(['login.failed'])
  })

  it('refuses a disabled account with the right password exactly as a wrong password (issue 11); the audit row keeps why', async () => {
    const right = await new TestClient(server.origin).signIn('taikhoan.khoa')
    const wrong = await new TestClient(server.origin).signIn('taikhoan.khoa', 'not-the-password')
    expect(right.status).toBe(401)
    expect(wrong.status).toBe(401)
    const [a, b] = [await right.text(), await wrong.text()]
    expect(a).toContain('Tên đăng nhập hoặc mật khẩu không đúng.')
    expect(a).not.toContain('khóa')
    expect(b).toContain('Tên đăng nhập hoặc mật khẩu không đúng.')
    expect(right.headers.get('set-cookie')).toBeNull()
    expect(await auditActions('taikhoan.khoa')).toEqual(['login.refused_disabled', 'login.failed'])
  })

  it('rotates the session id at every sign-in and revokes the previous one', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('boyte')
    const first = client.cookie
    await client.signIn('boyte')
    expect(client.cookie).not.toBe(first)
    const stale = new TestClient(server.origin)
    stale.cookie = first
    const response = await stale.request('/')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2F')
  })

  it('signs out: the old cookie no longer works', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('soyte.thanhhoa')
    const cookie = client.cookie
    const out = await client.request('/logout', { form: {} })
    expect(out.status).toBe(302)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    const replay = new TestClient(server.origin)
    replay.cookie = cookie
    expect((await replay.request('/')).status).toBe(302)
  })

  it('ends every session of a user who is disabled', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('nhanvien.thanhhoa')
    expect((await client.request('/')).status).toBe(200)
    await db
      .updateTable('users')
      .set({ disabled: 1 })
      .where('login', '=', 'nhanvien.thanhhoa')
      .execute()
    expect((await client.request('/')).status).toBe(302)
    await db
      .updateTable('users')
      .set({ disabled: 0 })
      .where('login', '=', 'nhanvien.thanhhoa')
      .execute()
  })

  it('stores only the hash of the session token', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('quantri')
    const token = client.cookie?.split('=')[1] ?? ''
    const rows = await db.selectFrom('sessions').select('id_hash').execute()
    expect(rows.some((r) => r.id_hash === token)).toBe(false)
    expect(rows.some((r) => r.id_hash === hashToken(token))).toBe(true)
  })

  it('ends an idle session after SESSION_IDLE_MINUTES', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('giamdoc.caobang')
    const token = client.cookie?.split('=')[1] ?? ''
    // Move the session's last activity 31 minutes into the past (idle limit 30).
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() })
      .where('id_hash', '=', hashToken(token))
      .execute()
    expect((await client.request('/')).status).toBe(302)
  })

  it('ends a session at its absolute expiry even when active', async () => {
    const client = new TestClient(server.origin)
    await client.signIn('giamdoc.bachmai')
    const token = client.cookie?.split('=')[1] ?? ''
    await db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id_hash', '=', hashToken(token))
      .execute()
    expect((await client.request('/')).status).toBe(302)
  })
})

describe('rate limiting', () => {
  it('blocks the 11th consecutive failure per login and address, not another address', async () => {
    const login = 'soyte.thanhhoa'
    const from = (ip: string) => new TestClient(server.origin, ip)
    for (let i = 0; i < 10; i++) {
      const r = await from('127.0.0.1').signIn(login, `wrong-${i}`)
      expect(r.status).toBe(401)
    }
    // The right password does not help: the 11th attempt is refused.
    const blocked = await from('127.0.0.1').signIn(login)
    expect(blocked.status).toBe(429)
    expect(await blocked.text()).toContain('Đăng nhập sai quá nhiều lần')
    expect(await auditActions(login)).toContain('login.rate_limited')
    // The real user at another address is not locked out.
    expect((await from('203.0.113.7').signIn(login)).status).toBe(302)
    const attempts = await db
      .selectFrom('login_attempts')
      .select(['ip', 'succeeded'])
      .where('login', '=', login)
      .where('succeeded', '=', 0)
      .execute()
    expect(attempts).toEqual(Array.from({ length: 11 }, () => ({ ip: '127.0.0.1', succeeded: 0 })))
  })
})
