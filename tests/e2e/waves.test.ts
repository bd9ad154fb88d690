/** A ministry reviewer builds a wave with a province minimum and downloads the lists. */
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

describe('wave planner', () => {
  it('builds a wave with a province minimum, shows the price of equity, downloads CSV and XLSX', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    await signIn(page, 'boyte')
    await page.getByRole('link', { name: 'Xếp hạng đợt triển khai' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Xếp hạng đợt triển khai bệnh án điện tử' })
      .waitFor()
    // The demo round has 35 facilities at R2 or above, in 24 provinces: 30 places leave choice.
    await page.getByLabel('Số cơ sở tối đa').fill('30')
    await page.getByLabel('Ngân sách (tỷ đồng)').fill('300')
    await page.getByLabel('Tối thiểu mỗi tỉnh').fill('1')
    await page.getByRole('button', { name: 'Lập danh sách' }).click()
    // The page already shows a default plan: wait for the one with these parameters.
    await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/provinceMin=1/)
    await expect
      .poll(() => page.getByTestId('selected-count').textContent())
      .toBe('Được chọn: 30 cơ sở')
    expect(await page.getByTestId('price-of-equity').textContent()).toMatch(
      /Cái giá của công bằng: \d+/,
    )
    // Binding quotas are named by province, the budget in billions; the next in line are listed.
    await expect
      .poll(() => page.getByText(/^Ràng buộc đang chặn:/).textContent())
      .toMatch(/ngân sách: 300\/300; tối thiểu tỉnh: .*Hà Nội 1\/1/)
    await page.getByRole('heading', { name: /^Kế tiếp trong danh sách/ }).waitFor()

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải CSV' }).click(),
    ])
    const csvText = readFileSync((await csv.path()) ?? '', 'utf8')
    expect(csvText.charCodeAt(0)).toBe(0xfeff)
    expect(csvText.split('\r\n').filter((l) => l.includes(',được chọn,')).length).toBe(30)

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải Excel (XLSX)' }).click(),
    ])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await xlsx.path()) ?? '')
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Xếp hạng', 'Tham số', 'Phương pháp'])

    // Robustness runs in the background; the page polls its progress, then shows the result.
    await page.getByLabel('Số lần rút trọng số (độ vững)').fill('1000')
    await page.getByRole('button', { name: 'Lập danh sách' }).click()
    await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/draws=1000/)
    await page.getByRole('button', { name: 'Tính độ vững' }).click()
    await page.getByTestId('robustness-summary').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('robustness-summary').textContent()).toMatch(
      /Độ vững: 1\.000 lần rút/,
    )
    expect(
      await page.getByRole('columnheader', { name: 'Xác suất được chọn' }).first().isVisible(),
    ).toBe(true)

    // Save the run; it opens as stored, with its own downloads.
    await page.getByLabel('Tên lần chạy').fill('Đợt thử nghiệm e2e')
    await page.getByRole('button', { name: 'Lưu lần chạy' }).click()
    await page.getByRole('heading', { level: 1, name: 'Đợt thử nghiệm e2e' }).waitFor()
    expect(page.url()).toMatch(/\/waves\/runs\/\d+$/)
    expect(await page.getByTestId('selected-count').textContent()).toBe('Được chọn: 30 cơ sở')
    const [runCsv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải CSV' }).click(),
    ])
    const runText = readFileSync((await runCsv.path()) ?? '', 'utf8')
    expect(runText.split('\r\n').filter((l) => l.includes(',được chọn,')).length).toBe(30)
    await page.getByRole('link', { name: 'Chạy lại trên dữ liệu hôm nay' }).click()
    await page.getByRole('heading', { name: 'So với dữ liệu hôm nay' }).waitFor()
    await context.close()
  }, 120_000)

  it('a reviewer records a verified budget value and the verified-basis wave moves that facility accordingly', async () => {
    const candidates = submittedWithBudget()
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'boyte')
    // Every level, so a lower composite after the correction never takes the facility out.
    const query =
      'objective=weighted&wReadiness=0.5&wNeed=0.2&wFeasibility=0.3&minLevel=R0&capacity=300'
    type Row = {
      code: string
      rank: number | null
      priorityBp: number | null
      compositeBp: number
      priorityInputs: {
        budgetSecuredPct: number | null
        feasibility: { value: number }
        need: { value: number }
      }
    }
    const rowsOf = (basis: string) =>
      page.evaluate(async (url) => {
        const r = await fetch(url)
        return ((await r.json()) as { rows: Row[] }).rows
      }, `/api/v1/waves?${query}&basis=${basis}`)
    const declaredRows = await rowsOf('declared')
    const before = await rowsOf('verified')
    // A candidate the declared plan ranks, with verified facilities just below its priority:
    // losing the budget term (at least 0.3 · 0.5 · 50 % = 750 bp) must take it past them.
    const pick = candidates.find((c) => {
      const p = declaredRows.find((r) => r.code === c.code)?.priorityBp
      if (p === null || p === undefined) return false
      const drop = (0.3 * 0.5 * c.budget * 10000) / 100
      return before.some(
        (r) => r.priorityBp !== null && r.priorityBp < p && r.priorityBp > p - drop,
      )
    })
    if (!pick) throw new Error('no ranked candidate')
    const { assessmentId, code, budget } = pick
    const declared = declaredRows.find((r) => r.code === code)
    if (!declared?.priorityBp) throw new Error(`${code} is not ranked`)
    expect(declared.priorityInputs.budgetSecuredPct).toBe(budget)

    await page.goto(`${BASE_URL}/review/${assessmentId}`)
    const question =
      'Kinh phí đã được bảo đảm (đã phê duyệt hoặc đã bố trí) so với tổng dự toán triển khai EMR (%)'
    const row = page.getByRole('row').filter({ hasText: question })
    await row.getByText('Ghi giá trị thẩm định').click()
    await row.getByLabel(`Giá trị thẩm định: ${question}`).fill('0')
    await row.getByLabel('Lý do, căn cứ (bắt buộc)').fill('Chưa có quyết định bố trí vốn.')
    await row.getByRole('button', { name: 'Ghi giá trị' }).click()
    await page.getByText('Đã ghi giá trị thẩm định; câu trả lời tự khai được giữ nguyên.').waitFor()
    await page.getByRole('button', { name: 'Xác nhận đã thẩm định…' }).click()
    // The confirmation says the reviewer's value applies before anything is recorded.
    const confirm = page.getByTestId('confirm-verify')
    await confirm
      .getByText('Giá trị thẩm định được áp dụng thay cho câu trả lời tự khai: 1.')
      .waitFor()
    await confirm.getByRole('button', { name: 'Có, xác nhận thẩm định' }).click()
    await page.getByText('Đã xác nhận thẩm định.').waitFor()

    // The verified-basis list shows the reviewer's 0 %, marked, and the priority it gives.
    await page.goto(`${BASE_URL}/waves?${query}&basis=verified`)
    const listed = page.getByRole('row').filter({ hasText: code })
    await expect
      .poll(() => listed.first().getByTestId('budget').textContent())
      .toBe('0 % (đã thẩm định)')
    const verifiedRows = await rowsOf('verified')
    const verified = verifiedRows.find((r) => r.code === code)
    if (!verified?.priorityBp) throw new Error(`${code} is not ranked on the verified basis`)
    // Feasibility loses exactly the budget term: 0.5 · budget/100 (the autonomy and HIS terms stay).
    expect(verified.priorityInputs.feasibility.value).toBeCloseTo(
      declared.priorityInputs.feasibility.value - (0.5 * budget) / 100,
      12,
    )
    expect(verified.priorityBp).toBe(
      Math.round(
        10000 *
          (0.5 * (verified.compositeBp / 10000) +
            0.2 * verified.priorityInputs.need.value +
            0.3 * verified.priorityInputs.feasibility.value),
      ),
    )
    // It moves down past every verified facility between its declared and its verified priority.
    const overtaking = verifiedRows.filter(
      (r) =>
        r.code !== code &&
        r.priorityBp !== null &&
        r.priorityBp < (declared.priorityBp ?? 0) &&
        r.priorityBp > (verified.priorityBp ?? 0),
    )
    const placeWithDeclared =
      1 +
      verifiedRows.filter(
        (r) => r.code !== code && (r.priorityBp ?? -1) > (declared.priorityBp ?? 0),
      ).length
    expect(overtaking.length).toBeGreaterThan(0)
    expect(verified.rank).toBeGreaterThanOrEqual(placeWithDeclared + overtaking.length)
    await context.close()
  }, 120_000)

  it("prints a facility's report on one A4 page", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.bachmai')
    await page.goto(`${BASE_URL}/results`)
    const apiStatus = await page.evaluate(async () => {
      const r = await fetch('/api/v1/waves')
      return r.status
    })
    // A director has no access to the wave API.
    expect(apiStatus).toBe(403)
    // The director reaches it from their result page.
    await page.getByRole('link', { name: 'Báo cáo một trang (in hoặc lưu PDF)' }).click()
    await expect.poll(() => page.url()).toBe(`${BASE_URL}/facilities/${readFacilityId()}/report`)
    await page
      .getByRole('heading', { level: 1, name: /Báo cáo mức sẵn sàng bệnh án điện tử/ })
      .waitFor()
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('button', { name: 'In báo cáo' }).isVisible()).toBe(false)
    expect(await page.locator('.app-header').isVisible()).toBe(false)
    // Chromium's own print-to-PDF, as "Print → Save as PDF" does: one A4 page.
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true })
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
    expect(pages).toHaveLength(1)
    await context.close()
  })
})

describe('accessibility of the planner', () => {
  it('the plan, an infeasible request, the runs list and a report have no serious or critical axe violation (en)', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'boyte')
    await page.getByRole('button', { name: 'Chuyển ngôn ngữ' }).click()
    await page.getByRole('heading', { level: 1 }).waitFor()
    const paths = [
      '/waves?capacity=40&provinceMin=1',
      '/waves?capacity=10&provinceMin=1',
      '/waves/runs',
      `/facilities/${readFacilityId()}/report`,
    ]
    for (const path of paths) {
      await page.goto(`${BASE_URL}${path}`)
      await page.locator('main h1').waitFor()
      const results = await new AxeBuilder({ page }).analyze()
      const bad = results.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      )
      expect(bad.map((v) => `${path}: ${v.id} ${v.nodes[0]?.target.join(' ') ?? ''}`)).toEqual([])
    }
    // The infeasible request is explained in English, with the figures.
    await page.goto(`${BASE_URL}/waves?capacity=10&provinceMin=1`)
    expect(await page.getByRole('alert').textContent()).toMatch(
      /The minimums \(.*\) add up to \d+ facilities, above the capacity of 10\./,
    )
    await context.close()
  }, 60_000)
})

/**
 * A submitted, not yet verified assessment of the current round whose declared budget is well
 * above zero, at a facility that is public (so the autonomy term applies) and has no EMR live.
 */
function submittedWithBudget(): Array<{ assessmentId: number; code: string; budget: number }> {
  const sqlite = new Database(E2E_DB_PATH, { readonly: true })
  try {
    const rows: unknown[] = sqlite
      .prepare(
        `SELECT a.id AS assessmentId, f.code AS code,
                json_extract(a.answers, '$.emr_budget_secured_pct') AS budget
           FROM assessments a JOIN facilities f ON f.id = a.facility_id
          WHERE a.status = 'submitted' AND f.ownership = 'public' AND f.emr_status != 'live'
            AND f.code NOT IN ('38001', '01001', '04004')
            -- review-confirm.test.ts verifies and counts Cao Bằng's submissions.
            AND f.province_code != '04'
            AND a.round_id = (SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1)
            AND json_extract(a.answers, '$.emr_budget_secured_pct') >= 50
          ORDER BY f.code`,
      )
      .all()
    return rows.flatMap((row) =>
      typeof row === 'object' &&
      row !== null &&
      'assessmentId' in row &&
      typeof row.assessmentId === 'number' &&
      'code' in row &&
      typeof row.code === 'string' &&
      'budget' in row &&
      typeof row.budget === 'number'
        ? [{ assessmentId: row.assessmentId, code: row.code, budget: row.budget }]
        : [],
    )
  } finally {
    sqlite.close()
  }
}

function readFacilityId(): number {
  const sqlite = new Database(E2E_DB_PATH, { readonly: true })
  try {
    const row: unknown = sqlite.prepare("SELECT id FROM facilities WHERE code = '01001'").get()
    if (typeof row === 'object' && row !== null && 'id' in row && typeof row.id === 'number')
      return row.id
    throw new Error('facility 01001 is not in the e2e database')
  } finally {
    sqlite.close()
  }
}
