/**
 * Charts at tablet width (768 px): every label inside its chart and none over
 * another — the compare chart's domain names under their bars, the result
 * radar's domain names around it.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BASE_URL, launchBrowser, readOne, signIn } from './browser.ts'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

interface Box {
  left: number
  right: number
  top: number
  bottom: number
}

/** The chart's box and the boxes of its labels (one per label, its lines joined). */
async function labelBoxes(page: Page, labels: string): Promise<{ chart: Box; labels: Box[] }> {
  return page.evaluate((selector) => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect()
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }
    }
    const wrapper = document.querySelector('.recharts-wrapper')
    if (!wrapper) throw new Error('no chart')
    return { chart: box(wrapper), labels: [...wrapper.querySelectorAll(selector)].map(box) }
  }, labels)
}

function problems({ chart, labels }: { chart: Box; labels: Box[] }): string[] {
  const out: string[] = []
  labels.forEach((l, i) => {
    if (l.left < chart.left - 1 || l.right > chart.right + 1)
      out.push(
        `label ${i} [${l.left.toFixed(0)}, ${l.right.toFixed(0)}] outside the chart [${chart.left.toFixed(0)}, ${chart.right.toFixed(0)}]`,
      )
    labels.forEach((m, j) => {
      const overlap =
        l.left < m.right - 1 && m.left < l.right - 1 && l.top < m.bottom - 1 && m.top < l.bottom - 1
      if (j > i && overlap) out.push(`labels ${i} and ${j} overlap`)
    })
  })
  return out
}

describe('charts at tablet width', () => {
  it('the compare chart keeps each domain name under its bars', async () => {
    const { ids } = readOne<{ ids: string }>(
      "SELECT group_concat(id) AS ids FROM (SELECT id FROM facilities WHERE code IN ('79001', '42008', '20008', '11008'))",
    )
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 768, height: 1024 },
    })
    const page = await context.newPage()
    try {
      await signIn(page, 'boyte')
      await page.goto(`${BASE_URL}/compare?ids=${ids}`)
      await page.locator('.compare-domain-label').first().waitFor()
      // The responsive container lays the chart out again once it knows its width: wait for it.
      await expect
        .poll(async () => (await labelBoxes(page, '.compare-domain-label')).labels.length)
        .toBe(6)
      await expect
        .poll(async () => problems(await labelBoxes(page, '.compare-domain-label')))
        .toEqual([])
    } finally {
      await context.close()
    }
  })

  it("the result radar keeps every domain's name inside the chart", async () => {
    const context = await browser.newContext({
      locale: 'vi-VN',
      viewport: { width: 768, height: 1024 },
    })
    const page = await context.newPage()
    try {
      await signIn(page, 'giamdoc.bachmai')
      await page.goto(`${BASE_URL}/results`)
      await page.locator('.recharts-polar-angle-axis-tick text').first().waitFor()
      // The responsive container lays the chart out again once it knows its width: wait for it.
      await expect
        .poll(
          async () =>
            (await labelBoxes(page, '.recharts-polar-angle-axis-tick text')).labels.length,
        )
        .toBe(6)
      await expect
        .poll(async () => problems(await labelBoxes(page, '.recharts-polar-angle-axis-tick text')))
        .toEqual([])
    } finally {
      await context.close()
    }
  })
})
