/**
 * The director's journey in Chromium: fill across pages, reload and resume,
 * offline and back, a conflict between two sessions, submit and the result.
 * Uses the Nghệ An demo facility (40001), which starts the round empty.
 */
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import SQLite from 'better-sqlite3'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

type Answers = Record<string, unknown>
const sample = JSON.parse(
  readFileSync('db/content/samples/provincial-middle.json', 'utf8'),
) as Answers
const model = parseScoringModel(
  JSON.parse(readFileSync('db/content/scoring-model-v1.json', 'utf8')),
)

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser.close()
})

function serverAnswers(): { answers: Answers; currentPage: number; status: string } {
  const db = new SQLite(E2E_DB_PATH, { readonly: true })
  try {
    const row = db
      .prepare(
        `SELECT a.answers, a.current_page, a.status FROM assessments a
         JOIN facilities f ON f.id = a.facility_id
         WHERE f.code = '40001' ORDER BY a.round_id DESC LIMIT 1`,
      )
      .get() as { answers: string; current_page: number; status: string } | undefined
    return row
      ? {
          answers: JSON.parse(row.answers) as Answers,
          currentPage: row.current_page,
          status: row.status,
        }
      : { answers: {}, currentPage: 0, status: 'none' }
  } finally {
    db.close()
  }
}

async function openForm(page: Page): Promise<void> {
  await page.goto(`${BASE_URL}/assessment`)
  await page.locator('.sd-page').waitFor()
}

/** Fills the visible questions of the current page with the given answers, as a person would. */
async function fillCurrentPage(page: Page, answers: Answers): Promise<void> {
  const done = new Set<string>()
  for (let pass = 0; pass < 4; pass++) {
    const names = await page
      .locator('.sd-page [data-name]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))
    const todo = names.filter((n) => n && !done.has(n) && answers[n] !== undefined)
    if (todo.length === 0) return
    for (const name of todo) {
      done.add(name)
      const value = answers[name]
      const box = page.locator(`.sd-page [data-name="${name}"]`).first()
      if ((await box.locator('input[type="radio"]').count()) > 0) {
        await choose(box, String(value))
      } else if ((await box.locator('input[type="checkbox"]').count()) > 0) {
        for (const v of value as unknown[]) await choose(box, String(v))
      } else if ((await box.locator('textarea').count()) > 0) {
        await box.locator('textarea').fill(String(value))
        await box.locator('textarea').blur()
      } else if ((await box.locator('input').count()) > 0) {
        await box.locator('input').first().fill(String(value))
        await box.locator('input').first().blur()
      }
    }
  }
}

/** Clicks a choice's label, as a person does (the input itself is visually hidden). */
async function choose(box: Locator, value: string): Promise<void> {
  const input = box.locator(`input[value="${value}"]`).first()
  // A checked box clicked again would be unchecked: only click what is not chosen yet.
  if (await input.isChecked()) return
  if ((await input.getAttribute('type')) === 'checkbox') {
    // SurveyJS checkboxes react to the input's own click event.
    await input.evaluate((el) => (el as HTMLInputElement).click())
  } else {
    await box
      .locator('label', { has: box.page().locator(`input[value="${value}"]`) })
      .first()
      .click()
  }
  await expect.poll(() => input.isChecked()).toBe(true)
}

async function nextPage(page: Page): Promise<void> {
  await page.locator('.sd-navigation__next-btn').click()
}

async function waitSaved(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('save-state').textContent(), { timeout: 60_000 })
    .toMatch(/Đã lưu/)
}

/**
 * Waits until the submit lands on the result page. A refusal or a timeout fails
 * with what the page showed (URL, messages, save state, questions marked in error),
 * so a failure on CI can be read without rerunning it.
 */
async function waitForSubmitted(page: Page, timeoutMs = 90_000): Promise<void> {
  const snapshot = () =>
    page.evaluate(() => ({
      url: location.pathname,
      message: document.querySelector('.form-error[role="alert"]')?.textContent ?? null,
      saveState: document.querySelector('[data-testid="save-state"]')?.textContent ?? null,
      errors: [...document.querySelectorAll('.sd-question--error')].map(
        (e) => e.closest('[data-name]')?.getAttribute('data-name') ?? e.textContent?.slice(0, 80),
      ),
    }))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (new URL(page.url()).pathname === '/results') {
      await page.getByTestId('composite').waitFor()
      return
    }
    const seen = await snapshot().catch(() => null)
    if (seen?.message && /Chưa nộp/.test(seen.message)) {
      throw new Error(`submit refused: ${JSON.stringify(seen)}`)
    }
    if (Date.now() > deadline) throw new Error(`no result page: ${JSON.stringify(seen)}`)
    await page.waitForTimeout(250)
  }
}

describe('the director fills, resumes, survives offline and conflicts, submits', () => {
  it('fills across pages and resumes on the same page after a reload', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    await fillCurrentPage(page, sample)
    await nextPage(page)
    await fillCurrentPage(page, sample)
    await nextPage(page)
    await waitSaved(page)
    const title = await page.locator('.sd-page__title').first().textContent()
    await page.reload()
    await page.locator('.sd-page').waitFor()
    expect(await page.locator('.sd-page__title').first().textContent()).toBe(title)
    expect(serverAnswers().currentPage).toBe(2)
    await context.close()
  })

  it('queues answers while offline and sends them when the network returns', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    await context.setOffline(true)
    await fillCurrentPage(page, sample)
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 60_000 })
      .toMatch(/Mất kết nối/)
    const pending = JSON.parse(
      (await page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('sansang:pending:'))
        return key ? localStorage.getItem(key) : null
      })) ?? '{}',
    ) as { changes?: Answers }
    expect(Object.keys(pending.changes ?? {}).length).toBeGreaterThan(0)
    await context.setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await waitSaved(page)
    const saved = serverAnswers().answers
    for (const [k, v] of Object.entries(pending.changes ?? {})) expect(saved[k]).toEqual(v)
    await context.close()
  })

  it('shows the conflict screen to the stale session and loses no answer', async () => {
    const ctxA = await browser.newContext()
    const ctxB = await browser.newContext()
    const a = await ctxA.newPage()
    const b = await ctxB.newPage()
    await signIn(a, 'giamdoc.nghean')
    await signIn(b, 'nhanvien.nghean')
    await openForm(a)
    await openForm(b)
    // Both open on the same saved page: take a single-choice question with at least three
    // choices, so each session can pick a value that differs from the saved one and the other's.
    const candidates = await a.locator('.sd-page [data-name]').evaluateAll((els) =>
      els.map((e) => ({
        name: e.getAttribute('data-name') ?? '',
        values: [...e.querySelectorAll('input[type="radio"]')].map(
          (i) => (i as HTMLInputElement).value,
        ),
      })),
    )
    const saved = serverAnswers().answers
    const pick = candidates.find((c) => c.values.filter((v) => v !== saved[c.name]).length >= 2)
    if (!pick) throw new Error('no question with three choices on the page')
    const question = pick.name
    const [first, second] = pick.values.filter((v) => v !== saved[question])
    if (!first || !second) throw new Error('unreachable')
    await choose(a.locator(`[data-name="${question}"]`), first)
    await waitSaved(a)
    await choose(b.locator(`[data-name="${question}"]`), second)
    await b.getByRole('alertdialog').waitFor({ timeout: 60_000 })
    await b
      .getByRole('alertdialog')
      .getByRole('radio', { name: /Của bạn/ })
      .check()
    await b.getByRole('button', { name: 'Hợp nhất và lưu' }).click()
    await waitSaved(b)
    expect(serverAnswers().answers[question]).toBe(second)
    await ctxA.close()
    await ctxB.close()
  })

  it('keeps what the director is typing when an autosave lands meanwhile', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    const numberBox = page.locator('.sd-page [data-name]', {
      has: page.locator('input[type="number"]'),
    })
    const name = (await numberBox.first().getAttribute('data-name')) ?? ''
    const input = numberBox.first().locator('input[type="number"]')
    const typed = (await input.inputValue()) === '7' ? '8' : '7'
    // An answer chosen just before typing is saved (after the debounce) while the
    // number is still being typed: the survey must not be redrawn under the cursor.
    const choices = await page.locator('.sd-page [data-name]').evaluateAll((els) =>
      els.flatMap((e) => {
        const free = [...e.querySelectorAll('input[type="radio"]')]
          .filter((i) => !(i as HTMLInputElement).checked)
          .map((i) => (i as HTMLInputElement).value)
        return free.length > 0 ? [{ name: e.getAttribute('data-name') ?? '', value: free[0] }] : []
      }),
    )
    const choice = choices[0]
    if (!choice) throw new Error('no radio question on the page')
    await choose(page.locator(`.sd-page [data-name="${choice.name}"]`), choice.value ?? '')
    await input.click()
    await input.fill('')
    await page.keyboard.type(typed, { delay: 50 })
    await expect
      .poll(() => page.getByTestId('save-state').textContent(), { timeout: 60_000 })
      .toMatch(/Đã lưu/)
    expect(await input.inputValue()).toBe(typed)
    await input.blur()
    await waitSaved(page)
    await expect.poll(() => serverAnswers().answers[name]).toBe(Number(typed))
    await context.close()
  })

  it('clears the answer of a question that another answer hides, in the same save', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    const prev = page.locator('.sd-navigation__prev-btn')
    while ((await prev.count()) > 0 && (await prev.isVisible())) await prev.click()
    await nextPage(page)
    const dedicated = page.locator('.sd-page [data-name="it_staff_dedicated"]')
    const reference = page.locator('.sd-page [data-name="it_staff_dedicated__evidence_ref"]')
    await choose(dedicated, 'yes')
    await reference.locator('textarea').fill('Quyết định số 88/QĐ-BVT ngày 15/01/2023')
    await reference.locator('textarea').blur()
    await waitSaved(page)
    expect(serverAnswers().answers.it_staff_dedicated__evidence_ref).toBeTruthy()
    // "No" hides the evidence reference: the server refuses a hidden answer, so the
    // form must clear it in the same save instead of leaving it behind.
    await choose(dedicated, 'no')
    await expect.poll(() => reference.count()).toBe(0)
    await expect
      .poll(() => serverAnswers().answers.it_staff_dedicated, { timeout: 60_000 })
      .toBe('no')
    await waitSaved(page)
    expect(serverAnswers().answers).not.toHaveProperty('it_staff_dedicated__evidence_ref')
    await context.close()
  })

  it('submits the whole questionnaire and sees the expected composite', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    // Back to the first page, then through every page with the fixture answers.
    while (
      (await page.locator('.sd-navigation__prev-btn').count()) > 0 &&
      (await page.locator('.sd-navigation__prev-btn').isVisible())
    ) {
      await page.locator('.sd-navigation__prev-btn').click()
    }
    for (let i = 0; i < 20; i++) {
      await fillCurrentPage(page, sample)
      if (await page.locator('.sd-navigation__complete-btn').isVisible()) break
      await nextPage(page)
    }
    await waitSaved(page)
    await page.locator('.sd-navigation__complete-btn').click()
    await waitForSubmitted(page)
    const expected = scoreAssessment(model, serverAnswers().answers)
    expect(serverAnswers().status).toBe('submitted')
    // Vietnamese decimals take a comma: 56,0.
    expect(await page.getByTestId('composite').textContent()).toContain(
      expected.composite.toFixed(1).replace('.', ','),
    )
    expect(await page.getByTestId('level').textContent()).toContain(expected.level.id)
    await context.close()
  })
})

describe('accessibility', () => {
  for (const locale of ['vi', 'en'] as const) {
    it(`the form and the result page have no serious or critical axe violation (${locale})`, async () => {
      const context = await browser.newContext()
      const page = await context.newPage()
      await signIn(page, 'giamdoc.nghean')
      if (locale === 'en') {
        await page.getByRole('button', { name: 'Chuyển ngôn ngữ' }).click()
        await page.getByRole('heading', { level: 1 }).waitFor()
      }
      for (const path of ['/assessment', '/results']) {
        await page.goto(`${BASE_URL}${path}`)
        await page.locator('main h1').waitFor()
        if (path === '/assessment') await page.locator('.sd-page, .sd-body').first().waitFor()
        const results = await new AxeBuilder({ page }).analyze()
        const bad = results.violations.filter(
          (v) => v.impact === 'serious' || v.impact === 'critical',
        )
        expect(
          bad.map(
            (v) =>
              `${path}: ${v.id} ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join(', ')}`,
          ),
        ).toEqual([])
      }
      await context.close()
    })
  }
})
