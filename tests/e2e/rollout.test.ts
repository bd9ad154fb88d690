/**
 * The rollout from the ranked list to go-live, in Chromium: a ministry
 * reviewer saves a run selecting one facility and adopts it as a wave; the
 * facility's director reports each step up to full go-live (seeing them on
 * the home page); the province reviewer finds them in the review queue and
 * confirms them; the facility then counts as live on /rollout and drops out
 * of the planner's candidates on /waves as "EMR already live".
 *
 * Uses Lạng Sơn's provincial hospital (20001), which no other browser test
 * touches, and its own director and province reviewer (the demo seed has
 * neither). It is ranked last but one of the default plan and outside the
 * 30 the wave planner's test selects, so going live changes nothing that
 * test reads.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../app/admin/users.server.ts'
import { openDatabase } from '../../db/client.ts'
import type { MilestoneKind } from '../../db/schema.ts'
import { BASE_URL, E2E_DB_PATH, launchBrowser, readOne, signIn } from './browser.ts'

const CODE = '20001'
const NAME = 'Bệnh viện Đa khoa tỉnh Lạng Sơn'
const DIRECTOR = 'e2e.giamdoc.langson'
const REVIEWER = 'e2e.soyte.langson'
const RUN = 'Lần chạy e2e triển khai Lạng Sơn'
const WAVE = 'Đợt e2e Lạng Sơn'

/** The steps up to full go-live, in order, with the day each was reached (all in the past). */
const STEPS: Array<[MilestoneKind, string, string]> = [
  ['plan_approved', 'Kế hoạch BAĐT được phê duyệt', '2026-03-02'],
  ['contract_signed', 'Ký hợp đồng', '2026-04-01'],
  ['infrastructure_ready', 'Hạ tầng sẵn sàng (mạng, máy chủ, sao lưu)', '2026-05-04'],
  ['signatures_issued', 'Cấp chữ ký số cho người hành nghề', '2026-06-01'],
  ['systems_connected', 'Kết nối HIS/LIS/PACS', '2026-07-01'],
  ['pilot_live', 'Vận hành thử', '2026-08-03'],
  ['full_live', 'Vận hành chính thức', '2026-09-01'],
]

let browser: Browser

async function createAccount(
  login: string,
  fields:
    | { role: 'director'; facilityCode: string }
    | { role: 'province_reviewer'; provinceCode: string },
) {
  // The demo password, as the seed hashed it for another account.
  const hash = readOne<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE login = 'giamdoc.caobang'",
  ).password_hash
  const { db } = openDatabase(E2E_DB_PATH)
  try {
    const created = await createUser(
      db,
      null,
      {
        login,
        displayName: login === DIRECTOR ? 'Hoàng Văn Sơn' : 'Nông Thị Lạng',
        role: fields.role,
        facilityCode: 'facilityCode' in fields ? fields.facilityCode : null,
        provinceCode: 'provinceCode' in fields ? fields.provinceCode : null,
        email: null,
        phone: null,
      },
      {
        origin: BASE_URL,
        meta: { clientIp: '127.0.0.1', requestId: 'rollout-e2e' },
        email: false,
        passwordHash: hash,
      },
    )
    if (created.kind !== 'created') throw new Error(`no account: ${JSON.stringify(created)}`)
  } finally {
    await db.destroy()
  }
}

async function newPage(login: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'vi-VN' })
  const page = await context.newPage()
  await signIn(page, login)
  return page
}

const emrStatus = () =>
  readOne<{ emr_status: string }>('SELECT emr_status FROM facilities WHERE code = ?', CODE)
    .emr_status

beforeAll(async () => {
  browser = await launchBrowser()
  await createAccount(DIRECTOR, { role: 'director', facilityCode: CODE })
  await createAccount(REVIEWER, { role: 'province_reviewer', provinceCode: '20' })
})
afterAll(async () => {
  await browser.close()
})

describe('rollout to go-live', () => {
  it('adopts a run, reports and confirms each step, and counts the facility live', async () => {
    expect(emrStatus()).not.toBe('live')

    // The ministry saves a run whose budget only the facility fits, and adopts it as a wave.
    const ministry = await newPage('boyte')
    await ministry.goto(`${BASE_URL}/waves?capacity=1&budgetBn=1&costs=${CODE}%3D1`)
    await expect
      .poll(() => ministry.getByTestId('selected-count').textContent())
      .toBe('Được chọn: 1 cơ sở')
    await ministry
      .getByRole('region', { name: 'Sẵn sàng ngay (được chọn)' })
      .getByText(NAME)
      .waitFor()
    await ministry.getByLabel('Tên lần chạy').fill(RUN)
    await ministry.getByRole('button', { name: 'Lưu lần chạy' }).click()
    await ministry.getByRole('heading', { level: 1, name: RUN }).waitFor()
    const runId = /\/waves\/runs\/(\d+)$/.exec(ministry.url())?.[1] ?? ''
    expect(runId).not.toBe('')

    await ministry.goto(`${BASE_URL}/rollout/waves`)
    await ministry.getByLabel('Lần chạy xếp hạng đã lưu').selectOption(runId)
    await ministry.getByLabel('Tên đợt').fill(WAVE)
    await ministry.getByLabel('Ngày vận hành mục tiêu').fill('2027-06-30')
    await ministry.getByLabel('Ngân sách (tỷ đồng)').fill('1')
    await ministry.getByRole('button', { name: 'Thông qua đợt' }).click()
    await ministry.getByText('Đã thông qua đợt triển khai với 1 cơ sở.').waitFor()

    // The director sees the wave on the home page and reports each step.
    const director = await newPage(DIRECTOR)
    await director.goto(`${BASE_URL}/`)
    const home = director.getByTestId('home-rollout')
    await home.getByText(`Thuộc ${WAVE}, vận hành mục tiêu 30/06/2027.`).waitFor()
    expect(await home.getByTestId('home-next-step').textContent()).toMatch(
      /^Bước tiếp theo: Kế hoạch BAĐT được phê duyệt, dự kiến trước/,
    )
    await home.getByRole('link', { name: 'Báo cáo mốc triển khai' }).click()
    await director.getByRole('heading', { level: 1, name: /Triển khai bệnh án điện tử/ }).waitFor()
    const history = director.getByRole('region', { name: 'Các mốc đã báo cáo' })
    for (const [kind, label, date] of STEPS) {
      await director.getByLabel('Mốc', { exact: true }).selectOption(kind)
      await director.getByLabel('Ngày đạt').fill(date)
      await director.getByLabel('Ghi chú').fill(`Biên bản ${label}`)
      await director.getByRole('button', { name: 'Gửi xác nhận' }).click()
      await history.getByRole('rowheader', { name: label, exact: true }).waitFor()
    }
    await director.goto(`${BASE_URL}/`)
    expect(await director.getByTestId('home-next-step').textContent()).toBe(
      'Bước tiếp theo: Dừng bệnh án giấy.',
    )
    expect(await home.getByText('Chờ xác nhận').count()).toBe(STEPS.length)

    // The province reviewer finds them in the review queue and confirms them, oldest first.
    const reviewer = await newPage(REVIEWER)
    await reviewer.goto(`${BASE_URL}/review`)
    const pending = reviewer.getByTestId('pending-milestones')
    await pending
      .getByRole('link', { name: `${STEPS.length} mốc đang chờ xác nhận trong phạm vi của bạn` })
      .click()
    await reviewer.getByRole('heading', { level: 1, name: 'Mốc triển khai chờ xác nhận' }).waitFor()
    for (const [, label] of STEPS) {
      const card = reviewer.getByRole('listitem').filter({
        has: reviewer.getByRole('heading', { name: `${NAME} (${CODE}): ${label}` }),
      })
      await card.getByRole('button', { name: 'Xác nhận', exact: true }).click()
      await reviewer.getByRole('status').getByText('Đã xác nhận mốc.').waitFor()
      await expect.poll(() => card.count()).toBe(0)
    }
    await reviewer.getByText('Không có mốc nào chờ xác nhận.').waitFor()
    expect(emrStatus()).toBe('live')

    // Live on the national progress page: the wave's one facility is live, none at risk.
    await ministry.goto(`${BASE_URL}/rollout`)
    const spending = ministry.getByRole('region', {
      name: 'Kinh phí đã cam kết so với ngân sách đợt (tỷ đồng)',
    })
    const row = spending.getByRole('row', { name: new RegExp(WAVE) })
    await expect
      .poll(() => row.getByRole('cell').allTextContents())
      .toEqual(['30/06/2027', '1', '1', '1', '1', '1'])
    expect(await ministry.getByTestId('at-risk').getByText(NAME).count()).toBe(0)

    // And out of the next wave's candidates: excluded as already live.
    await ministry.goto(`${BASE_URL}/waves`)
    const excluded = ministry.getByRole('region', { name: 'Bị loại và lý do' })
    const excludedRow = excluded.getByRole('row', { name: new RegExp(NAME) })
    await expect.poll(() => excludedRow.textContent()).toContain('Đã vận hành EMR')
    expect(
      await ministry
        .getByRole('region', { name: 'Sẵn sàng ngay (được chọn)' })
        .getByText(NAME)
        .count(),
    ).toBe(0)
    for (const page of [ministry, director, reviewer]) await page.context().close()
  }, 240_000)
})
