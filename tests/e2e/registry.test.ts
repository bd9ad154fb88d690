/** An administrator imports a registry file with errors, fixes it and imports it. */
import AxeBuilder from '@axe-core/playwright'
import Database from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

const HEADER = 'mã cơ sở;tên cơ sở;tỉnh/thành phố;tuyến;loại hình;số giường;nhóm tự chủ'
const file = (...rows: string[]) => ({
  name: 'danh-muc.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`, 'utf8'),
})

function countCodes(prefix: string): number {
  const db = new Database(E2E_DB_PATH, { readonly: true })
  try {
    const row = db
      .prepare('SELECT count(*) AS n FROM facilities WHERE code LIKE ?')
      .get(`${prefix}%`) as { n: number }
    return row.n
  } finally {
    db.close()
  }
}

describe('facility registry', () => {
  it('refuses a file row by row, writing nothing, then imports the fixed file', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'quantri')
    await page.getByRole('link', { name: 'Danh mục cơ sở' }).click()
    await page.getByRole('heading', { level: 1, name: 'Danh mục cơ sở y tế' }).waitFor()
    await page.getByRole('link', { name: 'Nhập tệp danh mục' }).click()
    await page.getByRole('heading', { level: 1, name: 'Nhập tệp danh mục cơ sở' }).waitFor()

    await page
      .getByLabel('Tệp danh mục (CSV hoặc XLSX)')
      .setInputFiles(
        file(
          'E2E-01;Bệnh viện Đa khoa Hà Giang;Hà Giang;tỉnh;công lập;500;2',
          'E2E-02;Bệnh viện Tư nhân An Bình;TP. Hồ Chí Minh;cơ bản;ngoài công lập;mười;',
          'E2E-03;Bệnh viện Đa khoa Hà Tây;Hà Tây;tỉnh;công lập;300;2',
        ),
      )
    await page.getByRole('button', { name: 'Xem trước' }).click()
    await page.getByRole('alert').filter({ hasText: 'Chưa ghi gì' }).waitFor()
    const errors = page.getByTestId('registry-errors')
    await expect.poll(() => errors.getByRole('row').count()).toBe(3)
    expect(await errors.getByRole('row').nth(1).textContent()).toContain('số giường')
    expect(await errors.getByRole('row').nth(1).textContent()).toContain('mười')
    expect(await errors.getByRole('row').nth(2).textContent()).toContain('Hà Tây')
    expect(await errors.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe('3')
    expect(await page.getByRole('button', { name: /^Áp dụng/ }).count()).toBe(0)
    expect(countCodes('E2E-')).toBe(0)
    const axe = await new AxeBuilder({ page }).analyze()
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([])

    await page
      .getByLabel('Tệp danh mục (CSV hoặc XLSX)')
      .setInputFiles(
        file(
          'E2E-01;Bệnh viện Đa khoa Hà Giang;Hà Giang;tỉnh;công lập;500;2',
          'E2E-02;Bệnh viện Tư nhân An Bình;TP. Hồ Chí Minh;cơ bản;ngoài công lập;10;',
          'E2E-03;Bệnh viện Đa khoa Hà Đông;Hà Nội;tỉnh;công lập;300;2',
        ),
      )
    await page.getByRole('button', { name: 'Xem trước' }).click()
    await page.getByTestId('registry-inserts').waitFor()
    expect(await page.getByTestId('registry-inserts').textContent()).toContain('Tuyên Quang (08)')
    await page.getByRole('button', { name: 'Áp dụng: 3 mới, 0 thay đổi' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: 'Đã nhập tệp danh mục: 3 cơ sở mới' })
      .waitFor()
    expect(countCodes('E2E-')).toBe(3)

    // The new facility's page shows where it came from.
    await page.getByLabel('Tìm theo tên hoặc mã').fill('E2E-02')
    await page.getByRole('button', { name: 'Lọc' }).click()
    await page.getByRole('link', { name: 'Bệnh viện Tư nhân An Bình' }).click()
    await page.getByRole('heading', { level: 1, name: 'Bệnh viện Tư nhân An Bình' }).waitFor()
    expect(await page.getByTestId('facility-history').textContent()).toContain(
      'Tạo từ tệp danh mục',
    )
    await context.close()
  })
})
