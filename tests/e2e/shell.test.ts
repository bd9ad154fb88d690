/** The walking skeleton in a real browser: every role signs in, languages switch, sign-out works. */
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

const ACCOUNTS = [
  { login: 'giamdoc.thanhhoa', role: 'Giám đốc cơ sở', sees: 'Cơ sở của bạn' },
  { login: 'nhanvien.thanhhoa', role: 'Cán bộ cơ sở', sees: 'Cơ sở của bạn' },
  { login: 'soyte.thanhhoa', role: 'Cán bộ Sở Y tế', sees: 'Phạm vi: Tỉnh Thanh Hoá' },
  { login: 'boyte', role: 'Cán bộ Bộ Y tế', sees: 'Phạm vi: toàn quốc' },
  { login: 'quantri', role: 'Quản trị hệ thống', sees: 'Tổng quan hệ thống' },
]

describe('sign in as each role', () => {
  for (const account of ACCOUNTS) {
    it(`${account.login} lands on their home page`, async () => {
      const context = await browser.newContext()
      const page = await context.newPage()
      await signIn(page, account.login)
      await expect.poll(() => new URL(page.url()).pathname).toBe('/')
      await page.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor()
      expect(await page.getByTestId('signed-in-user').textContent()).toContain(account.role)
      await page.getByText(account.sees).first().waitFor()
      await context.close()
    })
  }
})

describe('language, scope and sign-out', () => {
  it('switches to English, keeps it after a reload, and back to Vietnamese', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.thanhhoa')
    await page.getByRole('button', { name: 'Chuyển ngôn ngữ' }).click()
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor()
    await page.getByRole('button', { name: 'Switch language' }).click()
    await page.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor()
    await context.close()
  })

  it('loads only the page’s language, and a link opens the next page in it without a reload', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const languages: string[] = []
    page.on('request', (r) => {
      const m = /\/assets\/(vi|en)-[\w-]+\.js$/.exec(r.url())
      if (m?.[1]) languages.push(m[1])
    })
    const vietnamese = page.waitForResponse((r) => /\/assets\/vi-[\w-]+\.js$/.test(r.url()))
    await signIn(page, 'giamdoc.thanhhoa')
    await vietnamese
    expect([...new Set(languages)]).toEqual(['vi'])
    // The English page is drawn by the server first; its strings' chunk comes after.
    const english = page.waitForResponse((r) => /\/assets\/en-[\w-]+\.js$/.test(r.url()))
    await page.getByRole('button', { name: 'Chuyển ngôn ngữ' }).click()
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor()
    await english
    expect([...new Set(languages)]).toEqual(['vi', 'en'])
    // Hydrated in English: a link is a client-side navigation (the marker
    // survives) and the next page's strings are English.
    await page.evaluate(() => Object.assign(window, { samePage: true }))
    await page.getByRole('navigation').getByRole('link', { name: 'Help' }).click()
    await page.waitForURL(/\/help$/)
    await page
      .getByRole('heading', { level: 1 })
      .filter({ hasText: /guide|Help/i })
      .waitFor()
    expect(await page.evaluate(() => 'samePage' in window)).toBe(true)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await context.close()
  })

  it('shows a director another facility as not found', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.thanhhoa')
    await page.getByRole('link', { name: 'Xem thông tin cơ sở' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Bệnh viện Đa khoa tỉnh Thanh Hoá' })
      .waitFor()
    const own = Number(new URL(page.url()).pathname.split('/').pop())
    const response = await page.goto(`${BASE_URL}/facilities/${own + 1}`)
    expect(response?.status()).toBe(404)
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor()
    await context.close()
  })

  it('signs out and cannot go back to a signed-in page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'boyte')
    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor()
    await page.goto(`${BASE_URL}/`)
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  it('explains a wrong password without signing in', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${BASE_URL}/login`)
    await page.getByLabel('Tên đăng nhập').fill('boyte')
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor()
    await context.close()
  })
})
