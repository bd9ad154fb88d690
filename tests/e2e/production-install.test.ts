/**
 * The production install from zero in a real browser (issue 13): a new
 * database prepared without demo data, `npm run admin -- create-admin`, the
 * administrator's link, TOTP enrolment (codes computed from the secret the
 * page shows), two new accounts with their links, the director's first
 * sign-in, and a used or expired link refused with a clear message.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../../app/account/totp.server.ts'
import { openDatabase } from '../../db/client.ts'
import { foldSearchKey } from '../../db/text.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { TMP_DIR } from '../support/test-db.ts'
import { launchBrowser } from './browser.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
const DB_PATH = join(TMP_DIR, `e2e-production-${process.pid}.sqlite`)
const ADMIN_PASSWORD = 'quản trị hệ thống từ con số không'
const DIRECTOR_PASSWORD = 'bệnh viện huyện sẵn sàng triển khai'

let browser: Browser
let server: ServerProcess

function cli(script: string, args: string[], env: Record<string, string> = {}): string {
  const processEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: DB_PATH, ...env }
  delete processEnv.SEED_DEMO
  // TypeScript through tsx, as the npm scripts run it; the compiled commands of build/ on plain Node.
  const loader = script.endsWith('.ts') ? ['--import', TSX] : []
  const result = spawnSync(process.execPath, [...loader, join(ROOT, script), ...args], {
    cwd: ROOT,
    env: processEnv,
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

/** The registry is not part of this install step yet: two facilities as fixture rows. */
async function addFacilities(): Promise<void> {
  const { db } = openDatabase(DB_PATH)
  const now = new Date().toISOString()
  for (const [code, name, province] of [
    ['38901', 'Trung tâm Y tế huyện Thử Nghiệm', '38'],
    ['38902', 'Bệnh viện Đa khoa khu vực Khác', '38'],
  ] as const) {
    await db
      .insertInto('facilities')
      .values({
        code,
        name,
        province_code: province,
        tier: 'basic',
        ownership: 'public',
        beds: 120,
        autonomy_group: 3,
        emr_status: 'none',
        search_key: foldSearchKey(name),
        created_at: now,
      })
      .execute()
  }
  await db.destroy()
}

beforeAll(async () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DB_PATH}${suffix}`, { force: true })
  // The compiled command, as `npm run start:production` runs it.
  const prepared = cli('build/db-cli.js', ['prepare'])
  expect(prepared).toContain('No administrator yet')
  await addFacilities()
  server = await spawnServer({ dbPath: DB_PATH })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  server?.kill()
  await server?.exited
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DB_PATH}${suffix}`, { force: true })
  rmSync(`${DB_PATH}.evidence`, { recursive: true, force: true })
})

async function setPassword(page: Page, url: string, password: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Mật khẩu mới', { exact: true }).fill(password)
  await page.getByLabel('Nhập lại mật khẩu mới').fill(password)
  await page.getByRole('button', { name: 'Đặt mật khẩu và đăng nhập' }).click()
}

async function createUser(page: Page, fields: Record<string, string>): Promise<string> {
  await page.goto(`${server.origin}/admin/users/new`)
  await page.getByLabel('Tên đăng nhập').fill(fields.login ?? '')
  await page.getByLabel('Họ tên').fill(fields.name ?? '')
  await page.getByLabel('Vai trò').selectOption(fields.role ?? '')
  if (fields.facility) await page.getByLabel('Mã cơ sở').fill(fields.facility)
  if (fields.province) await page.getByLabel('Tỉnh, thành phố').selectOption(fields.province)
  await page.getByRole('button', { name: 'Tạo tài khoản' }).click()
  const link = page.getByLabel('Liên kết dùng một lần')
  await link.waitFor()
  return link.inputValue()
}

describe('a production install from zero', () => {
  it('create-admin → enrol TOTP → create accounts → the director signs in to their facility only', async () => {
    const out = cli(
      'db/admin-cli.ts',
      ['create-admin', '--login', 'quantri.bo', '--name', 'Quản trị Bộ'],
      {
        PUBLIC_URL: server.origin,
      },
    )
    const adminLink = /(http\S+\/set-password\/[\w-]{43})/.exec(out)?.[1] ?? ''
    expect(adminLink.startsWith(server.origin)).toBe(true)

    const adminContext = await browser.newContext()
    const page = await adminContext.newPage()
    await setPassword(page, adminLink, ADMIN_PASSWORD)
    // An administrator must enrol a second factor before any page.
    await page.getByRole('heading', { level: 1, name: 'Thiết lập xác thực hai bước' }).waitFor()
    await page.getByRole('img', { name: /Mã QR/ }).waitFor()
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '')
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await page.getByLabel('Mã 6 số từ ứng dụng').fill(totpCodeAt(secret))
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click()
    await page.getByRole('heading', { name: 'Mã dự phòng' }).waitFor()
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10)
    await page.getByRole('link', { name: 'Tiếp tục' }).click()
    await page.getByRole('heading', { level: 1, name: /Xin chào, Quản trị Bộ/ }).waitFor()

    await createUser(page, {
      login: 'soyte.thunghiem',
      name: 'Sở Y tế Thử',
      role: 'province_reviewer',
      province: '38',
    })
    const reviewerLink = await page.getByLabel('Liên kết dùng một lần').inputValue()
    const directorLink = await createUser(page, {
      login: 'giamdoc.thunghiem',
      name: 'BS. Giám Đốc Thử',
      role: 'director',
      facility: '38901',
    })
    expect(directorLink).not.toBe(reviewerLink)

    // Signed out and in again: the password, then a code (the next step's: each code works once).
    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor()
    await page.getByLabel('Tên đăng nhập').fill('quantri.bo')
    await page.getByLabel('Mật khẩu').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('heading', { level: 1, name: 'Xác thực hai bước' }).waitFor()
    await page
      .getByLabel('Mã xác thực')
      .fill(totpCodeAt(secret, Date.now() + TOTP_PERIOD_SECONDS * 1000))
    await page.getByRole('button', { name: 'Xác nhận' }).click()
    await page.getByRole('heading', { level: 1, name: /Xin chào/ }).waitFor()
    await page.goto(`${server.origin}/admin/users?q=thu`)
    await page.getByText('2 tài khoản').waitFor()

    // The director opens their link, sets a password, and is signed in to their facility.
    const directorContext = await browser.newContext()
    const director = await directorContext.newPage()
    await setPassword(director, directorLink, DIRECTOR_PASSWORD)
    await director.getByRole('heading', { level: 1, name: /Xin chào, BS\. Giám Đốc Thử/ }).waitFor()
    await director.getByText('Trung tâm Y tế huyện Thử Nghiệm').first().waitFor()
    const list = await director.goto(`${server.origin}/facilities`)
    expect(list?.status()).toBe(403)
    const { db } = openDatabase(DB_PATH)
    const other = await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '38902')
      .executeTakeFirstOrThrow()
    const response = await director.goto(`${server.origin}/facilities/${other.id}`)
    expect(response?.status()).toBe(404)

    // A used link and an expired one are refused with a clear message.
    const reuse = await directorContext.newPage()
    await reuse.goto(directorLink)
    await reuse.getByText('Liên kết đã được sử dụng').waitFor()
    await db
      .updateTable('account_tokens')
      .set({
        expires_at: new Date(Date.now() - 1000).toISOString(),
        created_at: new Date(Date.now() - 100 * 3_600_000).toISOString(),
      })
      .where('used_at', 'is', null)
      .execute()
    await db.destroy()
    await reuse.goto(reviewerLink)
    await reuse.getByText('Liên kết đã hết hạn').waitFor()
    await directorContext.close()
    await adminContext.close()
  }, 240_000)
})
