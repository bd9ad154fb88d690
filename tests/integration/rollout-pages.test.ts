/**
 * The rollout through the real server: adopting a run from the page, a
 * director's proposals (order rules answered on the page), a province
 * reviewer's confirmation, the at-risk list and the exports' contents and
 * scope.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertWave, insertWaveMembers } from '../../app/models/rollout.server.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { buildWave } from '../../app/waves/planner.server.ts'
import { saveRun } from '../../app/waves/runs.server.ts'
import { parseWaveParams } from '../../app/waves/wave-params.server.ts'
import { parseCsv } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let ministry: TestClient
let province: TestClient
let director: TestClient
let ownId: number
let runId: number

async function savedRun(name: string, createdBy: number): Promise<number> {
  const params = parseWaveParams(new URLSearchParams('capacity=10'), 'vi')
  if (!params.success) throw new Error('bad params')
  const built = await buildWave(db, { kind: 'all' }, params.data, todayInVietnam())
  if (!('plan' in built)) throw new Error('no round')
  return saveRun(db, {
    name,
    plan: built.plan,
    scoringModelId: built.plan.model.rowId,
    userId: createdBy,
    now: new Date().toISOString(),
  })
}

beforeAll(async () => {
  const boyte = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'boyte')
    .executeTakeFirstOrThrow()
  const own = await db
    .selectFrom('facilities')
    .select(['id'])
    .where('code', '=', '38001')
    .executeTakeFirstOrThrow()
  ownId = own.id
  runId = await savedRun('Lần chạy để thông qua', boyte.id)
  // A wave adopted on 1/1/2026 with its target at 30/6/2026, both past: its members are at risk.
  const pastRun = await savedRun('Lần chạy cũ', boyte.id)
  const waveId = await insertWave(db, {
    runId: pastRun,
    name: 'Đợt thử nghiệm',
    targetGoLive: '2026-06-30',
    budgetVnd: 50_000_000_000,
    adoptedBy: boyte.id,
    adoptedAt: '2026-01-01T03:00:00.000Z',
  })
  const other = await db
    .selectFrom('facilities')
    .select('id')
    .where('code', '=', '04004')
    .executeTakeFirstOrThrow()
  await insertWaveMembers(db, waveId, [
    { facilityId: ownId, costVnd: 12_000_000_000 },
    { facilityId: other.id, costVnd: 10_000_000_000 },
  ])
  server = await startTestServer()
  ministry = new TestClient(server.origin)
  province = new TestClient(server.origin)
  director = new TestClient(server.origin)
  await ministry.signIn('boyte')
  await province.signIn('soyte.thanhhoa')
  await director.signIn('giamdoc.thanhhoa')
}, 120_000)

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('rollout pages', () => {
  it('adopts a saved run from the page, once', async () => {
    const form = {
      runId: String(runId),
      name: 'Đợt 1/2027',
      targetGoLive: '2027-06-30',
      budgetBn: '100',
    }
    // Refused with the field's message while the run is still offered (a blank budget is not 0).
    const blank = await ministry.request('/rollout/waves', { form: { ...form, budgetBn: '' } })
    expect(blank.status).toBe(400)
    expect(await blank.text()).toContain('Hãy nhập ngân sách.')
    const adopted = await ministry.request('/rollout/waves', { form })
    expect(adopted.status).toBe(200)
    expect(await adopted.text()).toContain('Đã thông qua đợt triển khai với 10 cơ sở.')
    const again = await ministry.request('/rollout/waves', { form })
    expect(again.status).toBe(409)
  })

  it('answers the order and date rules on the director’s page', async () => {
    const page = await director.request('/rollout/facility')
    const html = await page.text()
    expect(html).toContain('Thuộc Đợt thử nghiệm')
    expect(html).toContain('Bước tiếp theo: Kế hoạch BAĐT được phê duyệt')
    const early = await director.request('/rollout/facility', {
      form: { kind: 'full_live', occurredOn: '2026-11-02', note: '', evidenceRef: '' },
    })
    expect(early.status).toBe(400)
    expect(await early.text()).toContain('Cần báo cáo mốc “Vận hành thử” trước.')
    const future = await director.request('/rollout/facility', {
      form: { kind: 'plan_approved', occurredOn: '2099-01-01', note: '', evidenceRef: '' },
    })
    expect(future.status).toBe(400)
    const proposed = await director.request('/rollout/facility', {
      form: {
        kind: 'plan_approved',
        occurredOn: '2026-11-01',
        note: 'QĐ 123',
        evidenceRef: 'QĐ-123/BV',
      },
    })
    expect(proposed.status).toBe(200)
  })

  it('queues the proposal for the province reviewer, who confirms it', async () => {
    const queue = await (await province.request('/rollout/confirm')).text()
    expect(queue).toContain('Kế hoạch BAĐT được phê duyệt')
    const row = await db
      .selectFrom('milestones')
      .select('id')
      .where('facility_id', '=', ownId)
      .where('status', '=', 'proposed')
      .executeTakeFirstOrThrow()
    const confirmed = await province.request('/rollout/confirm', {
      form: { milestoneId: String(row.id), decision: 'confirm', comment: '' },
    })
    expect(confirmed.status).toBe(200)
    const facility = await db
      .selectFrom('facilities')
      .select('emr_status')
      .where('id', '=', ownId)
      .executeTakeFirstOrThrow()
    expect(facility.emr_status).toBe('in_progress')
  })

  it('lists the past wave’s facilities at risk with their reasons, and the national goal', async () => {
    const html = await (await ministry.request('/rollout')).text()
    expect(html).toMatch(/trên mục tiêu 1\.650 bệnh viện/)
    expect(html).toContain('Quá ngày vận hành mục tiêu 30/06/2026')
    // Plan approved is confirmed, so the earliest overdue step is the contract.
    expect(html).toContain('Chậm so với lịch của đợt: Ký hợp đồng dự kiến trước')
  })

  it('exports the province reviewer’s province only, with each step’s date and the reasons', async () => {
    const response = await province.request('/rollout/export.csv')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/text\/csv/)
    const [header, ...rows] = parseCsv(await response.text())
    expect(header).toContain('Kế hoạch BAĐT được phê duyệt')
    const col = (name: string) => (header ?? []).indexOf(name)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r[col('Mã tỉnh')] === '38')).toBe(true)
    const own = rows.find(
      (r) => r[col('Mã cơ sở')] === '38001' && r[col('Đợt')] === 'Đợt thử nghiệm',
    )
    expect(own?.[col('Kế hoạch BAĐT được phê duyệt')]).toBe('2026-11-01')
    expect(own?.[col('Chi phí (đồng)')]).toBe('12000000000')
    expect(own?.[col('Nguy cơ chậm')]).toBe('true')
    expect(own?.[col('Lý do')]).toContain('Quá ngày vận hành mục tiêu 2026-06-30')
    const audit = await db
      .selectFrom('audit_log')
      .select('detail_json')
      .where('action', '=', 'rollout.export.csv')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('exports every wave member in XLSX for the ministry', async () => {
    const response = await ministry.request('/rollout/export.xlsx')
    expect(response.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const sheet = workbook.getWorksheet('Tiến độ')
    const members = await db
      .selectFrom('wave_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect((sheet?.rowCount ?? 0) - 1).toBe(Number(members.n))
  })
})
