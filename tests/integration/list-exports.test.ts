/**
 * The facilities table and the round overview as files (issue #19): the rows
 * the page shows for its filters (every page), within the reader's scope,
 * under the wave exports' CSV rules (BOM, RFC 4180, formula escaping,
 * numbers as numbers) and as a workbook with numbers as numbers.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { listFacilities } from '../../app/models/facility-list.server.ts'
import { facilityListRequest, listAllFacilities } from '../../app/review/facility-list.server.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { auditCount, parseCsv } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let roundId = 0
const clients: Record<string, TestClient> = {}

function client(login: string): TestClient {
  const c = clients[login]
  if (!c) throw new Error(`not signed in: ${login}`)
  return c
}

/** The file's records; it must start with the UTF-8 BOM (which `Response.text()` would drop). */
async function csvRecords(response: Response): Promise<string[][]> {
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/)
  const bytes = new Uint8Array(await response.arrayBuffer())
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3)))
}

/** The first sheet's cell values, row by row (exceljs rows are 1-based). */
async function xlsxRows(response: Response): Promise<unknown[][]> {
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new Error('no sheet')
  const rows: unknown[][] = []
  sheet.eachRow((row) => {
    rows.push(Array.isArray(row.values) ? row.values.slice(1) : [])
  })
  return rows
}

/** The codes a filter holds, read from the tables themselves (not through the app's query). */
async function codesInRound(
  province: string | null,
  status: 'submitted' | 'verified',
  order: 'asc' | 'desc',
) {
  let query = db
    .selectFrom('facilities')
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .select('facilities.code')
    .where('assessments.round_id', '=', roundId)
    .where('assessments.status', '=', status)
  if (province) query = query.where('facilities.province_code', '=', province)
  return (await query.orderBy('facilities.code', order).execute()).map((r) => r.code)
}

beforeAll(async () => {
  const round = await db
    .selectFrom('rounds')
    .select('id')
    .where('opens_on', '<=', todayInVietnam())
    .orderBy('opens_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  roundId = round.id
  // A name that a spreadsheet would run as a formula, in the province reviewer's scope.
  await db
    .updateTable('facilities')
    .set({ name: '=HYPERLINK("http://example.invalid","x")' })
    .where('code', '=', '38002')
    .execute()
  server = await startTestServer()
  for (const login of ['soyte.thanhhoa', 'boyte', 'giamdoc.thanhhoa']) {
    clients[login] = new TestClient(server.origin)
    expect((await client(login).signIn(login)).status).toBe(302)
  }
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the facilities table as a file', () => {
  it('holds every facility of the reviewer’s province, whatever province the URL asks for', async () => {
    const [header, ...rows] = await csvRecords(
      await client('soyte.thanhhoa').request('/facilities/export.csv?sort=code'),
    )
    expect(header?.length).toBe(10)
    const stored = await db
      .selectFrom('facilities')
      .select('code')
      .where('province_code', '=', '38')
      .orderBy('code')
      .execute()
    expect(stored.length).toBeGreaterThan(0)
    expect(rows.map((r) => r[0])).toEqual(stored.map((s) => s.code))
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['38']))
    // Another province's facilities are not in the scope, so the filter finds none.
    const [, ...other] = await csvRecords(
      await client('soyte.thanhhoa').request('/facilities/export.csv?province=04'),
    )
    expect(other).toEqual([])
  })

  it('applies the page’s filters and order, over every page', async () => {
    const [, ...rows] = await csvRecords(
      await client('boyte').request('/facilities/export.csv?status=submitted&sort=code&dir=desc'),
    )
    const expected = await codesInRound(null, 'submitted', 'desc')
    expect(expected.length).toBeGreaterThan(0)
    expect(rows.map((r) => r[0])).toEqual(expected)
    // More rows than the page shows: the whole table, not its first page.
    const [, ...everything] = await csvRecords(
      await client('boyte').request('/facilities/export.csv'),
    )
    const total = await db
      .selectFrom('facilities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(everything.length).toBe(Number(total.n))
    expect(everything.length).toBeGreaterThan(50)
    const [, ...province] = await csvRecords(
      await client('boyte').request('/facilities/export.csv?province=38&status=verified'),
    )
    expect(province.map((r) => r[0]).sort()).toEqual(await codesInRound('38', 'verified', 'asc'))
  })

  it('walks the pages in the page’s order without losing or repeating a row', async () => {
    const { query } = await facilityListRequest(
      db,
      new URL('http://x/facilities?sort=composite&dir=desc'),
      'vi',
    )
    const all = { kind: 'all' } as const
    const onePage = await listFacilities(db, all, { ...query, page: 1, pageSize: 1000 })
    const walked = await listAllFacilities(db, all, query, 7)
    expect(walked.map((r) => r.id)).toEqual(onePage.map((r) => r.id))
  })

  it('keeps numbers as numbers and escapes a formula in CSV, keeps text exactly in XLSX', async () => {
    const path = '/facilities/export?province=38&sort=code'
    const [header, ...rows] = await csvRecords(
      await client('soyte.thanhhoa').request(path.replace('export', 'export.csv')),
    )
    const scoreColumn = 8
    // The current score: the round's model, verified while verified, declared otherwise.
    const stored = (
      await db
        .selectFrom('facilities')
        .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
        .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
        .innerJoin('scores', (join) =>
          join
            .onRef('scores.assessment_id', '=', 'assessments.id')
            .onRef('scores.scoring_model_id', '=', 'rounds.scoring_model_id'),
        )
        .select(['facilities.code', 'assessments.status', 'scores.basis', 'scores.composite_bp'])
        .where('assessments.round_id', '=', roundId)
        .where('facilities.province_code', '=', '38')
        .execute()
    ).filter((s) => s.basis === (s.status === 'verified' ? 'verified' : 'declared'))
    expect(stored.length).toBeGreaterThan(0)
    for (const s of stored) {
      const row = rows.find((r) => r[0] === s.code)
      // Bare digits (a number to a spreadsheet), the page's 0–100 scale.
      expect(row?.[scoreColumn]).toMatch(/^\d+(\.\d+)?$/)
      expect(Number(row?.[scoreColumn])).toBe(s.composite_bp / 100)
    }
    expect(rows.find((r) => r[0] === '38002')?.[1]).toBe(
      '\'=HYPERLINK("http://example.invalid","x")',
    )
    const sheet = await xlsxRows(
      await client('soyte.thanhhoa').request(path.replace('export', 'export.xlsx')),
    )
    expect(sheet[0]).toEqual(header)
    const formula = sheet.find((r) => r[0] === '38002')
    expect(formula?.[1]).toBe('=HYPERLINK("http://example.invalid","x")')
    for (const s of stored) {
      const row = sheet.find((r) => r[0] === s.code)
      expect(row?.[scoreColumn]).toBe(s.composite_bp / 100)
    }
    expect(sheet.length).toBe(rows.length + 1)
  })

  it('is audited with its filters, and refused to a director', async () => {
    const before = await auditCount(db, 'facilities.export.csv')
    const response = await client('boyte').request('/facilities/export.csv?tier=basic')
    await response.arrayBuffer()
    expect(await auditCount(db, 'facilities.export.csv')).toBe(before + 1)
    const last = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'facilities.export.csv')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(last.detail_json ?? '{}')).toMatchObject({ filters: { tier: 'basic' } })
    const director = await client('giamdoc.thanhhoa').request('/facilities/export.csv')
    expect(director.status).toBe(403)
    await director.arrayBuffer()
  })
})

describe('the round overview as a file', () => {
  it('gives the Ministry a row per province and the whole scope’s, counted as stored', async () => {
    const [header, ...rows] = await csvRecords(
      await client('boyte').request('/rounds/overview/export.csv'),
    )
    if (!header) throw new Error('no header')
    const perProvince = await db
      .selectFrom('facilities')
      .select(['province_code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('province_code')
      .orderBy('province_code')
      .execute()
    const provinces = rows.filter((r) => r[0] !== '')
    expect(provinces.map((r) => r[0])).toEqual(perProvince.map((p) => p.province_code))
    const facilitiesColumn = 8
    expect(provinces.map((r) => Number(r[facilitiesColumn]))).toEqual(
      perProvince.map((p) => Number(p.n)),
    )
    const total = rows.at(-1)
    expect(total?.[0]).toBe('')
    expect(Number(total?.[facilitiesColumn])).toBe(perProvince.reduce((a, p) => a + Number(p.n), 0))
    // Submitted in Thanh Hóa, as stored.
    const submittedColumn = 2 + 3
    expect(Number(provinces.find((r) => r[0] === '38')?.[submittedColumn])).toBe(
      (await codesInRound('38', 'submitted', 'asc')).length,
    )
  })

  it('gives a province reviewer their province only, numbers as numbers in XLSX', async () => {
    const sheet = await xlsxRows(
      await client('soyte.thanhhoa').request('/rounds/overview/export.xlsx'),
    )
    expect(sheet.length).toBe(2)
    const row = sheet[1] ?? []
    expect(row[0]).toBe('38')
    for (const value of row.slice(2)) expect(typeof value).toBe('number')
    const director = await client('giamdoc.thanhhoa').request('/rounds/overview/export.xlsx')
    expect(director.status).toBe(403)
    await director.arrayBuffer()
  })
})
