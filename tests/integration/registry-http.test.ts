/**
 * The registry through the real server and the command line: upload →
 * preview → apply with the hashes, the stale-plan guard, downloads, the
 * facility page's history and closing, and `import-facilities --dry-run`.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readFileSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run, type CliIo } from '../../db/registry-cli.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
let admin: TestClient
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
  admin = new TestClient(server.origin)
  expect((await admin.signIn('quantri')).status).toBe(302)
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

function upload(text: string, name = 'registry.csv'): FormData {
  const form = new FormData()
  form.set('file', new File([text], name, { type: 'text/csv' }))
  return form
}

/** The hidden fields of the page's apply form. */
function applyFields(html: string) {
  const value = (name: string) =>
    new RegExp(`name="${name}" value="([0-9a-f]{64})"`).exec(html)?.[1] ?? ''
  return { intent: 'apply', sha256: value('sha256'), planHash: value('planHash') }
}

const HEADER = 'mã cơ sở;tên cơ sở;tỉnh;tuyến;loại hình;số giường'

describe('the registry pages', () => {
  it('previews an upload, refuses a bad file with its rows, and applies a good one', async () => {
    const bad = await admin.request('/admin/facilities/import', {
      body: upload(`${HEADER}\nH-001;Bệnh viện Web;Thanh Hoá;huyện;công lập;100\n`),
    })
    expect(bad.status).toBe(200)
    const badHtml = await bad.text()
    expect(badHtml).toContain('Tuyến phải là trung ương, tỉnh hoặc cơ bản')
    expect(badHtml).not.toContain('name="planHash"')

    const good = await admin.request('/admin/facilities/import', {
      body: upload(`${HEADER}\nH-001;Bệnh viện Web;Thanh Hoá;tỉnh;công lập;100\n`),
    })
    const html = await good.text()
    expect(html).toContain('Bệnh viện Web')
    const fields = applyFields(html)
    expect(fields.sha256).toMatch(/^[0-9a-f]{64}$/)
    // A plan hash that is not the preview's (the registry moved): refused, with a fresh preview.
    const stale = await admin.request('/admin/facilities/import', {
      form: { ...fields, planHash: '0'.repeat(64) },
    })
    expect(stale.status).toBe(409)
    expect(await stale.text()).toContain('Danh mục đã thay đổi kể từ khi xem trước')
    expect(
      await db.selectFrom('facilities').select('id').where('code', '=', 'H-001').executeTakeFirst(),
    ).toBeUndefined()

    const applied = await admin.request('/admin/facilities/import', { form: fields })
    expect(applied.status).toBe(302)
    expect(applied.headers.get('location')).toBe(
      '/admin/facilities?imported=1&new=1&changed=0&unchanged=0',
    )
    const row = await db
      .selectFrom('facilities')
      .select(['id', 'province_code', 'tier'])
      .where('code', '=', 'H-001')
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ province_code: '38', tier: 'provincial' })
    // The kept upload is gone once applied.
    expect((await admin.request('/admin/facilities/import', { form: fields })).status).toBe(410)

    const list = await (await admin.request('/admin/facilities?q=benh+vien+web')).text()
    expect(list).toContain('Bệnh viện Web')
    expect(list).toContain('H-001')
  })

  it('takes a file past the 64 KB form limit, from the page and from the hydrated page', async () => {
    // 2,000 rows, about 120 KB: a province's list, far under the 20 MB registry limit.
    const rows = Array.from(
      { length: 2_000 },
      (_, i) => `T-${String(i).padStart(5, '0')};Trạm y tế thử số ${i};Thanh Hoá;cơ bản;công lập;0`,
    )
    const text = `${HEADER}\n${rows.join('\n')}\n`
    expect(new TextEncoder().encode(text).byteLength).toBeGreaterThan(100 * 1024)
    for (const path of ['/admin/facilities/import', '/admin/facilities/import.data']) {
      const response = await admin.request(path, { body: upload(text) })
      expect(response.status, path).toBe(200)
      expect(await response.text(), path).toContain('Trạm y tế thử số 1999')
    }
  })

  it('refuses what is not CSV or XLSX before reading it', async () => {
    const form = new FormData()
    form.set(
      'file',
      new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0xfd])], 'x.csv'),
    )
    const response = await admin.request('/admin/facilities/import', { body: form })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Tệp không phải CSV UTF-8 hay XLSX')
  })

  it('shows the history on the facility page and closes the facility with a reason', async () => {
    const { id } = await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', 'H-001')
      .executeTakeFirstOrThrow()
    const refusedClose = await admin.request(`/facilities/${id}`, {
      form: { intent: 'close', reason: '' },
    })
    expect(refusedClose.status).toBe(400)
    const closed = await admin.request(`/facilities/${id}`, {
      form: { intent: 'close', reason: 'Ngừng hoạt động' },
    })
    expect(closed.status).toBe(200)
    const page = await (await admin.request(`/facilities/${id}`)).text()
    expect(page).toContain('Tạo từ tệp danh mục')
    expect(page).toContain('Đóng cửa: Ngừng hoạt động')
    expect(page).toContain('Mở lại cơ sở')
    const reviewer = new TestClient(server.origin)
    await reviewer.signIn('soyte.thanhhoa')
    const reviewerPage = await (await reviewer.request(`/facilities/${id}`)).text()
    expect(reviewerPage).toContain('Lịch sử thay đổi')
    expect(reviewerPage).not.toContain('Mở lại cơ sở')
  })

  it('downloads the registry as CSV and XLSX and audits each download', async () => {
    const csv = await admin.request('/admin/facilities/export.csv')
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text.split('\r\n')[0]).toBe(
      'code,name,province,tier,ownership,beds,autonomy_group,emr_status,address,phone',
    )
    expect(text).toContain('H-001,Bệnh viện Web,38,provincial,public,100,,none,,')
    const xlsx = await admin.request('/admin/facilities/export.xlsx')
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(
      new Uint8Array([0x50, 0x4b]),
    )
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'registry.export.%')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['registry.export.csv', 'registry.export.xlsx'])
  })
})

describe('npm run admin:registry', () => {
  const capture = () => {
    const out: string[] = []
    const err: string[] = []
    const io: CliIo = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      write: (t) => out.push(t),
    }
    return { io, out, err }
  }
  const file = `${process.env.DATABASE_PATH}.registry.csv`
  afterAll(() => rmSync(file, { force: true }))

  it('prints the preview and exits 1 when a row is refused, writing nothing', async () => {
    const before = await db.selectFrom('facilities').select('id').execute()
    const bytes = `code,name,province,tier,ownership,beds\nC-001,Bệnh viện dòng lệnh,Hà Tây,basic,public,10\n`
    await import('node:fs').then((fs) => fs.writeFileSync(file, bytes))
    const { io, out, err } = capture()
    expect(await run(['import-facilities', file], io)).toBe(1)
    expect(out.join('\n')).toContain('Dòng 2, Cột "province", "Hà Tây"')
    expect(err.join('\n')).toContain('Chưa ghi gì')
    expect(await db.selectFrom('facilities').select('id').execute()).toHaveLength(before.length)
  })

  it('dry-runs the example file (exit 0, nothing written), then imports it; export writes the registry', async () => {
    const before = await db.selectFrom('facilities').select('id').execute()
    const dry = capture()
    expect(
      await run(
        ['import-facilities', 'db/data/registry-example.csv', '--dry-run', '--lang', 'en'],
        dry.io,
      ),
    ).toBe(0)
    expect(dry.out[0]).toBe('New: 8 · Changed: 0 · Unchanged: 0 · Rows refused: 0')
    expect(await db.selectFrom('facilities').select('id').execute()).toHaveLength(before.length)
    const real = capture()
    expect(await run(['import-facilities', 'db/data/registry-example.csv'], real.io)).toBe(0)
    expect(await db.selectFrom('facilities').select('id').execute()).toHaveLength(before.length + 8)
    const exported = capture()
    expect(await run(['export-facilities', file], exported.io)).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain('VD-001,Bệnh viện Đa khoa tỉnh Hà Giang,08,')
    expect(await run(['frobnicate'], capture().io)).toBe(2)
  })
})
