/** A ministry reviewer builds a wave with a province minimum and downloads the lists. */
import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signIn } from './browser.ts'

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
    await page.getByLabel('Số cơ sở tối đa').fill('40')
    await page.getByLabel('Ngân sách (tỷ đồng)').fill('400')
    await page.getByLabel('Tối thiểu mỗi tỉnh').fill('1')
    await page.getByRole('button', { name: 'Lập danh sách' }).click()
    // The page already shows a default plan: wait for the one with these parameters.
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/provinceMin=1/)
    await expect
      .poll(() => page.getByTestId('selected-count').textContent())
      .toBe('Được chọn: 40 cơ sở')
    expect(await page.getByTestId('price-of-equity').textContent()).toMatch(
      /Cái giá của công bằng: \d+/,
    )

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải CSV' }).click(),
    ])
    const csvText = readFileSync((await csv.path()) ?? '', 'utf8')
    expect(csvText.charCodeAt(0)).toBe(0xfeff)
    expect(csvText.split('\r\n').filter((l) => l.includes(',selected,')).length).toBe(40)

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải Excel (XLSX)' }).click(),
    ])
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile((await xlsx.path()) ?? '')
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Ranked', 'Parameters', 'Methodology'])
    await context.close()
  })
})
