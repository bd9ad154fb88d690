/**
 * The national roadmap (#21): a ministry reviewer builds two budget
 * scenarios, sees who misses 31/12/2026 in each, saves the set and
 * downloads its XLSX.
 */
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_URL, launchBrowser, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

describe('national roadmap', () => {
  it('compares two budget scenarios, shows who misses 31/12/2026 in each, saves them and downloads the XLSX', async () => {
    const context = await browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    await signIn(page, 'boyte')
    await page.goto(`${BASE_URL}/waves/roadmap`)
    await page.getByRole('heading', { level: 1, name: 'Lộ trình quốc gia' }).waitFor()
    await page.getByLabel(/^Ngày đầu kỳ thứ nhất/).fill('2026-01-01')
    await page.getByLabel('Số kỳ', { exact: true }).fill('3')
    await page.getByLabel('Số cơ sở tối đa mỗi kỳ').fill('6')
    await page.getByLabel(/^Các kịch bản ngân sách/).fill('30, 60')
    await page.getByRole('button', { name: 'Lập lộ trình' }).click()
    await expect.poll(() => page.url(), { timeout: 60_000 }).toMatch(/budgets=30%2C\+60/)
    await page.getByRole('heading', { name: 'Kịch bản: 30 tỷ đồng mỗi kỳ' }).waitFor()
    await page.getByRole('heading', { name: 'Kịch bản: 60 tỷ đồng mỗi kỳ' }).waitFor()
    await page.getByRole('heading', { name: 'Cơ sở lỡ hạn 31/12/2026' }).waitFor()

    // One column per scenario: 30 bn makes three facilities live in 2026, 60 bn six, so
    // some facility misses the deadline under the smaller budget and not under the larger.
    const table = page.getByTestId('roadmap-misses')
    await expect
      .poll(() => table.getByRole('columnheader').allTextContents())
      .toEqual(['Mã', 'Cơ sở', 'Tỉnh', '30 tỷ/kỳ', '60 tỷ/kỳ'])
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.children).map((c) => c.textContent ?? '')),
      )
    expect(rows.some((r) => r[4] === 'kịp hạn' && r[3] !== 'kịp hạn')).toBe(true)
    expect(rows.every((r) => r[3] !== 'kịp hạn' || r[4] !== 'kịp hạn')).toBe(true)

    await page.getByLabel('Tên bộ kịch bản').fill('30 và 60 tỷ/năm')
    await page.getByRole('button', { name: 'Lưu bộ kịch bản' }).click()
    await page.getByRole('heading', { level: 1, name: '30 và 60 tỷ/năm' }).waitFor()
    expect(page.url()).toMatch(/\/waves\/roadmap\/\d+$/)

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Tệp Excel/ }).click(),
    ])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await xlsx.path()) ?? '')
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Lộ trình',
      'Các kỳ',
      'Tham số',
      'Phương pháp',
    ])
    const sheet = workbook.getWorksheet('Lộ trình')
    const header = (sheet?.getRow(1).values ?? []) as unknown[]
    const budgetCol = header.indexOf('Kịch bản (tỷ đồng mỗi kỳ)')
    const missCol = header.indexOf('Lỡ hạn 2026-12-31')
    const budgets = new Set<unknown>()
    let missing = 0
    sheet?.eachRow((row, n) => {
      if (n === 1) return
      budgets.add(row.getCell(budgetCol).value)
      if (row.getCell(missCol).value === true) missing++
    })
    expect([...budgets]).toEqual([30, 60])
    expect(missing).toBeGreaterThan(0)
    await context.close()
  })
})
