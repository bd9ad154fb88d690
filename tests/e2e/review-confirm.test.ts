/**
 * Reviewer pages without surprises, in Chromium: verify and unlock ask for
 * confirmation with the score that will be recorded; the review queue
 * filters, pages and selects every matching submission for a bulk
 * verification that names what it refuses; the facilities table sends its
 * ticked rows to the comparison; examples come from the reviewer's scope.
 * Uses Cao Bằng's submissions (the review loop test uses Thanh Hoá's).
 */
import SQLite from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

let browser: Browser

function withDb<T>(run: (db: SQLite.Database) => T): T {
  const db = new SQLite(E2E_DB_PATH)
  try {
    db.pragma('busy_timeout = 5000')
    return run(db)
  } finally {
    db.close()
  }
}

/** The current round's assessment of a facility, by code. */
function assessmentOf(code: string): { id: number; status: string; version: number } {
  return withDb(
    (db) =>
      db
        .prepare(
          `SELECT a.id, a.status, a.version FROM assessments a
           JOIN facilities f ON f.id = a.facility_id
           WHERE f.code = ? AND a.round_id = (SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1)`,
        )
        .get(code) as { id: number; status: string; version: number },
  )
}

/** True when the element with this test id, or its focus wrapper, holds the focus. */
async function focusedAround(page: Page, testId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const target = document.querySelector(`[data-testid="${id}"]`)
    const active = document.activeElement
    return target !== null && active !== null && (active === target || active.contains(target))
  }, testId)
}

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

describe('confirmations', () => {
  it('verify shows the score to be recorded first; unlock shows the reason; each result is focused', async () => {
    const before = assessmentOf('04001')
    expect(before.status).toBe('submitted')
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'soyte.caobang')
    await page.goto(`${BASE_URL}/review/${before.id}`)
    await page.getByRole('button', { name: 'Xác nhận đã thẩm định…' }).click()
    const confirm = page.getByTestId('confirm-verify')
    await confirm
      .getByRole('heading', { name: 'Xác nhận thẩm định Bệnh viện Đa khoa tỉnh Cao Bằng?' })
      .waitFor()
    expect(await page.getByTestId('confirm-record').textContent()).toMatch(/\d+,\d{2} điểm · /)
    await expect.poll(() => focusedAround(page, 'confirm-verify')).toBe(true)
    // Nothing was written by asking.
    expect(assessmentOf('04001')).toEqual(before)

    // Cancelling leaves it as it was.
    await confirm.getByRole('link', { name: 'Hủy, không thay đổi gì' }).click()
    await page.getByTestId('confirm-verify').waitFor({ state: 'detached' })
    expect(assessmentOf('04001').status).toBe('submitted')

    await page.getByRole('button', { name: 'Xác nhận đã thẩm định…' }).click()
    await page.getByRole('button', { name: 'Có, xác nhận thẩm định' }).click()
    const done = page.getByRole('status').filter({ hasText: 'Đã xác nhận thẩm định.' })
    await done.waitFor()
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toContain('Đã xác nhận thẩm định.')
    expect(assessmentOf('04001').status).toBe('verified')

    await page.getByLabel('Lý do mở khóa (bắt buộc)').fill('Cơ sở xin sửa số giường.')
    await page.getByRole('button', { name: 'Mở khóa để sửa…' }).click()
    const unlock = page.getByTestId('confirm-unlock')
    await unlock.getByText('Cơ sở xin sửa số giường.').waitFor()
    expect(await unlock.textContent()).toContain('Điểm đã thẩm định hiện tại')
    expect(assessmentOf('04001').status).toBe('verified')
    await unlock.getByRole('button', { name: 'Có, mở khóa' }).click()
    await page.getByRole('status').filter({ hasText: 'Đã mở khóa' }).waitFor()
    expect(assessmentOf('04001').status).toBe('returned')
  })
})

describe('review queue', () => {
  it('filters and pages; "select all matching" confirms, names a refused item, then verifies', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'boyte')
    await page.goto(`${BASE_URL}/review`)
    // The ministry sees every province's submissions: more than one page.
    const pager = page.getByRole('navigation', { name: 'Trang' })
    await pager.getByText(/Trang 1\/\d+/).waitFor()
    await pager.getByRole('link', { name: 'Trang sau →' }).click()
    await pager.getByText(/Trang 2\/\d+/).waitFor()

    await page.getByLabel('Tỉnh', { exact: true }).selectOption({ label: 'Cao Bằng' })
    await page.getByLabel('Tuyến', { exact: true }).selectOption('basic')
    await page.getByLabel('Tìm theo tên (không cần dấu)').fill('trung khanh')
    await page.getByRole('button', { name: 'Lọc', exact: true }).click()
    await expect
      .poll(() => page.getByTestId('queue-count').textContent())
      .toMatch(/^Số bản khớp bộ lọc: 1 \(/)
    expect(new URL(page.url()).searchParams.get('page')).toBeNull()
    await page.getByRole('row', { name: /Trung tâm Y tế khu vực Trùng Khánh/ }).waitFor()

    const target = assessmentOf('04006')
    await page.getByRole('button', { name: 'Chọn tất cả 1 bản khớp bộ lọc…' }).click()
    const confirm = page.getByTestId('bulk-confirm')
    await confirm.getByRole('heading', { name: 'Xác nhận thẩm định 1 bản?' }).waitFor()
    await confirm.getByRole('rowheader', { name: /Trùng Khánh/ }).waitFor()
    await expect.poll(() => focusedAround(page, 'bulk-confirm')).toBe(true)
    expect(assessmentOf('04006')).toEqual(target)

    // The facility changes it meanwhile: the batch is refused, the item named.
    withDb((db) =>
      db.prepare('UPDATE assessments SET version = version + 1 WHERE id = ?').run(target.id),
    )
    await confirm.getByRole('button', { name: 'Có, xác nhận thẩm định 1 bản' }).click()
    const refused = page.getByTestId('bulk-refused')
    await refused.waitFor()
    expect(await refused.textContent()).toContain(
      'Trung tâm Y tế khu vực Trùng Khánh (04006): cơ sở hoặc người thẩm định khác vừa thay đổi bản này',
    )
    expect(await refused.textContent()).not.toContain(String(target.id))
    await expect.poll(() => focusedAround(page, 'bulk-refused')).toBe(true)
    expect(assessmentOf('04006').status).toBe('submitted')

    await page.reload()
    await page.getByRole('button', { name: 'Chọn tất cả 1 bản khớp bộ lọc…' }).click()
    await page.getByRole('button', { name: 'Có, xác nhận thẩm định 1 bản' }).click()
    const done = page.getByTestId('bulk-done')
    await done.waitFor()
    expect(await done.textContent()).toContain('Đã xác nhận thẩm định 1 bản')
    expect(await done.textContent()).toContain('Trung tâm Y tế khu vực Trùng Khánh')
    await expect.poll(() => focusedAround(page, 'bulk-done')).toBe(true)
    expect(assessmentOf('04006').status).toBe('verified')
  })

  it('ticks rows for bulk verification and counts them', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'soyte.caobang')
    await page.goto(`${BASE_URL}/review`)
    // A province reviewer has no province to choose, and examples from their own province.
    expect(await page.getByLabel('Tỉnh', { exact: true }).count()).toBe(0)
    expect(
      await page.getByLabel('Tìm theo tên (không cần dấu)').getAttribute('placeholder'),
    ).toMatch(/cao bang/)
    await page.getByRole('checkbox', { name: 'Chọn cả trang' }).check()
    const rows = await page.getByRole('checkbox', { name: /^Chọn: / }).count()
    expect(rows).toBeGreaterThan(0)
    await page.getByRole('button', { name: `Xác nhận thẩm định ${rows} bản đã chọn…` }).waitFor()
    await page.getByRole('button', { name: `Xác nhận thẩm định ${rows} bản đã chọn…` }).click()
    await page
      .getByTestId('bulk-confirm')
      .getByRole('heading', { name: `Xác nhận thẩm định ${rows} bản?` })
      .waitFor()
  })
})

describe('compare selected', () => {
  it('sends the ticked facilities of the table to the comparison', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'boyte')
    await page.goto(`${BASE_URL}/facilities?q=cao+bang`)
    await page
      .getByRole('checkbox', { name: 'Chọn để so sánh: Bệnh viện Đa khoa tỉnh Cao Bằng' })
      .check()
    await page
      .getByRole('checkbox', { name: 'Chọn để so sánh: Bệnh viện Tâm thần tỉnh Cao Bằng' })
      .check()
    await page.getByRole('status').filter({ hasText: 'Đã chọn 2' }).waitFor()
    await page.getByRole('button', { name: /So sánh các cơ sở đã chọn/ }).click()
    await expect.poll(() => page.url()).toMatch(/\/compare\?ids=\d+,\d+$/)
    const table = page.getByRole('table').filter({ hasText: 'Điểm tổng hợp (mức)' })
    for (const name of ['Bệnh viện Đa khoa tỉnh Cao Bằng', 'Bệnh viện Tâm thần tỉnh Cao Bằng'])
      await table
        .getByRole('columnheader', { name: new RegExp(name) })
        .first()
        .waitFor()
  })

  it('gives a province reviewer example codes from their own province', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'soyte.caobang')
    await page.goto(`${BASE_URL}/compare`)
    const placeholder =
      (await page.getByLabel('Mã cơ sở (cách nhau bởi dấu phẩy)').getAttribute('placeholder')) ?? ''
    expect(placeholder).toMatch(/04\d{3}/)
    expect(placeholder).not.toMatch(/\b(?!04)\d{5}\b/)
  })
})

describe('round overview and audit page', () => {
  it('has a totals row and percentages; a province links to its filtered facilities list', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'boyte')
    await page.goto(`${BASE_URL}/rounds/overview`)
    const table = page.getByTestId('overview-status')
    const total = table.locator('tfoot tr')
    expect(await total.getByRole('rowheader').textContent()).toBe('Toàn phạm vi')
    expect(await table.textContent()).toMatch(/\(\d+(,\d+)?%\)/)
    await table.getByRole('link', { name: 'Cao Bằng', exact: true }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('province')).toBe('04')
    await page.getByRole('heading', { level: 1 }).waitFor()
    const count = (await page.getByTestId('facility-count').textContent()) ?? ''
    expect(count).toMatch(/^\d+ cơ sở$/)
    expect(count).not.toBe('0 cơ sở')
  })

  it('reads as sentences in Vietnam time, with the codes folded into a details line', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'boyte')
    await page.goto(`${BASE_URL}/audit?action=assessment.verify`)
    const first = page.getByTestId('audit-rows').getByRole('listitem').first()
    // Verified earlier in this file by the Cao Bằng reviewer.
    expect(await first.locator('p').first().textContent()).toMatch(
      /đã xác nhận thẩm định bản tự đánh giá của .+ lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/,
    )
    await first.locator('p').first().getByRole('link').waitFor()
    expect(await first.locator('details code').first().isVisible()).toBe(false)
    await page.getByTestId('audit-chain').waitFor()
  })
})
