/**
 * The roadmap page (#21): the module on the seeded round (budgets,
 * capacities, the level rule, deadlines and who misses them), then through
 * the real server: the ministry's national view with two scenarios, a
 * province reviewer's province only, bad input listed, directors refused.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { parseRoadmapSearch } from '../../app/waves/roadmap-params.server.ts'
import { buildRoadmap, type Roadmap } from '../../app/waves/roadmap.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let ministry: TestClient
let province: TestClient
let director: TestClient

const QUERY = 'periodKind=year&periods=3&start=2026-01-01&capacity=6&costBn=10&budgets=30,60'
const BN = 1_000_000_000

async function roadmapOf(query: string, filter = { kind: 'all' } as const): Promise<Roadmap> {
  const parsed = parseRoadmapSearch(new URLSearchParams(query), 'vi', todayInVietnam())
  if (!parsed.success) throw new Error(JSON.stringify(parsed.fieldErrors))
  const built = await buildRoadmap(db, filter, parsed.data, todayInVietnam())
  if (!('roadmap' in built)) throw new Error(JSON.stringify(built))
  return built.roadmap
}

beforeAll(async () => {
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

describe('the roadmap module', () => {
  it('keeps every period within its budget and capacity and schedules below-level facilities only after their uplift', async () => {
    const roadmap = await roadmapOf(QUERY)
    expect(roadmap.periods).toEqual([
      { id: '1', end: '2026-12-31' },
      { id: '2', end: '2027-12-31' },
      { id: '3', end: '2028-12-31' },
    ])
    expect(roadmap.scenarios.map((s) => s.budgetBn)).toEqual([30, 60])
    const byId = new Map(roadmap.facilities.map((f) => [f.facilityId, f]))
    // The seeded round has facilities below R2 that costed actions can lift.
    expect(roadmap.facilities.some((f) => !f.meetsMinLevel && f.upliftCostVnd !== null)).toBe(true)
    for (const s of roadmap.scenarios) {
      if (!s.feasible) throw new Error('infeasible scenario')
      for (const [k, p] of s.periods.entries()) {
        expect(p.facilityIds.length).toBeLessThanOrEqual(6)
        expect(p.costVnd).toBeLessThanOrEqual(s.budgetBn * BN)
        // Equal costs: the period's cost is its count times the default (uplifts are paid apart).
        expect(p.costVnd).toBe(p.facilityIds.length * 10 * BN)
        for (const id of p.facilityIds) {
          const f = byId.get(id)
          expect(f?.exclusions).toEqual([])
          // The minimum-level rule: one period between the uplift and the rollout.
          if (!f?.meetsMinLevel) {
            expect(k).toBeGreaterThanOrEqual(1)
            expect(f?.upliftCostVnd).toBeGreaterThan(0)
          }
        }
      }
    }
    // 30 bn buys three facilities a year, 60 bn six: the larger budget schedules more.
    const [small, large] = roadmap.scenarios
    if (!small?.feasible || !large?.feasible) throw new Error('infeasible scenario')
    expect(small.periods[0]?.facilityIds).toHaveLength(3)
    expect(large.periods[0]?.facilityIds).toHaveLength(6)
  })

  it('judges each deadline by the periods’ ends and names who misses it, with the reason', async () => {
    const roadmap = await roadmapOf(QUERY)
    for (const s of roadmap.scenarios) {
      if (!s.feasible) throw new Error('infeasible scenario')
      const [all, hospital] = s.deadlines
      expect(all?.date).toBe(roadmap.round.deadlines.other)
      expect(hospital?.date).toBe(roadmap.round.deadlines.hospital)
      expect(all?.of).toBe(roadmap.facilities.length)
      // Live by 31/12/2026 means scheduled in period 1 (the only one ending by then).
      const inTime = new Set(s.periods[0]?.facilityIds ?? [])
      const missing = roadmap.facilities.filter((f) => !inTime.has(f.facilityId))
      expect(all?.missing.map((m) => m.facilityId)).toEqual(missing.map((f) => f.facilityId))
      for (const m of all?.missing ?? []) {
        const period = s.periods.find((p) => p.facilityIds.includes(m.facilityId))
        if (period) expect(m.reason).toEqual({ kind: 'late', periodId: period.id, end: period.end })
        else expect(['noRoom', 'noUplift', 'notEligible']).toContain(m.reason.kind)
      }
      // No period ends by the hospitals' 30/9/2025: every hospital misses it.
      const hospitals = roadmap.facilities.filter((f) => f.facilityClass === 'hospital')
      expect(hospital?.of).toBe(hospitals.length)
      expect(hospital?.missing).toHaveLength(hospitals.length)
      expect(hospital?.metBy).toBeNull()
    }
  })

  it('limits a province reviewer’s roadmap to their province', async () => {
    const roadmap = await roadmapOf(QUERY, { kind: 'province', provinceCode: '38' } as never)
    expect(roadmap.facilities.length).toBeGreaterThan(0)
    expect(roadmap.facilities.every((f) => f.provinceCode === '38')).toBe(true)
  })
})

describe('the roadmap page', () => {
  it('shows the ministry two scenarios side by side, each with its method and deadlines', async () => {
    const response = await ministry.request(`/waves/roadmap?${QUERY}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('Kịch bản: 30 tỷ đồng mỗi kỳ')
    expect(html).toContain('Kịch bản: 60 tỷ đồng mỗi kỳ')
    expect(html).toMatch(/Phương pháp: (một bài toán quy hoạch nguyên|các đợt tối ưu liên tiếp)/)
    expect(html).toContain('Mọi cơ sở trước 31/12/2026')
    expect(html).toContain('Cơ sở lỡ hạn 31/12/2026')
    expect(html).toContain('Các bệnh viện trước 30/09/2025')
  })

  it('explains an infeasible scenario with its conflicts, as the planner words them', async () => {
    // Two facilities per province in the first period cannot fit a capacity of six.
    const query = `${QUERY}&provinceMin=2`
    const roadmap = await roadmapOf(query)
    const infeasible = roadmap.scenarios.find((s) => !s.feasible)
    expect(infeasible).toBeDefined()
    const html = await (await ministry.request(`/waves/roadmap?${query}`)).text()
    expect(html).toMatch(/Không lộ trình nào đáp ứng các hạn mức/)
    expect(html).toMatch(/vượt số cơ sở tối đa 6/)
  })

  it('shows only the form when nothing is asked, and lists bad input by field', async () => {
    const blank = await ministry.request('/waves/roadmap')
    expect(blank.status).toBe(200)
    expect(await blank.text()).not.toContain('Kịch bản:')
    const bad = await ministry.request(
      '/waves/roadmap?start=2027-02-30&budgets=500&periods=0&costMode=perFacility',
    )
    expect(bad.status).toBe(200)
    const html = await bad.text()
    expect(html).toContain('Ghi ngày mùng 1 của một tháng theo dạng YYYY-MM-DD')
    expect(html).toContain('Nhập từ 2 đến 4 mức ngân sách')
    expect(html).toContain('Chi phí theo từng cơ sở cần ít nhất một dòng chi phí')
    expect(html).not.toContain('Kịch bản:')
  })

  it('shows a province reviewer their province only, and refuses directors', async () => {
    const html = await (await province.request(`/waves/roadmap?${QUERY}`)).text()
    expect(html).toContain('Kịch bản: 30 tỷ đồng mỗi kỳ')
    expect(html).not.toContain('(Cao Bằng')
    const refused = await director.request(`/waves/roadmap?${QUERY}`)
    expect(refused.status).toBe(403)
  })
})
