/**
 * Signed out in the middle of the form: the session ends while the director
 * types. The autosave gets the contract's 401 (it used to get the login page
 * and say "Máy chủ chưa lưu được (mã 200)"), the form says the session ended
 * with a link to sign in again, the change stays on the device, and after
 * signing in the browser is back on the form and the change reaches the
 * server. Uses the Cao Bằng demo facility (04004), whose assessment is
 * returned, so editable; no other browser test writes to it.
 */
import SQLite from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn, storedAnswer } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

/** The session ends on the server, as the idle timeout would end it. */
function expireSessions(login: string): void {
  const db = new SQLite(E2E_DB_PATH)
  try {
    db.prepare(
      `UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'
       WHERE user_id = (SELECT id FROM users WHERE login = ?)`,
    ).run(login)
  } finally {
    db.close()
  }
}

/** The form opens at the stored page: start on the first, where the vendor's name is asked. */
function openAtFirstPage(): void {
  const db = new SQLite(E2E_DB_PATH)
  try {
    db.prepare(
      `UPDATE assessments SET current_page = 0
       WHERE facility_id = (SELECT id FROM facilities WHERE code = '04004')`,
    ).run()
  } finally {
    db.close()
  }
}

describe('a session that ends mid-form', () => {
  it('says so, keeps the change, and sends it after signing in again', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' })
    const page = await context.newPage()
    try {
      openAtFirstPage()
      await signIn(page, 'giamdoc.caobang')
      await page.goto(`${BASE_URL}/assessment`)
      const question = 'his_vendor_name'
      const input = page.locator(`.sd-page [data-name="${question}"] input`).first()
      await input.waitFor()
      const value = 'Nhà cung cấp e2e'
      expect(storedAnswer('04004', question)).not.toBe(value)

      expireSessions('giamdoc.caobang')
      await input.fill(value)
      await input.blur()

      const state = page.getByTestId('save-state')
      await expect
        .poll(() => state.textContent(), { timeout: 30_000 })
        .toMatch(/Phiên đăng nhập đã kết thúc — hãy đăng nhập lại\. 1 thay đổi vẫn được giữ/)
      expect(await state.textContent()).not.toMatch(/mã 200/)
      const pending = await page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith('sansang:pending:')),
      )
      expect(pending).toHaveLength(1)

      await state.getByRole('link', { name: 'Đăng nhập lại' }).click()
      await page.waitForURL((url) => url.pathname === '/login')
      expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/assessment')
      await page.getByLabel(/Tên đăng nhập/).fill('giamdoc.caobang')
      await page.getByLabel(/Mật khẩu/).fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: /Đăng nhập/ }).click()

      // Back on the form: the kept change comes back and goes to the server.
      await page.waitForURL((url) => url.pathname === '/assessment')
      await expect
        .poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 })
        .toMatch(/Đã lưu/)
      await expect.poll(() => storedAnswer('04004', question)).toBe(value)
      expect(
        await page.evaluate(() =>
          Object.keys(localStorage).filter((k) => k.startsWith('sansang:pending:')),
        ),
      ).toHaveLength(0)
    } finally {
      await context.close()
    }
  })
})
