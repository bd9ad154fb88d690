/**
 * An administrator makes a new version of the remedial-action cost table
 * (issue #21): downloads the current one, edits a source, sees the change in
 * the preview and saves it; the list then shows it as the one in use. Only a
 * source changes, so every uplift cost the other browser tests read stays
 * the same.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_URL, launchBrowser, readOne, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

const SOURCE = 'Thông tư thử nghiệm 99/2026/TT-BYT'

describe('cost table versions', () => {
  it('previews an edited file with its change, then saves it as the version in use', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'quantri')
    await page.getByRole('link', { name: 'Bảng chi phí khắc phục' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Bảng chi phí biện pháp khắc phục' })
      .waitFor()
    await page.getByRole('link', { name: 'Tạo phiên bản mới' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Tạo phiên bản mới của bảng chi phí' })
      .waitFor()

    // The current version as the page offers it, with the first action's source replaced.
    const exported = await (
      await context.request.get(`${BASE_URL}/admin/cost-tables/export.csv`)
    ).text()
    const lines = exported.split('\r\n')
    const first = lines[1] ?? ''
    const cut = first.lastIndexOf(',')
    expect(cut).toBeGreaterThan(0)
    const itemId = first.slice(0, first.indexOf(','))
    lines[1] = `${first.slice(0, cut)},${SOURCE}`
    const versionsBefore = readOne<{ n: number }>(
      'SELECT count(*) AS n FROM remedial_cost_tables',
    ).n

    await page.getByLabel('Tệp đã sửa (CSV hoặc XLSX)').setInputFiles({
      name: 'chi-phi.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\r\n'), 'utf8'),
    })
    await page.getByLabel('Nhãn phiên bản mới').fill('e2e-1')
    await page.getByLabel('Ghi chú (tiếng Việt)').fill('Nguồn chính thức cho một biện pháp.')
    await page.getByLabel('Ghi chú (tiếng Anh)').fill('An official source for one action.')
    await page.getByRole('button', { name: 'Xem trước' }).click()

    const changes = page.getByTestId('cost-changes')
    await changes.waitFor()
    const row = changes.getByRole('row').filter({ hasText: itemId })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain(SOURCE)
    expect(await row.textContent()).toContain('Nguồn')
    // Nothing is written by the preview.
    expect(readOne<{ n: number }>('SELECT count(*) AS n FROM remedial_cost_tables').n).toBe(
      versionsBefore,
    )
    const axe = await new AxeBuilder({ page }).analyze()
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([])

    await page.getByRole('button', { name: 'Lưu phiên bản e2e-1 (1 thay đổi)' }).click()
    await page.getByText('Đã lưu phiên bản e2e-1').waitFor()
    const stored = readOne<{ version: string; json: string }>(
      'SELECT version, json FROM remedial_cost_tables ORDER BY id DESC LIMIT 1',
    )
    expect(stored.version).toBe('e2e-1')
    const action = (
      JSON.parse(stored.json) as { actions: Array<{ itemId: string; source: string }> }
    ).actions.find((a) => a.itemId === itemId)
    expect(action?.source).toBe(SOURCE)
    await context.close()
  })
})
