/** Two-step sign-in: enforced before any page, codes once only, rate limited, recovery codes, reset. */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCodeAt, TOTP_PERIOD_SECONDS } from '../../app/account/totp.server.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import { DEMO_TOTP_SECRETS } from '../../db/seed.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
const PASSWORD = 'một câu mật khẩu đủ dài cho quản trị'

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

async function passwordOnly(login: string, password: string, ip = '127.0.0.1') {
  const client = new TestClient(server.origin, ip)
  const response = await client.request('/login', { form: { login, password, redirectTo: '/' } })
  return { client, response }
}

const codeNow = (secret: string, offsetSteps = 0) =>
  totpCodeAt(secret, Date.now() + offsetSteps * TOTP_PERIOD_SECONDS * 1000)

describe('second factor at sign-in', () => {
  it('stops a ministry reviewer at the code step: no page opens before it', async () => {
    const { client, response } = await passwordOnly('boyte', 'sansang-demo-2026')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login/code?redirectTo=%2F')
    for (const path of ['/', '/facilities', '/audit', '/account', '/waves.data']) {
      const page = await client.request(path)
      expect(page.status, path).toBe(path.endsWith('.data') ? 202 : 302)
      if (page.status === 302) expect(page.headers.get('location')).toMatch(/^\/login\/code\?/)
    }
    const wrong = await client.request('/login/code', { form: { code: '000000' } })
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('Mã không đúng')
    const ok = await client.submitTotp('boyte', DEMO_TOTP_SECRETS.boyte ?? '')
    expect(ok.status).toBe(302)
    expect((await client.request('/facilities')).status).toBe(200)
  })

  it('accepts a code once only (RFC 6238 §5.2)', async () => {
    const secret = DEMO_TOTP_SECRETS.quantri ?? ''
    const first = await passwordOnly('quantri', 'sansang-demo-2026', '10.1.0.1')
    const code = codeNow(secret, 1)
    expect(
      (await first.client.request('/login/code', { form: { code, redirectTo: '/' } })).status,
    ).toBe(302)
    const second = await passwordOnly('quantri', 'sansang-demo-2026', '10.1.0.2')
    expect(
      (await second.client.request('/login/code', { form: { code, redirectTo: '/' } })).status,
    ).toBe(401)
  })

  it('limits wrong codes like passwords, and audits it', async () => {
    const { client } = await passwordOnly('boyte', 'sansang-demo-2026', '10.2.0.1')
    for (let i = 0; i < 10; i++)
      expect((await client.request('/login/code', { form: { code: '000001' } })).status).toBe(401)
    const right = await client.request('/login/code', {
      form: { code: codeNow(DEMO_TOTP_SECRETS.boyte ?? '') },
    })
    expect(right.status).toBe(429)
    expect(await right.text()).toContain('Nhập sai mã quá nhiều lần')
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'login.second_factor_rate_limited')
      .execute()
    expect(audit.length).toBeGreaterThan(0)
  })
})

describe('enrolment, recovery codes and reset', () => {
  let userId = 0
  beforeAll(async () => {
    const now = new Date().toISOString()
    const row = await db
      .insertInto('users')
      .values({
        login: 'admin.moi',
        display_name: 'Quản trị mới',
        role: 'admin',
        password_hash: await hashPassword(PASSWORD),
        search_key: 'admin.moi quan tri moi',
        disabled: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    userId = row.id
  })

  it('makes an administrator without a second factor enrol before anything else, then signs in with codes', async () => {
    const { client, response } = await passwordOnly('admin.moi', PASSWORD, '10.3.0.1')
    expect(response.headers.get('location')).toBe('/login/enrol?redirectTo=%2F')
    expect((await client.request('/admin/users')).headers.get('location')).toMatch(
      /^\/login\/enrol/,
    )
    const page = await client.request('/login/enrol')
    const html = await page.text()
    expect(html).toContain('data:image/png;base64,')
    const secret = (/data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)</.exec(html)?.[1] ?? '').replace(
      / /g,
      '',
    )
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    // Reloading shows the same secret (nothing stored until confirmed).
    expect(await (await client.request('/login/enrol')).text()).toContain(secret.slice(0, 4))
    expect((await client.request('/login/enrol', { form: { code: '123456' } })).status).toBe(401)
    const confirmed = await client.request('/login/enrol', { form: { code: codeNow(secret) } })
    expect(confirmed.status, confirmed.headers.get('location') ?? '').toBe(200)
    const codes = [
      ...(await confirmed.text()).matchAll(/<code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})<\/code>/g),
    ].map((m) => m[1] ?? '')
    expect(codes).toHaveLength(10)
    expect((await client.request('/admin/users')).status).toBe(200)
    const stored = await db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', userId)
      .execute()
    expect(stored).toHaveLength(10)
    expect(stored.some((r) => codes.some((c) => r.code_hash.includes(c)))).toBe(false)

    // A recovery code signs in once.
    const again = await passwordOnly('admin.moi', PASSWORD, '10.3.0.2')
    expect(again.response.headers.get('location')).toBe('/login/code?redirectTo=%2F')
    const recovered = await again.client.request('/login/code', {
      form: { code: (codes[0] ?? '').toLowerCase() },
    })
    expect(recovered.status).toBe(302)
    expect(recovered.headers.get('location')).toBe('/account/two-factor?recovery=used')
    const reuse = await passwordOnly('admin.moi', PASSWORD, '10.3.0.3')
    expect(
      (await reuse.client.request('/login/code', { form: { code: codes[0] ?? '' } })).status,
    ).toBe(401)
  })

  it('lets another administrator reset the second factor: sessions end, audited', async () => {
    const admin = new TestClient(server.origin, '10.4.0.1')
    expect((await admin.signIn('quantri')).status).toBe(302)
    const reset = await admin.request(`/admin/users/${userId}`, { form: { intent: 'reset-2fa' } })
    expect(reset.status).toBe(200)
    const user = await db
      .selectFrom('users')
      .select(['totp_secret', 'totp_enrolled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    expect(user).toEqual({ totp_secret: null, totp_enrolled_at: null })
    const live = await db
      .selectFrom('sessions')
      .select('id_hash')
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute()
    expect(live).toEqual([])
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('action', '=', 'mfa.reset')
      .where('entity_id', '=', String(userId))
      .execute()
    expect(audit).toHaveLength(1)
    const next = await passwordOnly('admin.moi', PASSWORD, '10.4.0.2')
    expect(next.response.headers.get('location')).toBe('/login/enrol?redirectTo=%2F')
  })
})
