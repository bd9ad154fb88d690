/** Playwright (playwright-core) on Debian's Chromium, against the e2e server. */
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { CHROMIUM_PATH } from './ensure-chromium.ts'

/** Set by global-setup.ts for this run. */
export const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? '3217'}`
export const E2E_DB_PATH = process.env.E2E_DB_PATH ?? ''

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
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  expect(new URL(page.url()).pathname).not.toBe('/login')
}
