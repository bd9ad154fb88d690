/**
 * The browser loads only the namespaces of the routes it shows (app/i18n.ts):
 * a client-side navigation to a page of another namespace must wait for that
 * namespace and draw translated text, never a raw key, in both languages.
 * A MutationObserver records every text the page ever draws in <main>, so a
 * raw key shown for a moment (and then replaced) fails the test too.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, signIn } from './browser.ts'

const LOCALES = join(import.meta.dirname, '../../app/locales')
type Strings = Record<string, unknown>
const read = (lang: string, ns: string) =>
  JSON.parse(readFileSync(join(LOCALES, lang, `${ns}.json`), 'utf8')) as Strings
const NAMESPACES = readdirSync(join(LOCALES, 'vi')).map((f) => f.replace(/\.json$/, ''))

const keysOf = (o: Strings, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? keysOf(v as Strings, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  )
/** Every key, bare and with its namespace: what i18next shows for a string it does not hold. */
const RAW_KEYS = new Set(
  NAMESPACES.flatMap((ns) => keysOf(read('vi', ns)).flatMap((key) => [key, `${ns}:${key}`])),
)
/** Bare keys that are also ordinary words of a page (none today; listed if one ever is). */
const WORDS = new Set<string>()

function text(lang: string, ns: string, key: string): string {
  const value = key.split('.').reduce<unknown>((o, k) => (o as Strings)[k], read(lang, ns))
  if (typeof value !== 'string') throw new Error(`${lang}/${ns}:${key} is not a string`)
  return value
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

/** Starts recording every text drawn in <main>, and marks the document (a reload loses the mark). */
async function watchTexts(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = []
    const record = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) seen.push((node.textContent ?? '').trim())
      node.childNodes.forEach(record)
    }
    new MutationObserver((mutations) => {
      for (const m of mutations) {
        if (m.type === 'characterData') record(m.target)
        m.addedNodes.forEach(record)
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true })
    Object.assign(window, { drawnTexts: seen, sameDocument: true })
  })
}

async function rawKeysDrawn(page: Page): Promise<string[]> {
  const drawn = await page.evaluate(
    () => (window as unknown as { drawnTexts: string[] }).drawnTexts,
  )
  const current = await page.locator('main').allInnerTexts()
  return [...drawn, ...current.flatMap((t) => t.split('\n').map((l) => l.trim()))].filter(
    (t) => RAW_KEYS.has(t) && !WORDS.has(t),
  )
}

/** Follows a link in the main navigation, client-side, to a page whose heading is `heading`. */
async function navigate(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click()
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  expect(await page.evaluate(() => 'sameDocument' in window), 'a client-side navigation').toBe(true)
  expect(await rawKeysDrawn(page)).toEqual([])
}

async function switchTo(page: Page, lang: 'vi' | 'en'): Promise<void> {
  const other = lang === 'en' ? 'vi' : 'en'
  await page.getByRole('button', { name: text(other, 'common', 'language.switchTo') }).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang)
}

describe.each(['vi', 'en'] as const)('client-side navigation in %s', (lang) => {
  it('a director goes from the home page to the form and to the results', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const loaded: string[] = []
    page.on('request', (r) => {
      const m = /\/assets\/(vi|en)-([\w]+)-[\w-]+\.js$/.exec(r.url())
      if (m) loaded.push(`${m[1]}:${m[2]}`)
    })
    await signIn(page, 'giamdoc.thanhhoa')
    if (lang === 'en') await switchTo(page, 'en')
    await page.getByRole('heading', { level: 1 }).waitFor()
    // The home page does not load the results' namespace; the navigation does.
    expect(loaded).not.toContain(`${lang}:results`)
    await watchTexts(page)
    await navigate(page, text(lang, 'common', 'nav.assessment'), text(lang, 'assessment', 'title'))
    await navigate(page, text(lang, 'common', 'nav.results'), text(lang, 'results', 'title'))
    expect(loaded).toContain(`${lang}:results`)
    // Only the page's language crosses the network.
    expect(loaded.filter((id) => !id.startsWith(`${lang}:`) && !id.startsWith('vi:'))).toEqual([])
    await context.close()
  })

  it('a ministry reviewer goes from the review queue to the waves', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'boyte')
    if (lang === 'en') await switchTo(page, 'en')
    await page.goto(new URL('/review', page.url()).href)
    await page
      .getByRole('heading', { level: 1, name: text(lang, 'review', 'queue.title') })
      .waitFor()
    await watchTexts(page)
    await navigate(page, text(lang, 'common', 'nav.waves'), text(lang, 'waves', 'title'))
    await context.close()
  })
})
