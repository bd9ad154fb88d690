/**
 * The director's journey in Chromium: fill across pages, reload and resume,
 * offline and back, a conflict between two sessions and the merge of
 * disjoint changes, the page progress and the incomplete-submit summary,
 * evidence at the gate question (checked before sending, replaced,
 * removed), the sign-off with the password again, the receipt and the
 * result. Uses the Nghệ An demo facility (40001), which starts the round empty.
 */
import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import SQLite from 'better-sqlite3'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { DEMO_PASSWORD } from '../../db/seed.ts'
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

/** The live evidence files of the facility's assessment, by name. */
function liveEvidence(): string[] {
  const db = new SQLite(E2E_DB_PATH, { readonly: true })
  try {
    const rows = db
      .prepare(
        `SELECT e.file_name FROM evidence_files e
         JOIN assessments a ON a.id = e.assessment_id
         JOIN facilities f ON f.id = a.facility_id
         WHERE f.code = '40001' AND e.removed_at IS NULL ORDER BY e.id`,
      )
      .all() as Array<{ file_name: string }>
    return rows.map((r) => r.file_name)
  } finally {
    db.close()
  }
}

/** Radio questions of the current page, each with the values not chosen yet. */
async function radioQuestions(page: Page): Promise<Array<{ name: string; free: string[] }>> {
  return page.locator('.sd-page [data-name]').evaluateAll((els) =>
    els.flatMap((e) => {
      const inputs = [...e.querySelectorAll('input[type="radio"]')] as HTMLInputElement[]
      return inputs.length > 1
        ? [
            {
              name: e.getAttribute('data-name') ?? '',
              free: inputs.filter((i) => !i.checked).map((i) => i.value),
            },
          ]
        : []
    }),
  )
}

const PDF = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\ntrailer <<>>\n%%EOF\n`)

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

  it('merges changes to different questions from two sessions without asking', async () => {
    const ctxA = await browser.newContext()
    const ctxB = await browser.newContext()
    const a = await ctxA.newPage()
    const b = await ctxB.newPage()
    await signIn(a, 'giamdoc.nghean')
    await signIn(b, 'nhanvien.nghean')
    await openForm(a)
    await openForm(b)
    const [x, y] = (await radioQuestions(a)).filter((q) => q.free.length > 0)
    if (!x || !y) throw new Error('fewer than two radio questions on the page')
    await choose(a.locator(`.sd-page [data-name="${x.name}"]`), x.free[0] ?? '')
    await waitSaved(a)
    // B still holds the older version and changes another question.
    await choose(b.locator(`.sd-page [data-name="${y.name}"]`), y.free[0] ?? '')
    await expect
      .poll(() => b.getByTestId('merged-notice').textContent(), { timeout: 60_000 })
      .toMatch(/Đã nhận 1 thay đổi của .+ ở câu hỏi khác; không có xung đột/)
    expect(await b.getByRole('alertdialog').count()).toBe(0)
    // B's form now shows A's answer, and the server has both.
    await expect
      .poll(() =>
        b.locator(`.sd-page [data-name="${x.name}"] input[value="${x.free[0]}"]`).isChecked(),
      )
      .toBe(true)
    const saved = serverAnswers().answers
    expect(saved[x.name]).toBe(x.free[0])
    expect(saved[y.name]).toBe(y.free[0])
    await ctxA.close()
    await ctxB.close()
  })

  it('names each page with its completion and lists what an incomplete submit misses', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    const progress = page.getByRole('navigation', { name: 'Các phần của biểu mẫu' })
    const pages = progress.getByRole('button')
    expect(await pages.count()).toBe(7)
    // A page is complete when its required answers are there (the first test filled page 1).
    expect(await pages.nth(0).textContent()).toMatch(/^1\. .+✓ đủ$/)
    expect(await pages.nth(6).textContent()).toMatch(/^7\. .+\d+\/\d+ câu bắt buộc$/)
    await pages.nth(6).click()
    await expect.poll(() => pages.nth(6).getAttribute('aria-current')).toBe('step')
    await page.locator('.sd-navigation__complete-btn').click()
    const summary = page.getByTestId('submit-summary')
    await summary.waitFor({ timeout: 60_000 })
    const heading = (await summary.getByRole('heading', { level: 2 }).textContent()) ?? ''
    const [, count] = /còn (\d+) câu hỏi/.exec(heading) ?? []
    const links = summary.getByRole('link')
    expect(await links.count()).toBe(Number(count))
    // Brought into view below the sticky save bar, and focused.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('submit-summary')
    await expect
      .poll(async () => {
        const bar = await page.getByTestId('save-state').boundingBox()
        const box = await summary.boundingBox()
        return bar && box ? box.y >= bar.y + bar.height - 1 && box.y < 800 : false
      })
      .toBe(true)
    // Each entry is a link to its question.
    const first = links.first()
    const name = ((await first.getAttribute('href')) ?? '').replace('#question-', '')
    await first.click()
    await page.locator(`.sd-page [data-name="${name}"]`).waitFor()
    expect(serverAnswers().status).toBe('draft')
    await context.close()
  })

  it('puts the evidence at its gate question: shown when claimed, checked before sending, replaced, removed', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await signIn(page, 'giamdoc.nghean')
    await openForm(page)
    const uploads: string[] = []
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/assessment/evidence')) uploads.push(r.url())
    })
    await page
      .getByRole('navigation', { name: 'Các phần của biểu mẫu' })
      .getByRole('button')
      .nth(1)
      .click()
    const dedicated = page.locator('.sd-page [data-name="it_staff_dedicated"]')
    await dedicated.waitFor()
    const box = page.getByTestId('evidence-it_staff_dedicated')
    await choose(dedicated, 'no')
    await expect.poll(() => box.count()).toBe(0)
    await choose(dedicated, 'yes')
    await box.waitFor()
    expect(await box.textContent()).toContain('Tải tệp minh chứng lên ngay tại đây')
    const picker = box.getByLabel(/^Chọn tệp cho:/)
    // Not a PDF, whatever its name: refused here, nothing sent.
    await picker.setInputFiles({
      name: 'bien-ban.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html>not a pdf</html>'),
    })
    await expect
      .poll(() => box.getByRole('alert').textContent())
      .toContain('Chỉ nhận tệp PDF, PNG hoặc JPEG')
    expect(uploads).toEqual([])
    await picker.setInputFiles({
      name: 'quyet-dinh.pdf',
      mimeType: 'application/pdf',
      buffer: PDF('draft'),
    })
    await expect.poll(() => box.getByRole('status').textContent()).toBe('Đã lưu quyet-dinh.pdf.')
    expect(liveEvidence()).toEqual(['quyet-dinh.pdf'])
    await box.getByLabel('Thay tệp quyet-dinh.pdf bằng tệp khác').setInputFiles({
      name: 'quyet-dinh-ky.pdf',
      mimeType: 'application/pdf',
      buffer: PDF('signed'),
    })
    await box.getByRole('link', { name: 'quyet-dinh-ky.pdf' }).waitFor()
    expect(await box.getByRole('link', { name: 'quyet-dinh.pdf' }).count()).toBe(0)
    expect(liveEvidence()).toEqual(['quyet-dinh-ky.pdf'])
    await box.getByRole('button', { name: 'Gỡ tệp quyet-dinh-ky.pdf' }).click()
    await expect.poll(() => box.getByRole('status').textContent()).toBe('Đã gỡ quyet-dinh-ky.pdf.')
    expect(await box.textContent()).toContain('Chưa có tệp.')
    expect(liveEvidence()).toEqual([])
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
    // The sign-off: the score the server will record, and the password again.
    const dialog = page.getByRole('dialog', { name: 'Ký xác nhận và nộp bản tự đánh giá' })
    await dialog.waitFor({ timeout: 90_000 })
    const expected = scoreAssessment(model, serverAnswers().answers)
    // Vietnamese decimals take a comma: 56,0.
    const composite = expected.composite.toFixed(1).replace('.', ',')
    expect(await dialog.getByTestId('sign-off-composite').textContent()).toBe(composite)
    expect(await dialog.getByTestId('sign-off-level').textContent()).toContain(expected.level.id)
    const password = dialog.getByLabel('Nhập lại mật khẩu của bạn để ký xác nhận')
    await password.fill('not the password')
    await dialog.getByRole('button', { name: 'Ký và nộp' }).click()
    await expect
      .poll(() => dialog.getByRole('alert').textContent(), { timeout: 60_000 })
      .toBe('Mật khẩu không đúng; chưa nộp.')
    expect(serverAnswers().status).toBe('draft')
    await password.fill(DEMO_PASSWORD)
    await dialog.getByRole('button', { name: 'Ký và nộp' }).click()
    // The receipt on screen: time, version, the hash of the answers.
    const receipt = page.getByTestId('receipt')
    await receipt.waitFor({ timeout: 90_000 })
    expect(await receipt.getByTestId('receipt-hash').textContent()).toMatch(/^[0-9a-f]{64}$/)
    expect(await receipt.textContent()).toMatch(/\d{2}\/\d{2}\/\d{4}/)
    expect(serverAnswers().status).toBe('submitted')
    await page.getByRole('link', { name: 'Xem kết quả' }).click()
    await page.getByTestId('composite').waitFor()
    expect(await page.getByTestId('composite').textContent()).toContain(composite)
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
