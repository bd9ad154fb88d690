/**
 * The planner's "spend a support budget first" option (#21): before the wave
 * is selected, the support budget buys the cheapest uplifts to the minimum
 * level across the scope (ties by facility id), and the facilities it lifts
 * are ranked and may be selected. Off unless asked; reproducible from the URL,
 * the saved run and the XLSX parameters sheet.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatNumber } from '../../app/utils/number-format.ts'
import { getLatestCostTable } from '../../app/models/roadmap.server.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { buildWave, gatherPlanInputs, type WavePlan } from '../../app/waves/planner.server.ts'
import { restrictPlan } from '../../app/waves/runs.server.ts'
import { upliftsToMinLevel } from '../../app/waves/uplift.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let ministry: TestClient

const BASE = 'capacity=120'

async function planOf(query: string): Promise<WavePlan> {
  const parsed = parseWaveParams(new URLSearchParams(query), 'vi')
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues))
  const built = await buildWave(db, { kind: 'all' }, parsed.data, todayInVietnam())
  if (!('plan' in built)) throw new Error(JSON.stringify(built))
  return built.plan
}

/** Every costed uplift to R2 in the country, cheapest first, ties by facility id (computed apart). */
async function cheapestUplifts() {
  const parsed = parseWaveParams(new URLSearchParams(BASE), 'vi')
  if (!parsed.success) throw new Error('bad params')
  const gathered = await gatherPlanInputs(db, { kind: 'all' }, parsed.data, todayInVietnam())
  const table = await getLatestCostTable(db)
  if (!('inputs' in gathered) || !table) throw new Error('no inputs')
  const { uplifts } = await upliftsToMinLevel(db, gathered, parsed.data, table.table)
  const code = new Map(gathered.inputs.map((f) => [String(f.facilityId), f.code]))
  return [...uplifts]
    .flatMap(([id, u]) => (u.status === 'reached' ? [{ id, cost: u.costVnd }] : []))
    .sort((a, b) => a.cost - b.cost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((u) => ({ ...u, code: code.get(u.id) ?? '' }))
}

beforeAll(async () => {
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('a support budget spent before the wave', () => {
  it('lifts the cheapest uplifts that fit, which the ranking then takes in', async () => {
    const cheapest = await cheapestUplifts()
    const [first, second] = cheapest
    if (!first || !second) throw new Error('the seed has fewer than two liftable facilities')
    const both = first.cost + second.cost
    const plan = await planOf(`${BASE}&supportBn=${both / 1e9}`)
    expect(plan.support?.lifted.map((f) => f.code)).toEqual([first.code, second.code])
    expect(plan.support?.spentVnd).toBe(both)
    expect(plan.support?.budgetVnd).toBe(both)
    expect(plan.support?.candidates).toBe(cheapest.length)
    for (const f of plan.support?.lifted ?? []) expect(f.actions.length).toBeGreaterThan(0)
    // Without the option they are refused for their level; with it they are ranked.
    const off = await planOf(BASE)
    expect(off.support).toBeNull()
    for (const id of [first.id, second.id]) {
      const before = off.rows.find((r) => String(r.facilityId) === id)
      const after = plan.rows.find((r) => String(r.facilityId) === id)
      expect(before?.exclusions.some((e) => e.kind === 'level')).toBe(true)
      expect(before?.rank).toBeNull()
      expect(after?.exclusions).toEqual([])
      expect(after?.rank).not.toBeNull()
    }
    // A million dong less lifts only the cheapest (the next does not fit in full).
    const less = await planOf(`${BASE}&supportBn=${(both - 1_000_000) / 1e9}`)
    expect(less.support?.lifted.map((f) => f.code)).toEqual([first.code])
    expect(less.support?.spentVnd).toBe(first.cost)
  })

  it('shows a province’s reader of a national plan only the lifted facilities of their province', async () => {
    const cheapest = await cheapestUplifts()
    const total = cheapest.slice(0, 6).reduce((sum, u) => sum + u.cost, 0)
    const plan = await planOf(`${BASE}&supportBn=${total / 1e9}`)
    const lifted = plan.support?.lifted ?? []
    expect(new Set(lifted.map((f) => f.provinceName)).size).toBeGreaterThan(1)
    const first = plan.rows.find((r) => r.facilityId === lifted[0]?.facilityId)
    if (!first) throw new Error('lifted facility not among the rows')
    const cut = restrictPlan(plan, { kind: 'province', provinceCode: first.province })
    expect(cut.support?.lifted.map((f) => f.code)).toEqual(
      lifted.filter((f) => f.provinceName === first.provinceName).map((f) => f.code),
    )
    expect(cut.support?.spentVnd).toBe(plan.support?.spentVnd)
  })

  it('is off unless asked, and a budget of 0 lifts nobody and changes nothing', async () => {
    const off = await planOf(BASE)
    const zero = await planOf(`${BASE}&supportBn=0`)
    expect(zero.support?.lifted).toEqual([])
    expect(zero.support?.spentVnd).toBe(0)
    expect(zero.result).toEqual(off.result)
    expect('supportBn' in off.params).toBe(false)
  })
})

describe('the planner page with a support budget', () => {
  it('shows what the support lifted, saves it with the run and writes it in the XLSX parameters', async () => {
    const [first] = await cheapestUplifts()
    if (!first) throw new Error('no liftable facility')
    const budget = first.cost / 1e9
    const query = `${BASE}&supportBn=${budget}`
    const html = await (await ministry.request(`/waves?${query}`)).text()
    expect(html).toContain('Hỗ trợ nâng mức trước đợt')
    const bn = formatNumber(first.cost / 1e9, 'vi', 0, 3)
    expect(html).toContain(`Ngân sách hỗ trợ ${bn} tỷ đồng: đã chi ${bn} tỷ đồng, còn 0 tỷ đồng`)
    expect(html).toContain(`${first.code} · `)

    const saved = await ministry.request('/waves?index', {
      form: { intent: 'save', name: 'Hỗ trợ trước đợt', params: query },
    })
    expect(saved.status).toBe(302)
    const runId = Number((saved.headers.get('location') ?? '').split('/').pop())
    const row = await db
      .selectFrom('ranking_runs')
      .select(['params_json'])
      .where('id', '=', runId)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(row.params_json).supportBn).toBe(budget)
    // The saved run shows what the support bought, as the live plan did.
    const runPage = await ministry.request(`/waves/runs/${runId}`)
    expect(runPage.status).toBe(200)
    const runHtml = await runPage.text()
    expect(runHtml).toContain(`Ngân sách hỗ trợ ${bn} tỷ đồng: đã chi ${bn} tỷ đồng, còn 0 tỷ đồng`)
    expect(runHtml).toContain(`${first.code} · `)

    // The JSON document carries the same section, in the OpenAPI schema's shape.
    const document = (await (await ministry.request(`/api/v1/waves?${query}`)).json()) as {
      support: { budgetVnd: number; spentVnd: number; lifted: Array<{ code: string }> } | null
    }
    expect(document.support).toMatchObject({ budgetVnd: first.cost, spentVnd: first.cost })
    expect(document.support?.lifted.map((f) => f.code)).toEqual([first.code])
    const off = (await (await ministry.request(`/api/v1/waves?${BASE}`)).json()) as {
      support: unknown
    }
    expect(off.support).toBeNull()

    const xlsx = await ministry.request(`/waves/export.xlsx?${query}`)
    expect(xlsx.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await xlsx.arrayBuffer())
    const params = new Map<string, unknown>()
    workbook.getWorksheet('Tham số')?.eachRow((r) => {
      params.set(String(r.getCell(1).value), r.getCell(2).value)
    })
    expect(params.get('support_budget_vnd')).toBe(first.cost)
    expect(params.get('support_spent_vnd')).toBe(first.cost)
    expect(String(params.get('support_lifted'))).toContain(`"code":"${first.code}"`)
    const method: string[] = []
    workbook.getWorksheet('Phương pháp')?.eachRow((r) => method.push(String(r.getCell(5).value)))
    expect(method.some((d) => d.startsWith('Ngân sách hỗ trợ'))).toBe(true)
  })

  it('refuses a budget finer than a million dong, by field', async () => {
    const html = await (await ministry.request(`/waves?${BASE}&supportBn=1.0005`)).text()
    expect(html).toContain('Ghi số tỷ đồng với tối đa ba chữ số thập phân')
    expect(html).not.toContain('Hỗ trợ nâng mức trước đợt')
  })
})
