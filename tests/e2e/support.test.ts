/**
 * What support buys (#21): a province reviewer opens the support page and
 * sees their province's curve and its table, with the figures of the seeded
 * data (computed here by the app's own module on the same database), then
 * types a budget and is told how many facilities it lifts.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db/client.ts'
import { formatNumber } from '../../app/utils/number-format.ts'
import { todayInVietnam } from '../../app/utils/time.server.ts'
import { parseSupportSearch } from '../../app/waves/support-params.server.ts'
import { buildSupportCurves, type ProvinceSupport } from '../../app/waves/support.server.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

const bn = (vnd: number) => formatNumber(vnd / 1_000_000_000, 'vi', 0, 3)
/** "1.300,5" (Vietnamese) → 1300.5 */
const parseVi = (text: string) => Number(text.trim().replace(/\./g, '').replace(',', '.'))

/** Thanh Hoá's curve on the browser tests' database, as the page computes it. */
async function thanhHoa(): Promise<ProvinceSupport> {
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const parsed = parseSupportSearch(new URLSearchParams(), 'vi')
    if (!parsed.success) throw new Error('bad default params')
    const built = await buildSupportCurves(
      db,
      { kind: 'province', provinceCode: '38' },
      parsed.data.wave,
      todayInVietnam(),
    )
    if (!('support' in built)) throw new Error(JSON.stringify(built))
    const province = built.support.provinces.find((p) => p.code === '38')
    if (!province) throw new Error('no facility of Thanh Hoá in the plan')
    return province
  } finally {
    await db.destroy()
  }
}

describe('support curve', () => {
  it('a province view shows its support curve', async () => {
    const expected = await thanhHoa()
    // The seed has Thanh Hoá facilities below R2 that costed actions lift: a curve to see.
    expect(expected.curve.length).toBeGreaterThan(1)
    const last = expected.curve.at(-1)
    const second = expected.curve[1]
    if (!last || !second) throw new Error('curve too short')

    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'soyte.thanhhoa')
    await page.goto(`${BASE_URL}/waves/support`)
    await page.getByRole('heading', { level: 1, name: 'Hỗ trợ nâng mức theo tỉnh' }).waitFor()
    await page.getByRole('heading', { name: `Đường cong hỗ trợ: ${expected.name}` }).waitFor()
    await expect
      .poll(() => page.getByTestId('support-lead').textContent())
      .toBe(
        `${bn(last.cumulativeVnd)} tỷ đồng hỗ trợ nâng ${last.lifted} cơ sở của ${expected.name} lên R2.`,
      )
    await page.getByRole('figure', { name: /^Biểu đồ bậc thang/ }).waitFor()

    const table = page.getByRole('table', { name: 'Các điểm của đường cong' })
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.children).map((c) => c.textContent ?? '')),
      )
    expect(rows.map((r) => r[2])).toEqual(expected.curve.map((s) => s.facility.code))
    // The page's own figures hold together: each row adds its facility's cost to the one before,
    // cheapest first, and counts one more facility.
    let sum = 0
    rows.forEach((r, k) => {
      const own = parseVi(r[5] ?? '')
      sum += own
      expect(parseVi(r[0] ?? '')).toBe(k + 1)
      expect(parseVi(r[1] ?? '')).toBeCloseTo(sum, 3)
      if (k > 0) expect(own).toBeGreaterThanOrEqual(parseVi(rows[k - 1]?.[5] ?? ''))
      expect(r[6]?.length ?? 0).toBeGreaterThan(0)
    })
    // No other province in a province reviewer's view.
    const provinces = await page
      .getByTestId('support-provinces')
      .locator('tbody th')
      .allTextContents()
    expect(provinces).toEqual([expected.name])

    // A budget that buys exactly the two cheapest uplifts.
    await page.getByLabel('Ngân sách hỗ trợ (tỷ đồng)').fill(String(second.cumulativeVnd / 1e9))
    await page.getByRole('button', { name: 'Xem đường cong' }).click()
    await expect
      .poll(() => page.getByTestId('support-budget').textContent(), { timeout: 60_000 })
      .toBe(
        `Với ${bn(second.cumulativeVnd)} tỷ đồng, 2 cơ sở được nâng lên R2 (chi ${bn(second.cumulativeVnd)} tỷ đồng, còn 0 tỷ đồng).`,
      )
    await context.close()
  })
})
