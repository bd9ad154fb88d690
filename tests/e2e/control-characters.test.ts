/**
 * A control character pasted into a form (a vertical tab from a word
 * processor, a NUL) is caught in the browser before the form is sent
 * (issue #18): the field says which character and why, nothing is posted,
 * and what was typed stays. Typing in the field clears the mark.
 */
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

describe('a control character in a form', () => {
  it('is refused at the field, with nothing sent and nothing lost', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'quantri')
    await page.goto(`${BASE_URL}/admin/users/new`)
    // Hydrated: entry.client.tsx installs the check before it hydrates.
    await page.waitForFunction(() => {
      const form = document.querySelector('form[method="post"] #displayName')?.closest('form')
      return (
        form !== null &&
        form !== undefined &&
        Object.keys(form).some((k) => k.startsWith('__react'))
      )
    })
    let posts = 0
    page.on('request', (request) => {
      if (request.method() === 'POST') posts += 1
    })
    const name = page.locator('#displayName')
    await page.locator('#login').fill('kiem.tra.ky.tu')
    await name.fill('Nguyễn Văn\u000b Kiểm')
    await page.getByRole('button', { name: /Tạo tài khoản|Create/ }).click()

    await expect
      .poll(() => name.evaluate((input) => (input as HTMLInputElement).validationMessage))
      .toContain('ký tự điều khiển U+000B')
    expect(new URL(page.url()).pathname).toBe('/admin/users/new')
    expect(await name.inputValue()).toBe('Nguyễn Văn\u000b Kiểm')
    expect(await page.locator('#login').inputValue()).toBe('kiem.tra.ky.tu')
    expect(posts).toBe(0)

    await name.press('End')
    await name.pressSequentially('x')
    expect(await name.evaluate((input) => (input as HTMLInputElement).validationMessage)).toBe('')
    await context.close()
  })
})
