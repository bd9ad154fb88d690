/** Playwright (playwright-core) on Debian's Chromium, against the e2e server. */
import SQLite from 'better-sqlite3'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../../app/account/totp.server.ts'
import { DEMO_PASSWORD, DEMO_TOTP_SECRETS } from '../../db/seed.ts'
import { CHROMIUM_PATH } from './ensure-chromium.ts'

/** Set by global-setup.ts for this run. */
export const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? '3217'}`
export const E2E_DB_PATH = process.env.E2E_DB_PATH ?? ''

/** One row of what the server stored, read on a read-only connection of its own. */
export function readOne<T>(sql: string, ...args: unknown[]): T {
  const db = new SQLite(E2E_DB_PATH, { readonly: true })
  try {
    return db.prepare(sql).get(...args) as T
  } finally {
    db.close()
  }
}

/** A facility's stored answer to `question` in its latest round's assessment. */
export function storedAnswer(facilityCode: string, question: string): unknown {
  const row = readOne<{ answers: string } | undefined>(
    `SELECT a.answers FROM assessments a JOIN facilities f ON f.id = a.facility_id
     WHERE f.code = ? ORDER BY a.round_id DESC LIMIT 1`,
    facilityCode,
  )
  return row ? (JSON.parse(row.answers) as Record<string, unknown>)[question] : undefined
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${BASE_URL}/login`)
  await page.getByLabel(/Tên đăng nhập|Login/).fill(login)
  await page.getByLabel(/Mật khẩu|Password/).fill(password)
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
  const secret = DEMO_TOTP_SECRETS[login]
  if (secret && new URL(page.url()).pathname === '/login/code') await enterTotp(page, secret)
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  expect(new URL(page.url()).pathname).not.toBe('/login')
}

/**
 * Types TOTP codes computed from `secret` on the code page until one is
 * accepted: each code works once, so a user signed in again within 30 s (in
 * this or an earlier test file) needs a neighbouring step's code, or the next.
 */
export async function enterTotp(page: Page, secret: string): Promise<void> {
  const period = TOTP_PERIOD_SECONDS * 1000
  for (let round = 0; round < 3; round++) {
    const current = Math.floor(Date.now() / period)
    for (let step = current - 1; step <= current + 1; step++) {
      await page.getByLabel(/Mã xác thực|Verification code/).fill(totpCodeAt(secret, step * period))
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) =>
            r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/login/code'),
        ),
        page.getByRole('button', { name: /Xác nhận|Verify/ }).click(),
      ])
      // 401: a wrong or used code (the page stays); anything else leaves the page.
      if (response.status() === 401) continue
      await page.waitForURL((url) => url.pathname !== '/login/code')
      return
    }
    await page.waitForTimeout(period - (Date.now() % period) + 50)
  }
  throw new Error('no TOTP code was accepted')
}
