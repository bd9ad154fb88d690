/**
 * The review loop in Chromium: a province reviewer finds a submitted
 * assessment, comments on two questions and returns it; the director sees
 * the comments and resubmits; the reviewer verifies it; a reviewer of
 * another province cannot see any of it.
 */
import { readFileSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, signIn } from './browser.ts'

let browser: Browser
let assessmentId = 0

/** Gives the Thanh Hoá general hospital (38001) a complete submitted assessment in the current round. */
function submitFixture(): number {
  const answers = readFileSync('db/content/samples/central-near-ready.json', 'utf8')
  const db = new SQLite(E2E_DB_PATH)
  try {
    db.pragma('busy_timeout = 5000')
    const facility = db.prepare("SELECT id FROM facilities WHERE code = '38001'").get() as {
      id: number
    }
    const round = db.prepare('SELECT id FROM rounds ORDER BY opens_on DESC LIMIT 1').get() as {
      id: number
    }
    const now = new Date().toISOString()
    const existing = db
      .prepare('SELECT id FROM assessments WHERE facility_id = ? AND round_id = ?')
      .get(facility.id, round.id) as { id: number } | undefined
    if (existing) {
      db.prepare(
        "UPDATE assessments SET status = 'submitted', answers = ?, version = version + 1, submitted_at = ? WHERE id = ?",
      ).run(answers, now, existing.id)
      return existing.id
    }
    const result = db
      .prepare(
        `INSERT INTO assessments (facility_id, round_id, status, version, answers, current_page, submitted_at, created_at, updated_at)
         VALUES (?, ?, 'submitted', 1, ?, 0, ?, ?, ?)`,
      )
      .run(facility.id, round.id, answers, now, now, now)
    return Number(result.lastInsertRowid)
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  browser = await launchBrowser()
  assessmentId = submitFixture()
})
afterAll(async () => {
  await browser.close()
})

describe('review loop', () => {
  it('filters, comments on two questions and returns; the director sees it and resubmits; then it is verified', async () => {
    const reviewer = await (await browser.newContext()).newPage()
    await signIn(reviewer, 'soyte.thanhhoa')
    await reviewer.goto(`${BASE_URL}/facilities`)
    await reviewer.getByLabel('Tìm theo tên (không cần dấu)').fill('da khoa tinh thanh hoa')
    await reviewer.getByLabel('Trạng thái').selectOption('submitted')
    await reviewer.getByRole('button', { name: 'Lọc' }).click()
    await reviewer.getByRole('link', { name: 'Bệnh viện Đa khoa tỉnh Thanh Hoá' }).click()
    await reviewer
      .getByRole('heading', { level: 1, name: /Thẩm định: Bệnh viện Đa khoa tỉnh Thanh Hoá/ })
      .waitFor()
    await reviewer.locator('#c-backup_restore').fill('Cần biên bản thử khôi phục gần nhất.')
    await reviewer.locator('#c-it_staff_dedicated').fill('Cần quyết định phân công nhân sự CNTT.')
    await reviewer.getByRole('button', { name: 'Trả lại kèm nhận xét' }).click()
    await reviewer.getByText('Đã trả lại cho cơ sở kèm nhận xét.').waitFor()

    const director = await (await browser.newContext()).newPage()
    await signIn(director, 'giamdoc.thanhhoa')
    const notice = director.getByTestId('returned-notice')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('Cần biên bản thử khôi phục gần nhất.')
    expect(await notice.textContent()).toContain('Cần quyết định phân công nhân sự CNTT.')
    await director.goto(`${BASE_URL}/assessment`)
    await director.getByRole('heading', { name: 'Nhận xét của người thẩm định' }).waitFor()
    // Resubmit from the last page.
    await director.locator('.sd-page').waitFor()
    for (
      let i = 0;
      i < 10 && !(await director.locator('.sd-navigation__complete-btn').isVisible());
      i++
    ) {
      await director.locator('.sd-navigation__next-btn').click()
    }
    await director.locator('.sd-navigation__complete-btn').click()
    // The director signs off with the password again, and gets the receipt.
    const signOff = director.getByRole('dialog', { name: 'Ký xác nhận và nộp bản tự đánh giá' })
    await signOff.waitFor({ timeout: 60_000 })
    await signOff.getByLabel('Nhập lại mật khẩu của bạn để ký xác nhận').fill(DEMO_PASSWORD)
    await signOff.getByRole('button', { name: 'Ký và nộp' }).click()
    await director.getByTestId('receipt').waitFor({ timeout: 60_000 })

    await reviewer.goto(`${BASE_URL}/review/${assessmentId}`)
    // The reviewer corrects one answer as a verified value, beside the declared one.
    const backup = reviewer
      .getByRole('row')
      .filter({ hasText: 'Sao lưu và khôi phục dữ liệu HIS/EMR đang ở mức nào?' })
    await backup.getByText('Ghi giá trị thẩm định').click()
    await backup
      .getByLabel('Giá trị thẩm định: Sao lưu và khôi phục dữ liệu HIS/EMR đang ở mức nào?')
      .selectOption('level_1')
    await backup.getByLabel('Lý do, căn cứ (bắt buộc)').fill('Kiểm tra tại chỗ: sao lưu thủ công.')
    await backup.getByRole('button', { name: 'Ghi giá trị' }).click()
    await reviewer
      .getByText('Đã ghi giá trị thẩm định; câu trả lời tự khai được giữ nguyên.')
      .waitFor()
    expect(await reviewer.getByTestId('verified-backup_restore').textContent()).toContain(
      'Kiểm tra tại chỗ: sao lưu thủ công.',
    )
    await reviewer.getByRole('button', { name: 'Xác nhận đã thẩm định…' }).click()
    // The confirmation names the value that applies before anything is recorded.
    const confirm = reviewer.getByTestId('confirm-verify')
    await confirm
      .getByText('Giá trị thẩm định được áp dụng thay cho câu trả lời tự khai: 1.')
      .waitFor()
    await confirm.getByRole('button', { name: 'Có, xác nhận thẩm định' }).click()
    await reviewer.getByText('Đã xác nhận thẩm định.').waitFor()
    expect(await reviewer.getByTestId('verified-score').textContent()).toContain(
      '1 câu dùng giá trị thẩm định',
    )
  })

  it('lets a ministry reviewer compare three facilities, and nobody outside the scope', async () => {
    const ministry = await (await browser.newContext()).newPage()
    await signIn(ministry, 'boyte')
    await ministry.goto(`${BASE_URL}/compare`)
    await ministry.getByLabel('Mã cơ sở (cách nhau bởi dấu phẩy)').fill('38001, 01001, 04004')
    await ministry.getByRole('button', { name: 'So sánh' }).click()
    await expect.poll(() => ministry.url()).toMatch(/\/compare\?ids=\d+,\d+,\d+$/)
    const table = ministry.getByRole('table').filter({ hasText: 'Điểm tổng hợp (mức)' })
    for (const name of ['Bệnh viện Đa khoa tỉnh Thanh Hoá', 'Bệnh viện Bạch Mai', 'Trung tâm Y tế'])
      await table
        .getByRole('columnheader', { name: new RegExp(name) })
        .first()
        .waitFor()
    await ministry
      .getByRole('figure', { name: 'Biểu đồ cột điểm từng lĩnh vực của các cơ sở được so sánh' })
      .locator('svg')
      .first()
      .waitFor()
    const ids = new URL(ministry.url()).searchParams.get('ids') ?? ''

    const other = await (await browser.newContext()).newPage()
    await signIn(other, 'soyte.caobang')
    expect((await other.goto(`${BASE_URL}/compare?ids=${ids}`))?.status()).toBe(404)
    const director = await (await browser.newContext()).newPage()
    await signIn(director, 'giamdoc.thanhhoa')
    expect((await director.goto(`${BASE_URL}/compare?ids=${ids}`))?.status()).toBe(403)
  })

  it('is invisible to the reviewer of another province', async () => {
    const other = await (await browser.newContext()).newPage()
    await signIn(other, 'soyte.caobang')
    const response = await other.goto(`${BASE_URL}/review/${assessmentId}`)
    expect(response?.status()).toBe(404)
    await other.goto(`${BASE_URL}/facilities?q=thanh+hoa`)
    expect(await other.getByTestId('facility-count').textContent()).toBe('0 cơ sở')
  })
})
