/**
 * The support-curve page (#21): the module on the seeded round (each
 * province's curve is its below-level facilities' cheapest uplifts, the
 * roadmap's own, cheapest first and summed; nobody below the level is
 * dropped), then through the real server: a province reviewer sees their
 * province only, the ministry every province and the one it picks, bad input
 * is listed by field, directors are refused.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatNumber } from '../../app/utils/number-format.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { parseRoadmapSearch } from '../../app/waves/roadmap-params.server.ts'
import { buildRoadmap } from '../../app/waves/roadmap.server.ts'
import { parseSupportSearch } from '../../app/waves/support-params.server.ts'
import {
  buildSupportCurves,
  spendOnCurve,
  type SupportCurves,
} from '../../app/waves/support.server.ts'
import type { FacilityFilter } from '../../app/utils/auth.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let ministry: TestClient
let province: TestClient
let director: TestClient

const bn = (vnd: number) => formatNumber(vnd / 1_000_000_000, 'vi', 0, 3)

async function supportOf(query: string, filter: FacilityFilter = { kind: 'all' }) {
  const parsed = parseSupportSearch(new URLSearchParams(query), 'vi')
  if (!parsed.success) throw new Error(JSON.stringify(parsed.fieldErrors))
  const built = await buildSupportCurves(db, filter, parsed.data.wave, todayInVietnam())
  if (!('support' in built)) throw new Error(JSON.stringify(built))
  return built.support
}

function provinceOf(support: SupportCurves, code: string) {
  const found = support.provinces.find((p) => p.code === code)
  if (!found) throw new Error(`no province ${code}`)
  return found
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

describe('the support curves', () => {
  it('are each province’s below-level uplifts as the roadmap computes them, cheapest first and summed', async () => {
    const support = await supportOf('')
    const parsed = parseRoadmapSearch(new URLSearchParams('periods=1'), 'vi', todayInVietnam())
    if (!parsed.success) throw new Error('bad roadmap params')
    const built = await buildRoadmap(db, { kind: 'all' }, parsed.data, todayInVietnam())
    if (!('roadmap' in built)) throw new Error(JSON.stringify(built))
    const rows = new Map(built.roadmap.facilities.map((f) => [f.facilityId, f]))
    // The seeded round has below-level facilities that costed actions lift.
    expect(support.provinces.some((p) => p.curve.length > 0)).toBe(true)
    for (const p of support.provinces) {
      let total = 0
      p.curve.forEach((step, k) => {
        const row = rows.get(step.facility.facilityId)
        expect(row?.provinceCode).toBe(p.code)
        expect(row?.meetsMinLevel).toBe(false)
        // One uplift for the roadmap and this page.
        expect(step.costVnd).toBe(row?.upliftCostVnd)
        expect(step.actions).toEqual(row?.upliftActions)
        total += step.costVnd
        expect(step.cumulativeVnd).toBe(total)
        expect(step.lifted).toBe(k + 1)
        const next = p.curve[k + 1]
        if (next) expect(next.costVnd).toBeGreaterThanOrEqual(step.costVnd)
      })
      for (const f of p.unreachable) {
        expect(rows.get(f.facilityId)?.upliftCostVnd).toBeNull()
        expect(rows.get(f.facilityId)?.meetsMinLevel).toBe(false)
      }
      for (const f of p.notEligible) expect(f.exclusions.length).toBeGreaterThan(0)
      // Nobody is hidden: every facility of the province is at the level, on the curve or listed.
      const inProvince = built.roadmap.facilities.filter((f) => f.provinceCode === p.code)
      expect(p.facilities).toBe(inProvince.length)
      expect(p.atLevel + p.curve.length + p.unreachable.length + p.notEligible.length).toBe(
        p.facilities,
      )
      expect(p.atLevel).toBe(inProvince.filter((f) => f.meetsMinLevel).length)
    }
  })

  it('reads a budget off a curve: the cumulative cost of N lifts N, a dong less lifts N − 1', async () => {
    const support = await supportOf('')
    const p = support.provinces.find((x) => x.curve.length >= 2)
    if (!p) throw new Error('no province with two liftable facilities')
    const second = p.curve[1]?.cumulativeVnd ?? 0
    expect(spendOnCurve(p.curve, second)).toEqual({ lifted: 2, spentVnd: second })
    expect(spendOnCurve(p.curve, second - 1)).toEqual({
      lifted: 1,
      spentVnd: p.curve[0]?.cumulativeVnd,
    })
    expect(spendOnCurve(p.curve, 0)).toEqual({ lifted: 0, spentVnd: 0 })
  })

  it('keeps a province’s curve the same whether built for the province or nationally', async () => {
    const national = provinceOf(await supportOf(''), '38')
    const own = await supportOf('', { kind: 'province', provinceCode: '38' })
    expect(own.provinces.map((p) => p.code)).toEqual(['38'])
    expect(provinceOf(own, '38')).toEqual(national)
  })
})

describe('the support page', () => {
  it('shows a province reviewer their province’s curve and table, and no other province', async () => {
    const curve = provinceOf(await supportOf('', { kind: 'province', provinceCode: '38' }), '38')
    const last = curve.curve.at(-1)
    if (!last) throw new Error('province 38 has no liftable facility')
    const response = await province.request('/waves/support')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`Đường cong hỗ trợ: ${curve.name}`)
    expect(html).toContain(
      `${bn(last.cumulativeVnd)} tỷ đồng hỗ trợ nâng ${last.lifted} cơ sở của ${curve.name} lên R2.`,
    )
    for (const step of curve.curve) expect(html).toContain(`<td>${step.facility.code}</td>`)
    expect(html).not.toContain('Cao Bằng')
    // Another province is outside their scope: said so, nothing computed.
    const other = await (await province.request('/waves/support?province=04')).text()
    expect(other).toContain('Tỉnh mã 04 không thuộc phạm vi của bạn.')
    expect(other).not.toContain('Đường cong hỗ trợ:')
  })

  it('says what a typed budget buys', async () => {
    const curve = provinceOf(await supportOf('', { kind: 'province', provinceCode: '38' }), '38')
    const first = curve.curve[0]
    if (!first) throw new Error('province 38 has no liftable facility')
    const budget = first.cumulativeVnd / 1_000_000_000
    const html = await (await province.request(`/waves/support?supportBn=${budget}`)).text()
    expect(html).toContain(
      `Với ${bn(first.cumulativeVnd)} tỷ đồng, 1 cơ sở được nâng lên R2 (chi ${bn(first.cumulativeVnd)} tỷ đồng, còn 0 tỷ đồng).`,
    )
  })

  it('shows the ministry every province, and the curve of the one it picks', async () => {
    const support = await supportOf('')
    const html = await (await ministry.request('/waves/support')).text()
    expect(html).toContain('Chọn một tỉnh để xem đường cong')
    expect(html).not.toContain('Đường cong hỗ trợ:')
    for (const p of support.provinces) expect(html).toContain(`province=${p.code}`)
    const picked = await (await ministry.request('/waves/support?province=38')).text()
    expect(picked).toContain(`Đường cong hỗ trợ: ${provinceOf(support, '38').name}`)
  })

  it('lists bad input by field and computes nothing', async () => {
    const html = await (
      await ministry.request('/waves/support?supportBn=1.0005&province=x&minLevel=Q2&basis=both')
    ).text()
    expect(html).toContain('Ghi số tỷ đồng với tối đa ba chữ số thập phân')
    expect(html).toContain('Mã tỉnh gồm hai chữ số.')
    expect(html).toContain('Mức có dạng R0 … R9.')
    expect(html).toContain('Chỉ nhận một trong: declared, verified.')
    expect(html).not.toContain('Theo tỉnh')
    const unknown = await (await ministry.request('/waves/support?province=99')).text()
    expect(unknown).toContain('Không có tỉnh mã 99.')
    const noLevel = await (await ministry.request('/waves/support?minLevel=R9')).text()
    expect(noLevel).toContain('không có mức R9')
  })

  it('refuses directors', async () => {
    const refused = await director.request('/waves/support')
    expect(refused.status).toBe(403)
  })
})
