/**
 * An administrator uploads a scoring-model version (the current model with
 * other domain weights, under a new version) and its preview against the
 * current round shows level changes, Kendall τ-b, the default wave's changes
 * and the largest movers. Nothing is re-scored: the demo data other browser
 * tests read stays as it is.
 */
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
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

/** Model 1.1.0 with the IT-workforce domain weighted up, as version 1.5.0. */
function newVersion(): Buffer {
  const model = JSON.parse(readFileSync('db/content/scoring-model-v1.1.json', 'utf8')) as {
    version: string
    domains: Array<{ id: string; weight: number }>
  }
  model.version = '1.5.0'
  const weights: Record<string, number> = {
    it_workforce: 0.35,
    infrastructure: 0.1,
    cybersecurity: 0.1,
    software_interoperability: 0.15,
    governance_financing: 0.2,
    user_readiness: 0.1,
  }
  for (const d of model.domains) d.weight = weights[d.id] ?? Number.NaN
  return Buffer.from(JSON.stringify(model, null, 2), 'utf8')
}

describe('model versions', () => {
  it('uploads a model version and previews its level changes and movers', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'quantri')
    await page.getByRole('link', { name: 'Phiên bản mô hình' }).click()
    await page.getByRole('heading', { level: 1, name: 'Phiên bản bộ câu hỏi và mô hình' }).waitFor()
    await page.getByRole('link', { name: 'Tải lên phiên bản' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tải lên phiên bản' }).waitFor()

    // First a model whose weights do not sum to 1: refused, each problem named.
    const broken = JSON.parse(newVersion().toString('utf8')) as {
      domains: Array<{ weight: number }>
    }
    const first = broken.domains[0]
    if (first) first.weight = 0.9
    await page
      .getByRole('group', { name: 'Mô hình chấm điểm' })
      .getByLabel('Hoặc dán JSON')
      .fill(JSON.stringify(broken))
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click()
    await page.getByRole('alert').filter({ hasText: 'Chưa lưu gì' }).waitFor()
    expect(await page.getByTestId('upload-problems').textContent()).toContain(
      'domain weights sum to',
    )

    await page
      .getByRole('group', { name: 'Mô hình chấm điểm' })
      .getByLabel('Hoặc dán JSON')
      .fill('')
    await page
      .getByRole('group', { name: 'Mô hình chấm điểm' })
      .getByLabel('Tệp (.json)')
      .setInputFiles({
        name: 'model-1.5.0.json',
        mimeType: 'application/json',
        buffer: newVersion(),
      })
    await page.getByRole('button', { name: 'Kiểm tra và lưu' }).click()
    await page.getByRole('heading', { level: 1, name: 'Xem trước thay đổi xếp hạng' }).waitFor()

    await page.getByLabel('Đợt đánh giá').selectOption({ label: 'Đợt 2026' })
    await page.getByRole('button', { name: 'Xem trước' }).click()
    await page
      .getByRole('heading', { level: 2, name: /Đợt 2026: mô hình 1\.1\.0 → 1\.5\.0/ })
      .waitFor()
    const changed = Number(await page.getByTestId('level-changed').textContent())
    expect(changed).toBeGreaterThan(0)
    expect(await page.getByTestId('kendall-tau').textContent()).toMatch(/^0,\d{3}$|^1,000$/)
    const movers = page.getByTestId('movers').getByRole('row')
    await expect.poll(() => movers.count()).toBeGreaterThan(1)
    expect(await page.getByTestId('changed-levels').getByRole('row').count()).toBe(
      Math.min(changed, 200) + 1,
    )
    await page.getByRole('heading', { level: 3, name: /^Vào đợt \(\d+\)$/ }).waitFor()
    await page.getByRole('heading', { level: 3, name: /^Ra khỏi đợt \(\d+\)$/ }).waitFor()
    expect(
      await page.getByRole('link', { name: 'Tải về toàn bộ cơ sở (XLSX)' }).getAttribute('href'),
    ).toMatch(/^\/admin\/models\/preview\.xlsx\?round=\d+&model=\d+$/)
    const axe = await new AxeBuilder({ page }).analyze()
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([])
    await context.close()
  })
})
