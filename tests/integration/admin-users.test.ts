/** User administration through the real server: list, rules, disabling, bulk creation. */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { editUser, setDisabledByAdmin } from '../../app/admin/users.server.ts'
import { hashPassword } from '../../app/utils/password.server.ts'
import type { SessionUser } from '../../app/utils/session.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
let admin: TestClient
const { db } = openTestDatabase()
const meta = { clientIp: '127.0.0.1', requestId: 'test' }

beforeAll(async () => {
  server = await startTestServer()
  admin = new TestClient(server.origin, '192.0.2.50')
  expect((await admin.signIn('quantri')).status).toBe(302)
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

const idOf = async (login: string) =>
  (await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow())
    .id
const userCount = async () =>
  Number(
    (
      await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('the user list', () => {
  it('searches without diacritics or tones and filters by role, province and status', async () => {
    const hung = await (await admin.request('/admin/users?q=le%20van%20hung')).text()
    expect(hung).toContain('BS. Lê Văn Hùng')
    expect(hung).toContain('1 tài khoản')
    const reviewers = await (await admin.request('/admin/users?role=province_reviewer')).text()
    expect(reviewers).toContain('Sở Y tế Thanh Hóa')
    expect(reviewers).toContain('Sở Y tế Cao Bằng')
    const thanhHoa = await (await admin.request('/admin/users?province=38')).text()
    expect(thanhHoa).toContain('giamdoc.thanhhoa')
    expect(thanhHoa).toContain('soyte.thanhhoa')
    expect(thanhHoa).not.toContain('giamdoc.caobang')
    const disabled = await (await admin.request('/admin/users?status=disabled')).text()
    expect(disabled).toContain('taikhoan.khoa')
    expect(disabled).toContain('1 tài khoản')
    const facility = await (await admin.request('/admin/users?facility=38001')).text()
    expect(facility).toContain('2 tài khoản')
  })
})

describe('rules', () => {
  it('refuses a role without its scope and an unknown code, and explains', async () => {
    const noFacility = await admin.request('/admin/users/new', {
      form: { login: 'thieu.coso', displayName: 'X', role: 'director' },
    })
    expect(noFacility.status).toBe(400)
    expect(await noFacility.text()).toContain('cần mã cơ sở')
    const badProvince = await admin.request('/admin/users/new', {
      form: { login: 'sai.tinh', displayName: 'X', role: 'province_reviewer', provinceCode: '99' },
    })
    expect(await badProvince.text()).toContain('Không có tỉnh với mã này')
    const scoped = await admin.request('/admin/users/new', {
      form: {
        login: 'bo.coso',
        displayName: 'X',
        role: 'ministry_reviewer',
        facilityCode: '38001',
      },
    })
    expect(await scoped.text()).toContain('Vai trò này không gắn với cơ sở')
  })

  it('disabling ends every session at once; the administrator cannot disable themselves', async () => {
    const staff = new TestClient(server.origin, '192.0.2.51')
    expect((await staff.signIn('nhanvien.thanhhoa')).status).toBe(302)
    expect((await staff.request('/')).status).toBe(200)
    const id = await idOf('nhanvien.thanhhoa')
    expect(
      (await admin.request(`/admin/users/${id}`, { form: { intent: 'disable' } })).status,
    ).toBe(200)
    expect((await staff.request('/')).status).toBe(302)
    const live = await db
      .selectFrom('sessions')
      .select('id_hash')
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute()
    expect(live).toEqual([])
    expect((await admin.request(`/admin/users/${id}`, { form: { intent: 'enable' } })).status).toBe(
      200,
    )
    const self = await admin.request(`/admin/users/${await idOf('quantri')}`, {
      form: { intent: 'disable' },
    })
    expect(self.status).toBe(409)
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', String(id))
      .execute()
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.disabled', 'user.enabled']),
    )
  })

  it('never removes the last enabled administrator, by disabling or by demotion', async () => {
    const quantri = await idOf('quantri')
    const now = new Date().toISOString()
    const other = (
      await db
        .insertInto('users')
        .values({
          login: 'admin.hai',
          display_name: 'Quản trị hai',
          role: 'admin',
          password_hash: await hashPassword('x'.repeat(16)),
          search_key: 'admin.hai',
          disabled: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
    const asOther: SessionUser = {
      id: other,
      login: 'admin.hai',
      displayName: 'Quản trị hai',
      role: 'admin',
      facilityId: null,
      provinceCode: null,
      sessionIdHash: 'x',
    }
    // Two administrators: quantri disables the other one.
    expect(
      (await admin.request(`/admin/users/${other}`, { form: { intent: 'disable' } })).status,
    ).toBe(200)
    // Now quantri is the last: neither disabled nor demoted, whoever asks.
    expect(await setDisabledByAdmin(db, null, quantri, true, meta)).toEqual({
      kind: 'refused',
      reason: 'last_admin',
    })
    const version = (
      await db
        .selectFrom('users')
        .select('version')
        .where('id', '=', quantri)
        .executeTakeFirstOrThrow()
    ).version
    const demoted = await editUser(
      db,
      asOther,
      quantri,
      version,
      {
        displayName: 'Quản trị hệ thống',
        role: 'ministry_reviewer',
        facilityCode: null,
        provinceCode: null,
        email: null,
        phone: null,
      },
      meta,
    )
    expect(demoted).toEqual({ kind: 'refused', reason: 'last_admin' })
    const self = await admin.request(`/admin/users/${quantri}/edit`, {
      form: { version: String(version), displayName: 'Q', role: 'ministry_reviewer' },
    })
    expect(self.status).toBe(409)
    expect(await self.text()).toContain('Không thể tự khóa hoặc đổi vai trò')
    const row = await db
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', quantri)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ role: 'admin', disabled: 0 })
  })

  it('refuses an edit made on a stale page', async () => {
    const id = await idOf('giamdoc.bachmai')
    const form = {
      displayName: 'PGS. Nguyễn Quốc Anh',
      role: 'director',
      facilityCode: '01001',
      version: '1',
    }
    expect((await admin.request(`/admin/users/${id}/edit`, { form })).status).toBe(302)
    expect((await admin.request(`/admin/users/${id}/edit`, { form })).status).toBe(409)
  })
})

describe('bulk creation', () => {
  const header = 'login,display_name,role,facility_code,province_code,email'
  const upload = (name: string, content: Uint8Array<ArrayBuffer> | string, type = 'text/csv') => {
    const body = new FormData()
    body.set('intent', 'preview')
    body.set('file', new Blob([content], { type }), name)
    return admin.request('/admin/users/import', { body })
  }

  it('shows every row error and creates nothing while one remains', async () => {
    const before = await userCount()
    const csv = [
      header,
      'gd.mot,BS. Một,director,38001,,mot@bv.test',
      'gd.hai,BS. Hai,director,99999,,',
      'gd.mot,BS. Một lần nữa,director,38001,,',
      'giamdoc.thanhhoa,Đã có,director,38001,,',
      'so.ba,Sở Ba,province_reviewer,,,',
      'bo.bon,Bộ Bốn,ministry_reviewer,,,not-an-email',
    ].join('\n')
    const response = await upload('users.csv', csv)
    expect(response.status).toBe(422)
    const html = await response.text()
    for (const message of [
      'Không có cơ sở với mã này',
      'Tên đăng nhập lặp lại trong tệp',
      'Tên đăng nhập này đã có',
      'Cán bộ Sở Y tế cần mã tỉnh',
      'Địa chỉ thư điện tử không hợp lệ',
      'chưa tạo tài khoản nào',
    ])
      expect(html).toContain(message)
    expect(html).not.toContain('name="rows"')
    expect(await userCount()).toBe(before)
    // Even an apply posted by hand is checked again, all or nothing.
    const forced = await admin.request('/admin/users/import', {
      form: {
        intent: 'apply',
        rows: JSON.stringify([
          {
            line: 2,
            login: 'gd.ok',
            displayName: 'OK',
            role: 'director',
            facilityCode: '38001',
            provinceCode: '',
            email: '',
            phone: '',
          },
          {
            line: 3,
            login: 'gd.bad',
            displayName: 'Bad',
            role: 'director',
            facilityCode: '99999',
            provinceCode: '',
            email: '',
            phone: '',
          },
        ]),
      },
    })
    expect(forced.status).toBe(422)
    expect(await userCount()).toBe(before)
  })

  it('creates every row of a clean XLSX file in one go and hands out the links as CSV and XLSX', async () => {
    const before = await userCount()
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Tài khoản')
    sheet.addRow(['Tên đăng nhập', 'Họ tên', 'Vai trò', 'Mã cơ sở', 'Mã tỉnh', 'Email'])
    sheet.addRow(['gd.thanhhoa2', 'BS. Hà Thị Hai', 'director', '38002', '', 'hai@bv.test'])
    sheet.addRow(['so.nghean', 'Sở Y tế Nghệ An', 'province_reviewer', '', '40', ''])
    sheet.addRow(['cb.caobang', 'CN. Ba', 'staff', '04004', '', ''])
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer())
    const preview = await upload('users.xlsx', xlsx, 'application/octet-stream')
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html).toContain('Cả 3 dòng hợp lệ')
    const rows = /name="rows" value="([^"]+)"/.exec(html)?.[1]?.replace(/&quot;/g, '"') ?? ''
    const applied = await admin.request('/admin/users/import', { form: { intent: 'apply', rows } })
    expect(applied.status).toBe(201)
    expect(await userCount()).toBe(before + 3)
    const result = await applied.text()
    const links = /name="links" value="([^"]+)"/.exec(result)?.[1]?.replace(/&quot;/g, '"') ?? ''
    expect(JSON.parse(links)).toHaveLength(3)
    const csv = await admin.request('/admin/users/import/download', {
      form: { format: 'csv', links },
    })
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4)
    expect(text).toMatch(
      /gd\.thanhhoa2,BS\. Hà Thị Hai,hai@bv\.test,http[^,]+\/set-password\/[\w-]{43},/,
    )
    const file = await admin.request('/admin/users/import/download', {
      form: { format: 'xlsx', links },
    })
    const bytes = Buffer.from(await file.arrayBuffer())
    expect(bytes.subarray(0, 2).toString()).toBe('PK')
    // Each new account's link works.
    const first = (JSON.parse(links) as Array<{ url: string }>)[0]?.url ?? ''
    expect((await new TestClient(server.origin).request(new URL(first).pathname)).status).toBe(200)
    const scope = await db
      .selectFrom('users')
      .select(['role', 'province_code', 'facility_id', 'password_hash'])
      .where('login', '=', 'so.nghean')
      .executeTakeFirstOrThrow()
    expect(scope).toEqual({
      role: 'province_reviewer',
      province_code: '40',
      facility_id: null,
      password_hash: null,
    })
  })
})
