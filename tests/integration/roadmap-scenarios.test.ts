/**
 * Saved roadmap scenario sets (#21) through the real server: the ministry
 * saves two budget scenarios (audited, stored with params, input hash and
 * result), opens the set, downloads CSV and XLSX (parameters and
 * methodology; identical inputs give byte-identical files); a province
 * reviewer can neither save nor open a national set.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let ministry: TestClient
let province: TestClient

const QUERY = 'periodKind=year&periods=3&start=2026-01-01&capacity=6&costBn=10&budgets=30,60'

async function save(client: TestClient, name: string): Promise<Response> {
  return client.request('/waves/roadmap?index', {
    form: { intent: 'save', name, params: QUERY },
  })
}

beforeAll(async () => {
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  province = new TestClient(server.origin)
  await ministry.signIn('boyte')
  await province.signIn('soyte.thanhhoa')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('saved roadmap scenario sets', () => {
  let firstId = 0
  let secondId = 0

  it('saves the scenario set shown, audited, with its parameters, input hash and result', async () => {
    const refused = await save(ministry, '')
    expect(refused.status).toBe(400)
    const saved = await save(ministry, '30 vs 60 bn/year')
    expect(saved.status).toBe(302)
    const location = saved.headers.get('location') ?? ''
    expect(location).toMatch(/^\/waves\/roadmap\/\d+$/)
    firstId = Number(location.split('/').pop())
    const row = await db
      .selectFrom('roadmap_scenarios')
      .select(['name', 'params_json', 'input_hash', 'result_json', 'cost_table_id'])
      .where('id', '=', firstId)
      .executeTakeFirstOrThrow()
    expect(row.name).toBe('30 vs 60 bn/year')
    expect(row.input_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(row.params_json)).toMatchObject({
      roadmap: { budgets: '30,60', periods: 3, start: '2026-01-01' },
      scope: { kind: 'all' },
    })
    expect(JSON.parse(row.result_json).roadmap.scenarios).toHaveLength(2)
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'detail_json'])
      .where('action', '=', 'roadmap.scenario.save')
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]?.detail_json ?? '{}')).toMatchObject({
      inputHash: row.input_hash,
      budgetsBn: [30, 60],
    })
    const again = await save(ministry, 'The same inputs again')
    secondId = Number((again.headers.get('location') ?? '').split('/').pop())
    expect(secondId).toBeGreaterThan(firstId)
  })

  it('opens the set as stored and lists it on the roadmap page', async () => {
    const page = await ministry.request(`/waves/roadmap/${firstId}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('30 vs 60 bn/year')
    expect(html).toContain('Kịch bản: 60 tỷ đồng mỗi kỳ')
    expect(html).toContain(`/waves/roadmap/${firstId}/export.xlsx`)
    const list = await (await ministry.request('/waves/roadmap')).text()
    expect(list).toContain(`href="/waves/roadmap/${firstId}"`)
  })

  it('exports CSV with every facility in every scenario, byte-identical for identical inputs', async () => {
    const download = async (id: number) => {
      const response = await ministry.request(`/waves/roadmap/${id}/export.csv`)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/text\/csv/)
      return Buffer.from(await response.arrayBuffer())
    }
    const first = await download(firstId)
    expect((await download(firstId)).equals(first)).toBe(true)
    // A second set saved from the same inputs holds the same rows, byte for byte.
    expect((await download(secondId)).equals(first)).toBe(true)
    const text = first.toString('utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text).toContain('\r\n')
    const [header, ...rows] = parseCsv(text.slice(1))
    expect(header).toContain('Lỡ hạn 2026-12-31')
    const stored = await db
      .selectFrom('roadmap_scenarios')
      .select('result_json')
      .where('id', '=', firstId)
      .executeTakeFirstOrThrow()
    const facilities = JSON.parse(stored.result_json).roadmap.facilities.length
    expect(rows).toHaveLength(2 * facilities)
    const col = (name: string) => (header ?? []).indexOf(name)
    // 30 bn buys three facilities in period 1, 60 bn six.
    const inFirstPeriod = (budget: string) =>
      rows.filter((r) => r[col('Kịch bản (tỷ đồng mỗi kỳ)')] === budget && r[col('Kỳ')] === '1')
    expect(inFirstPeriod('30')).toHaveLength(3)
    expect(inFirstPeriod('60')).toHaveLength(6)
    const missing = rows.filter((r) => r[col('Lỡ hạn 2026-12-31')] === 'true')
    expect(missing.length).toBe(2 * facilities - 9)
    expect(missing.every((r) => (r[col('Lý do')] ?? '') !== '')).toBe(true)
  })

  it('exports XLSX with the roadmap, periods, parameters and methodology, byte-identical on every download', async () => {
    const download = async () => {
      const response = await ministry.request(`/waves/roadmap/${firstId}/export.xlsx`)
      expect(response.status).toBe(200)
      return Buffer.from(await response.arrayBuffer())
    }
    const bytes = await download()
    expect((await download()).equals(bytes)).toBe(true)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(new Uint8Array(bytes).buffer)
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Lộ trình',
      'Các kỳ',
      'Tham số',
      'Phương pháp',
    ])
    const params = workbook.getWorksheet('Tham số')
    const values = new Map<string, unknown>()
    params?.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value))
    expect(values.get('budgets_bn_per_period')).toBe('30, 60')
    expect(values.get('input_hash_sha256')).toMatch(/^[0-9a-f]{64}$/)
    const method = workbook.getWorksheet('Phương pháp')
    const kinds = new Set<string>()
    method?.eachRow((row) => kinds.add(String(row.getCell(1).value)))
    expect(kinds).toContain('Lộ trình')
    expect(kinds).toContain('Biện pháp khắc phục')
    const audit = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', 'in', ['roadmap.scenario.export.csv', 'roadmap.scenario.export.xlsx'])
      .execute()
    expect(audit.length).toBe(5)
  })

  it('lets a province reviewer neither save nor open a national set', async () => {
    expect((await save(province, 'Thanh Hoá')).status).toBe(403)
    expect((await province.request(`/waves/roadmap/${firstId}`)).status).toBe(404)
    expect((await province.request(`/waves/roadmap/${firstId}/export.csv`)).status).toBe(404)
    const list = await (await province.request('/waves/roadmap')).text()
    expect(list).not.toContain(`href="/waves/roadmap/${firstId}"`)
  })
})
