/**
 * The form offline: a director who opened the self-assessment once opens it
 * again with no network (the service worker serves the copy kept on the
 * device), answers a question while offline, and the answer reaches the
 * server once the network is back. Signing in again (another user on the
 * same tablet) deletes the kept page. Uses its own director, of a demo
 * facility with a draft and no account, which no other browser test touches.
 */
import SQLite from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../app/admin/users.server.ts'
import { openDatabase } from '../../db/client.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, readOne, signIn, storedAnswer } from './browser.ts'

const LOGIN = 'e2e.ngoaituyen'
let browser: Browser
let facilityCode = ''

beforeAll(async () => {
  browser = await launchBrowser()
  // A facility with no account, whose assessment of the current round is a draft.
  facilityCode = readOne<{ code: string }>(
    `SELECT f.code FROM facilities f JOIN assessments a ON a.facility_id = f.id
     WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.facility_id = f.id)
       AND a.status = 'draft'
       AND a.round_id = (SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1)
     ORDER BY f.code LIMIT 1`,
  ).code
  // The form opens at the stored page: start on the first, where the vendor's name is asked.
  const writer = new SQLite(E2E_DB_PATH)
  try {
    writer
      .prepare(
        `UPDATE assessments SET current_page = 0
         WHERE facility_id = (SELECT id FROM facilities WHERE code = ?)`,
      )
      .run(facilityCode)
  } finally {
    writer.close()
  }
  const hash = readOne<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE login = 'giamdoc.caobang'",
  ).password_hash
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const created = await createUser(
      db,
      null,
      {
        login: LOGIN,
        displayName: 'Lê Văn Ngoại',
        role: 'director',
        facilityCode,
        provinceCode: null,
        email: null,
        phone: null,
      },
      {
        origin: BASE_URL,
        meta: { clientIp: '127.0.0.1', requestId: 'offline' },
        email: false,
        passwordHash: hash,
      },
    )
    if (created.kind !== 'created') throw new Error(`no director: ${JSON.stringify(created)}`)
  } finally {
    await db.destroy()
  }
})
afterAll(async () => {
  await browser.close()
})

describe('the form without a network', () => {
  it('opens from the device, takes an answer, and sends it when the network is back', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' })
    const page = await context.newPage()
    try {
      await signIn(page, LOGIN)
      await page.goto(`${BASE_URL}/assessment`)
      // The service worker has kept the page and everything it loaded.
      await page.getByTestId('kept-offline').waitFor()

      await context.setOffline(true)
      const reopened = await page.reload()
      expect(reopened?.headers()['x-sansang-offline-copy']).toMatch(/^\d{4}-\d\d-\d\dT/)
      await expect
        .poll(() => page.getByTestId('offline-copy').textContent())
        .toMatch(
          /Không có mạng: biểu mẫu được mở từ bản lưu trên thiết bị này lúc \d\d:\d\d \d\d\/\d\d\/\d{4}/,
        )

      const question = 'his_vendor_name'
      const input = page.locator(`.sd-page [data-name="${question}"] input`).first()
      await input.waitFor()
      const value = 'Nhà cung cấp ngoại tuyến'
      await input.fill(value)
      await input.blur()
      const state = page.getByTestId('save-state')
      await expect.poll(() => state.textContent()).toMatch(/Mất kết nối — 1 thay đổi đang chờ/)
      expect(storedAnswer(facilityCode, question)).not.toBe(value)

      await context.setOffline(false)
      await expect.poll(() => state.textContent(), { timeout: 60_000 }).toMatch(/Đã lưu/)
      await expect.poll(() => storedAnswer(facilityCode, question)).toBe(value)

      // Signed out, the next person signs in on this device: the kept page is gone.
      await page.getByRole('button', { name: 'Đăng xuất' }).click()
      await page.waitForURL((url) => url.pathname === '/login')
      await expect
        .poll(() =>
          page.evaluate(async () => {
            const names = await caches.keys()
            const pages = names.filter((n) => n.startsWith('sansang-pages'))
            let kept = 0
            for (const name of pages) kept += (await (await caches.open(name)).keys()).length
            return kept
          }),
        )
        .toBe(0)
    } finally {
      await context.close()
    }
  })
})
