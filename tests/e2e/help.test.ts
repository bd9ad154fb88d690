/**
 * The help page per role, in Chromium: linked in the navigation, the guide
 * for the reader's role, and whom to contact — for a director, the province
 * reviewer of their own province by name.
 */
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

describe('help page', () => {
  it("gives a director the facility's guide and their province reviewer's name", async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'giamdoc.caobang')
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Hướng dẫn' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Hướng dẫn' }).waitFor()
    await page.getByRole('heading', { name: 'Đợt đánh giá diễn ra thế nào' }).waitFor()
    await page.getByRole('term').filter({ hasText: 'Tiêu chí điều kiện' }).waitFor()
    const contact = page.getByTestId('help-contact')
    expect(await contact.textContent()).toContain('Cao Bằng')
    expect(await contact.textContent()).toContain('soyte.caobang')
    expect(await contact.textContent()).not.toContain('soyte.thanhhoa')
  })

  it('gives a reviewer the review guide, in English too', async () => {
    const page = await (await browser.newContext()).newPage()
    await signIn(page, 'soyte.thanhhoa')
    await page.getByRole('link', { name: 'Hướng dẫn' }).first().click()
    await page.getByRole('heading', { name: 'Thẩm định trong một đợt' }).waitFor()
    expect(await page.getByTestId('help-contact').textContent()).toContain('boyte')
    await page
      .getByRole('button', { name: /English|Chuyển ngôn ngữ/ })
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: 'Help' }).waitFor()
    await page.getByRole('heading', { name: 'Reviewing a round' }).waitFor()
  })
})
