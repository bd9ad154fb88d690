/**
 * New versions of the remedial-action cost table through the real server
 * (#21): download the current version, upload an edited file, see every
 * change and refused cell, save one audited version; the roadmap then uses
 * it. Bad rows write nothing, the same file twice is refused with a reason,
 * and only administrators get in.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { parseRoadmapSearch } from '../../app/waves/roadmap-params.server.ts'
import { buildRoadmap } from '../../app/waves/roadmap.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import { openTestDatabase } from '../support/test-db.ts'

const { db } = openTestDatabase()
let server: TestServer
let admin: TestClient
let ministry: TestClient
let director: TestClient

const ROADMAP_QUERY =
  'periodKind=year&periods=3&start=2026-01-01&capacity=6&costBn=10&budgets=30,60'

beforeAll(async () => {
  server = await startTestServer()
  admin = new TestClient(server.origin)
  ministry = new TestClient(server.origin)
  director = new TestClient(server.origin)
  expect((await admin.signIn('quantri')).status).toBe(302)
  expect((await ministry.signIn('boyte')).status).toBe(302)
  expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
}, 120_000)
afterAll(async () => {
  await server.close()
  await db.destroy()
})

function upload(
  bytes: string | Uint8Array<ArrayBuffer>,
  fields: { version: string; noteVi?: string; noteEn?: string },
  name = 'costs.csv',
): FormData {
  const form = new FormData()
  form.set('file', new File([bytes], name))
  form.set('version', fields.version)
  form.set('noteVi', fields.noteVi ?? 'Chi phí nhân lực theo bảng lương 2026')
  form.set('noteEn', fields.noteEn ?? 'Staff costs from the 2026 pay scale')
  return form
}

/** The hidden fields of the page's save form. */
function saveFields(html: string) {
  const value = (name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? ''
  return {
    intent: 'apply',
    sha256: value('sha256'),
    planHash: value('planHash'),
    version: value('version'),
    noteVi: value('noteVi'),
    noteEn: value('noteEn'),
  }
}

const versionCount = async () =>
  (await db.selectFrom('remedial_cost_tables').select('id').execute()).length

let exported = ''

describe('the cost table pages', () => {
  it('refuses everyone but administrators', async () => {
    for (const client of [ministry, director]) {
      expect((await client.request('/admin/cost-tables')).status).toBe(403)
      expect((await client.request('/admin/cost-tables/export.csv')).status).toBe(403)
      const post = await client.request('/admin/cost-tables/new', {
        body: upload('item_id\n', { version: 'x' }),
      })
      expect(post.status).toBe(403)
    }
    expect(await versionCount()).toBe(1)
  })

  it('lists the shipped version as current and shows every action with its item', async () => {
    const list = await (await admin.request('/admin/cost-tables')).text()
    expect(list).toContain('Có sẵn khi cài đặt')
    expect(list).toContain('Đang dùng cho lộ trình')
    const shipped = await db
      .selectFrom('remedial_cost_tables')
      .select('id')
      .executeTakeFirstOrThrow()
    const page = await (await admin.request(`/admin/cost-tables/${shipped.id}`)).text()
    expect(page).toContain('Tuyển 1 cán bộ CNTT chuyên trách trong 1 năm')
    expect(page).toContain('180.000.000')
    expect(page).toContain('ước tính')
    expect(page).toContain('it_staff_dedicated')
    // The new-version page names the items a row may add (none of them priced in version 1).
    const newPage = await (await admin.request('/admin/cost-tables/new')).text()
    expect(newPage).toContain('<code>autonomy_group</code>')
    expect(newPage).not.toContain('<code>it_staff_dedicated</code>')
  })

  it('downloads the current version as CSV and XLSX, audited', async () => {
    const csv = await admin.request('/admin/cost-tables/export.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    // UTF-8 with BOM, so spreadsheets open the Vietnamese text right.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    exported = new TextDecoder().decode(bytes)
    expect(exported.split('\r\n')[0]).toBe(
      'item_id,item,cost_vnd,action_vi,action_en,basis_vi,basis_en,source',
    )
    expect(exported).toContain('it_staff_dedicated,')
    expect(exported).toContain(',180000000,Tuyển 1 cán bộ CNTT chuyên trách trong 1 năm,')
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'cost_table.export.csv')
      .execute()
    expect(audit).toHaveLength(1)

    // The workbook reads back as no change at all: the XLSX path round-trips.
    const xlsx = new Uint8Array(
      await (await admin.request('/admin/cost-tables/export.xlsx')).arrayBuffer(),
    )
    const preview = await admin.request('/admin/cost-tables/new', {
      body: upload(xlsx, { version: 'xlsx' }, 'costs.xlsx'),
    })
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html).toContain('Tệp không thay đổi gì so với phiên bản 1')
    expect(html).not.toContain('name="planHash"')
  })

  it('refuses bad rows with their row, column and value, and writes nothing', async () => {
    const bad = exported
      .replace(',180000000,', ',một trăm,')
      .replace(/\r\n$/, '\r\nno_such_item,,5000000,Mua,Buy,Báo giá,Quote,estimate\r\n')
    const response = await admin.request('/admin/cost-tables/new', {
      body: upload(bad, { version: '2' }),
    })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Có 2 lỗi: chưa lưu gì')
    expect(html).toContain('Chi phí phải là số đồng nguyên')
    expect(html).toContain('<code>một trăm</code>')
    expect(html).toContain('Không có mục này trong mô hình chấm điểm hiện hành')
    expect(html).toContain('<td class="num">2</td><td>cost_vnd</td>')
    expect(html).not.toContain('name="planHash"')
    expect(await versionCount()).toBe(1)

    const missing = await admin.request('/admin/cost-tables/new', {
      body: upload('item_id,cost_vnd\nit_staff_dedicated,1\n', { version: '2' }),
    })
    expect(missing.status).toBe(422)
    expect(await missing.text()).toContain('Thiếu cột bắt buộc: action_vi')
    const blankLabel = await admin.request('/admin/cost-tables/new', {
      body: upload(exported, { version: ' ' }),
    })
    expect(blankLabel.status).toBe(400)
    expect(await blankLabel.text()).toContain('Hãy nhập nhãn phiên bản mới.')
    expect(await versionCount()).toBe(1)
  })

  it('saves an edited file as version 2 in one audited step; the roadmap then uses it', async () => {
    const edited = exported.replace(
      ',180000000,Tuyển 1 cán bộ CNTT chuyên trách trong 1 năm,Hire one dedicated IT staff member for a year,',
      ',240.000.000,Tuyển 1 cán bộ CNTT chuyên trách trong 1 năm,Hire one dedicated IT staff member for a year,',
    )
    expect(edited).not.toBe(exported)
    const preview = await admin.request('/admin/cost-tables/new', {
      body: upload(edited, { version: '2' }),
    })
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html).toContain('Thay đổi so với phiên bản 1')
    expect(html).toContain('<td>180.000.000</td><td>240.000.000</td>')
    expect(html).toContain('Lưu phiên bản 2 (1 thay đổi)')
    expect(await versionCount()).toBe(1)

    const fields = saveFields(html)
    const stale = await admin.request('/admin/cost-tables/new', {
      form: { ...fields, planHash: '0'.repeat(64) },
    })
    expect(stale.status).toBe(409)
    expect(await stale.text()).toContain('Bảng chi phí đã có phiên bản mới kể từ khi xem trước')
    expect(await versionCount()).toBe(1)

    const saved = await admin.request('/admin/cost-tables/new', { form: fields })
    expect(saved.status).toBe(302)
    expect(saved.headers.get('location')).toBe('/admin/cost-tables?stored=2')
    const adminUser = await db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('login', '=', 'quantri')
      .executeTakeFirstOrThrow()
    const row = await db
      .selectFrom('remedial_cost_tables')
      .select(['id', 'json', 'created_by'])
      .where('version', '=', '2')
      .executeTakeFirstOrThrow()
    expect(row.created_by).toBe(adminUser.id)
    const table = JSON.parse(row.json) as { actions: { itemId: string; costVnd: number }[] }
    expect(table.actions.find((a) => a.itemId === 'it_staff_dedicated')?.costVnd).toBe(240_000_000)
    expect(table.actions).toHaveLength(59)
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'entity_id', 'detail_json'])
      .where('action', '=', 'cost_table.create')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]?.actor_id).toBe(adminUser.id)
    expect(audit[0]?.entity_id).toBe(String(row.id))
    expect(JSON.parse(audit[0]?.detail_json ?? '{}')).toMatchObject({
      version: '2',
      baseVersion: '1',
      sha256: createHash('sha256').update(edited).digest('hex'),
      counts: { added: 0, changed: 1, removed: 0, unchanged: 58 },
    })

    const list = await (await admin.request('/admin/cost-tables?stored=2')).text()
    expect(list).toContain('Đã lưu phiên bản 2')
    expect(list).toContain(adminUser.display_name)

    // The roadmap reads the newest version: the page names it, the module prices with it.
    const roadmapPage = await (await ministry.request(`/waves/roadmap?${ROADMAP_QUERY}`)).text()
    expect(roadmapPage).toContain('bảng chi phí 2')
    const parsed = parseRoadmapSearch(new URLSearchParams(ROADMAP_QUERY), 'vi', todayInVietnam())
    if (!parsed.success) throw new Error(JSON.stringify(parsed.fieldErrors))
    const built = await buildRoadmap(db, { kind: 'all' }, parsed.data, todayInVietnam())
    if (!('roadmap' in built)) throw new Error(JSON.stringify(built))
    expect(built.roadmap.costTable).toEqual({ id: row.id, version: '2' })

    // The same save again: refused because the label is taken, nothing written.
    const again = await admin.request('/admin/cost-tables/new', { form: fields })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('Đã có phiên bản mang nhãn này')
    // The same file again under the same label: the page says both, and offers no save.
    const reupload = await (
      await admin.request('/admin/cost-tables/new', { body: upload(edited, { version: '2' }) })
    ).text()
    expect(reupload).toContain('Đã có phiên bản mang nhãn này. Hãy đặt nhãn mới.')
    expect(reupload).toContain('Tệp không thay đổi gì so với phiên bản 2')
    expect(reupload).not.toContain('name="planHash"')
    expect(await versionCount()).toBe(2)
  })
})
