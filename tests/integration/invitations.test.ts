/**
 * One-time links end to end through the real server, with SMTP_URL pointing
 * at a local sink this test starts: invitation by email, single use, expiry,
 * a newer link replacing an older one, and the second factor after a reset.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
let sink: SmtpSink
let admin: TestClient
const { db } = openTestDatabase()
const PASSWORD = 'bệnh viện sẵn sàng từ hôm nay'

beforeAll(async () => {
  sink = await startSmtpSink()
  // Before the app reads its environment (lazily, at the first request).
  process.env.SMTP_URL = sink.url
  process.env.SMTP_FROM = 'Sẵn Sàng <no-reply@sansang.test>'
  // Links carry PUBLIC_URL, never the request's Host; the test follows their paths.
  process.env.PUBLIC_URL = 'https://sansang.test'
  server = await startTestServer()
  admin = new TestClient(server.origin, '192.0.2.10')
  expect((await admin.signIn('quantri')).status).toBe(302)
})
afterAll(async () => {
  for (const k of ['SMTP_URL', 'SMTP_FROM', 'PUBLIC_URL']) delete process.env[k]
  await server.close()
  await sink.close()
  await db.destroy()
})

const linkIn = (html: string) =>
  /value="(http[^"]+\/set-password\/[\w-]{43})"/.exec(html)?.[1] ?? ''
const pathOf = (url: string) => new URL(url).pathname

async function facilityCode(code: string) {
  return db.selectFrom('facilities').select('id').where('code', '=', code).executeTakeFirstOrThrow()
}

describe('invitations', () => {
  let link = ''

  it('creates a director, shows the link once and emails the same link', async () => {
    const seen = sink.messages.length
    const response = await admin.request('/admin/users/new', {
      form: {
        login: 'giamdoc.moi',
        displayName: 'BS. Trịnh Văn Mới',
        role: 'director',
        facilityCode: '38003',
        email: 'giamdoc.moi@benhvien.test',
      },
    })
    expect(response.status).toBe(201)
    const html = await response.text()
    link = linkIn(html)
    expect(link).toMatch(/^https:\/\/sansang\.test\/set-password\//)
    expect(html).toContain('Đã gửi liên kết qua thư điện tử')
    const mail = await sink.next(seen)
    expect(mail.to).toEqual(['giamdoc.moi@benhvien.test'])
    // Quoted-printable may fold long lines; unfold before looking for the link.
    const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
    expect(body).toContain(link)
    const token = link.split('/').pop() ?? ''
    const stored = await db.selectFrom('account_tokens').select('token_hash').execute()
    expect(stored.some((r) => r.token_hash === token)).toBe(false)
  })

  it('opening the link uses nothing up; a weak password is refused with the rule', async () => {
    const visitor = new TestClient(server.origin, '192.0.2.20')
    expect((await visitor.request(pathOf(link))).status).toBe(200)
    expect((await visitor.request(pathOf(link))).status).toBe(200)
    const weak = await visitor.request(pathOf(link), {
      form: { password: 'password1234', confirm: 'password1234' },
    })
    expect(weak.status).toBe(400)
    expect(await weak.text()).toContain('mật khẩu phổ biến')
    const short = await visitor.request(pathOf(link), {
      form: { password: 'ngắn', confirm: 'ngắn' },
    })
    expect(await short.text()).toContain('ít nhất 12 ký tự')
  })

  it('sets the password, signs the director in to their facility only, and refuses the link again', async () => {
    const director = new TestClient(server.origin, '192.0.2.21')
    const set = await director.request(pathOf(link), {
      form: { password: PASSWORD, confirm: PASSWORD },
    })
    expect(set.status).toBe(302)
    expect(set.headers.get('location')).toBe('/')
    const home = await director.request('/')
    expect(home.status).toBe(200)
    const own = await facilityCode('38003')
    const other = await facilityCode('38001')
    expect((await director.request(`/facilities/${own.id}`)).status).toBe(200)
    expect((await director.request(`/facilities/${other.id}`)).status).toBe(404)
    expect((await director.request('/facilities')).status).toBe(403)
    const again = await new TestClient(server.origin).request(pathOf(link), {
      form: { password: PASSWORD, confirm: PASSWORD },
    })
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('Liên kết đã được sử dụng')
    // And the new password works at the login form.
    expect(
      (await new TestClient(server.origin, '192.0.2.22').signIn('giamdoc.moi', PASSWORD)).status,
    ).toBe(302)
  })

  it('uses a link once even when two requests race with it', async () => {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'giamdoc.caobang')
      .executeTakeFirstOrThrow()
    const made = await admin.request(`/admin/users/${user.id}`, { form: { intent: 'link' } })
    const race = linkIn(await made.text())
    const [a, b] = await Promise.all(
      [1, 2].map((i) =>
        new TestClient(server.origin, `192.0.2.3${i}`).request(pathOf(race), {
          form: { password: `${PASSWORD} ${i}`, confirm: `${PASSWORD} ${i}` },
        }),
      ),
    )
    expect([a?.status, b?.status].sort()).toEqual([302, 410])
  })
})

describe('resets', () => {
  it('expires (RESET_LINK_HOURS) and is replaced by a newer link', async () => {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'giamdoc.nghean')
      .executeTakeFirstOrThrow()
    const first = linkIn(
      await (await admin.request(`/admin/users/${user.id}`, { form: { intent: 'link' } })).text(),
    )
    const row = await db
      .selectFrom('account_tokens')
      .select(['kind', 'created_at', 'expires_at'])
      .where('user_id', '=', user.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(row.kind).toBe('reset')
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(3_600_000)
    const second = linkIn(
      await (await admin.request(`/admin/users/${user.id}`, { form: { intent: 'link' } })).text(),
    )
    const replaced = await new TestClient(server.origin).request(pathOf(first))
    expect(replaced.status).toBe(410)
    expect(await replaced.text()).toContain('thay bằng một liên kết mới hơn')
    await db
      .updateTable('account_tokens')
      .set({
        expires_at: new Date(Date.now() - 1000).toISOString(),
        created_at: new Date(Date.now() - 7_200_000).toISOString(),
      })
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute()
    const expired = await new TestClient(server.origin).request(pathOf(second), {
      form: { password: PASSWORD, confirm: PASSWORD },
    })
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('Liên kết đã hết hạn')
  })

  it('still asks a second factor after a reset link', async () => {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'boyte')
      .executeTakeFirstOrThrow()
    const link = linkIn(
      await (await admin.request(`/admin/users/${user.id}`, { form: { intent: 'link' } })).text(),
    )
    const client = new TestClient(server.origin, '192.0.2.40')
    const set = await client.request(pathOf(link), {
      form: { password: PASSWORD, confirm: PASSWORD },
    })
    expect(set.status).toBe(302)
    expect(set.headers.get('location')).toBe('/login/code?redirectTo=%2F')
    expect((await client.request('/')).headers.get('location')).toMatch(/^\/login\/code/)
  })
})
