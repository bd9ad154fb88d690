/**
 * An administrator creates a round with G6 switched off; a director whose
 * round has closed cannot save, and can after a reviewer's extension.
 *
 * Other browser files share this server and the demo data, so this file
 * keeps out of their way: the round it creates opens and closes before the
 * demo's current round (so it never becomes "current"); the director is an
 * account of its own, at a facility no other file uses; and the current
 * round's closing date, moved into the past for the second test, is put
 * back (and the extension ended) in afterAll whatever happened.
 */
import SQLite from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../app/admin/users.server.ts'
import { vietnamDate } from '../../app/utils/date-format.ts'
import { openDatabase } from '../../db/client.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, readOne, signIn } from './browser.ts'

let browser: Browser
const DIRECTOR = 'giamdoc.giahan'
let current: { id: number; name: string; closes_on: string; version: number }
let facility: { id: number; code: string; name: string }

function write(sql: string, ...args: unknown[]): void {
  const db = new SQLite(E2E_DB_PATH)
  try {
    db.prepare(sql).run(...args)
  } finally {
    db.close()
  }
}

/** YYYY-MM-DD in Vietnam, `days` from today. */
function dayFromToday(days: number): string {
  return vietnamDate(new Date(Date.now() + days * 86_400_000))
}

beforeAll(async () => {
  browser = await launchBrowser()
  current = readOne(
    'SELECT id, name, closes_on, version FROM rounds ORDER BY opens_on DESC LIMIT 1',
  )
  // A draft of the current round at a facility outside the provinces other files use.
  facility = readOne(
    `SELECT f.id, f.code, f.name FROM facilities f JOIN assessments a ON a.facility_id = f.id
     WHERE a.round_id = ? AND a.status = 'draft' AND f.closed_at IS NULL
       AND f.province_code NOT IN ('01', '04', '38', '40')
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.facility_id = f.id)
     ORDER BY f.id LIMIT 1`,
    current.id,
  )
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const existing = readOne<{ id: number } | undefined>(
      'SELECT id FROM users WHERE login = ?',
      DIRECTOR,
    )
    if (!existing) {
      const demo = readOne<{ password_hash: string }>(
        "SELECT password_hash FROM users WHERE login = 'giamdoc.thanhhoa'",
      )
      const created = await createUser(
        db,
        null,
        {
          login: DIRECTOR,
          displayName: 'BS. Phạm Thu Hà',
          role: 'director',
          facilityCode: facility.code,
          provinceCode: null,
          email: null,
          phone: null,
        },
        {
          origin: BASE_URL,
          meta: { clientIp: '127.0.0.1', requestId: 'e2e-rounds' },
          email: false,
          passwordHash: demo.password_hash,
        },
      )
      if (created.kind !== 'created') throw new Error(`no director account: ${created.kind}`)
    }
  } finally {
    await db.destroy()
  }
})

afterAll(async () => {
  // Whatever happened: the current round closes on its demo date again, and no extension stays.
  write(
    'UPDATE rounds SET closes_on = ?, version = version + 1 WHERE id = ? AND closes_on != ?',
    current.closes_on,
    current.id,
    current.closes_on,
  )
  write(
    `UPDATE round_extensions SET ended_at = ?, ended_by = (SELECT id FROM users WHERE login = 'boyte'),
       ended_how = 'withdrawn' WHERE facility_id = ? AND ended_at IS NULL`,
    new Date().toISOString(),
    facility.id,
  )
  await browser.close()
})

async function adminPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await signIn(page, 'quantri')
  return page
}

describe('rounds', () => {
  it('an administrator creates a round with G6 switched off', async () => {
    const page = await adminPage()
    await page.getByRole('link', { name: 'Đợt đánh giá' }).click()
    await page.getByRole('heading', { level: 1, name: 'Đợt đánh giá' }).waitFor()
    await page.getByRole('link', { name: 'Tạo đợt mới' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tạo đợt đánh giá' }).waitFor()

    // A closing date before the opening date is refused with the field's message.
    await page.getByLabel('Tên đợt').fill('Đợt bổ sung giữa năm (E2E)')
    await page.getByLabel('Ngày mở').fill('2026-06-01')
    await page.getByLabel('Ngày đóng').fill('2026-05-01')
    await page.getByLabel('Phiên bản bộ câu hỏi').selectOption({ index: 1 })
    await page.getByLabel('Phiên bản mô hình chấm điểm').selectOption({ index: 1 })
    await page.getByLabel(/^G6/).selectOption('off')
    await page.getByRole('button', { name: 'Tạo đợt' }).click()
    await page.getByText('Ngày đóng không được trước ngày mở.').waitFor()
    expect(
      readOne<{ n: number }>("SELECT count(*) AS n FROM rounds WHERE name LIKE '%(E2E)'").n,
    ).toBe(0)

    // What was typed is still there; fix the date and create it.
    expect(await page.getByLabel('Tên đợt').inputValue()).toBe('Đợt bổ sung giữa năm (E2E)')
    expect(await page.getByLabel(/^G6/).inputValue()).toBe('off')
    await page.getByLabel('Ngày đóng').fill('2026-06-30')
    await page.getByRole('button', { name: 'Tạo đợt' }).click()
    await page.getByRole('status').filter({ hasText: 'Đã lưu “' }).waitFor()
    const row = readOne<{ id: number; gate_settings: string }>(
      "SELECT id, gate_settings FROM rounds WHERE name = 'Đợt bổ sung giữa năm (E2E)'",
    )
    expect(JSON.parse(row.gate_settings)).toEqual({ G6: false })

    await page.getByRole('link', { name: 'Danh sách đợt' }).click()
    const listed = page.getByRole('row').filter({ hasText: 'Đợt bổ sung giữa năm (E2E)' })
    await expect.poll(() => listed.textContent()).toContain('G6 tắt')

    // The methodology page of that round shows G6 off there.
    await page.goto(`${BASE_URL}/methodology?round=${row.id}`)
    await page.getByTestId('methodology-round').waitFor()
    const g6 = page.locator('.gate-list li').filter({ hasText: /^G6/ })
    await expect.poll(() => g6.textContent()).toContain('đợt này đổi so với mô hình')
    await page.context().close()
  })

  it('a director cannot save after the closing date, and can after a reviewer’s extension', async () => {
    // The administrator moves the current round's close to yesterday.
    const admin = await adminPage()
    await admin.goto(`${BASE_URL}/admin/rounds`)
    await admin.getByRole('link', { name: `Sửa ${current.name}` }).click()
    await admin.getByLabel('Ngày đóng').fill(dayFromToday(-1))
    await admin.getByRole('button', { name: 'Lưu thay đổi' }).click()
    await admin.getByRole('status').filter({ hasText: 'Đã lưu “' }).waitFor()
    await admin.context().close()

    const director = await (await browser.newContext()).newPage()
    await signIn(director, DIRECTOR)
    await director.goto(`${BASE_URL}/assessment`)
    await director.getByTestId('round-closed').waitFor()
    // The server refuses a save whatever the page shows.
    const refused = await director.evaluate(async (roundId) => {
      const r = await fetch('/assessment/save', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          roundId,
          baseVersion: 1,
          changes: { respondent_role: 'director' },
          currentPage: 0,
        }),
      })
      return { status: r.status, body: (await r.json()) as { kind: string } }
    }, current.id)
    expect(refused).toMatchObject({ status: 409, body: { kind: 'round_not_open' } })

    // A ministry reviewer grants the facility a week more, with a reason.
    const reviewer = await (await browser.newContext()).newPage()
    await signIn(reviewer, 'boyte')
    await reviewer.goto(`${BASE_URL}/facilities/${facility.id}`)
    await reviewer.getByRole('link', { name: 'Hạn nộp và gia hạn của cơ sở' }).click()
    await reviewer.getByLabel('Ngày đóng mới của cơ sở').fill(dayFromToday(7))
    await reviewer.getByLabel('Lý do').fill('Sự cố máy chủ HIS, Sở Y tế xác nhận')
    await reviewer.getByRole('button', { name: 'Gia hạn' }).click()
    await reviewer.getByRole('status').filter({ hasText: 'Đã gia hạn đến ngày' }).waitFor()
    await reviewer.context().close()

    // The director sees the extension and its reason, and the form saves again.
    await director.goto(`${BASE_URL}/assessment`)
    await director.getByTestId('deadline-extension').waitFor()
    expect(await director.getByTestId('deadline-extension').textContent()).toContain(
      'Sự cố máy chủ HIS, Sở Y tế xác nhận',
    )
    expect(await director.getByTestId('round-closed').count()).toBe(0)
    await director.locator('.sd-page').waitFor()
    const stored = readOne<{ answers: string }>(
      'SELECT answers FROM assessments WHERE facility_id = ? AND round_id = ?',
      facility.id,
      current.id,
    )
    const before = (JSON.parse(stored.answers) as Record<string, unknown>).respondent_role
    const value = before === 'deputy_director' ? 'director' : 'deputy_director'
    const box = director.locator('.sd-page [data-name="respondent_role"]').first()
    await box
      .locator('label', { has: director.locator(`input[value="${value}"]`) })
      .first()
      .click()
    await expect
      .poll(() => director.getByTestId('save-state').textContent(), { timeout: 60_000 })
      .toMatch(/Đã lưu/)
    await expect
      .poll(
        () =>
          (
            JSON.parse(
              readOne<{ answers: string }>(
                'SELECT answers FROM assessments WHERE facility_id = ? AND round_id = ?',
                facility.id,
                current.id,
              ).answers,
            ) as Record<string, unknown>
          ).respondent_role,
      )
      .toBe(value)
    await director.context().close()
  })
})
