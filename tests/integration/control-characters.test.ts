/**
 * Control characters at the boundary (issue #18): a NUL, another C0 control,
 * DEL or a C1 control typed or pasted into any text a request carries — a
 * JSON autosave, an account form, a review comment, a registry or accounts
 * file — is refused with a message naming the field and the character, and
 * nothing is written. On PostgreSQL a NUL used to fail the request with a 500
 * (text cannot hold it). Tab, LF and CR are text and stay allowed. Runs on
 * SQLite and, in the integration-pg project, on PostgreSQL.
 */
import { openTestDatabase } from '../support/test-db.ts'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getCurrentRound } from '../../app/models/round.server.ts'
import { ApiErrorSchema } from '../../app/utils/api-contract.ts'
import { assessmentState, submittedIn } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let director: TestClient
let reviewer: TestClient
let admin: TestClient

/** One of each kind: NUL, a C0 control (BEL, ESC, VT from a Word paste), DEL, a C1 control (NEL). */
const CONTROLS: Array<[string, string]> = [
  ['\u0000', 'U+0000'],
  ['\u0007', 'U+0007'],
  ['\u000b', 'U+000B'],
  ['\u001b', 'U+001B'],
  ['\u007f', 'U+007F'],
  ['\u0085', 'U+0085'],
]

const count = async (table: 'audit_log' | 'users' | 'facilities' | 'review_comments') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** The refusal's message, after checking it is the contract's 400. */
async function refusal(response: Response): Promise<string> {
  const body: unknown = await response.json()
  expect(response.status, JSON.stringify(body)).toBe(400)
  const parsed = ApiErrorSchema.parse(body)
  return parsed.error.message
}

beforeAll(async () => {
  server = await startTestServer()
  director = new TestClient(server.origin)
  reviewer = new TestClient(server.origin)
  admin = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.thanhhoa')).status).toBe(302)
  expect((await reviewer.signIn('soyte.thanhhoa')).status).toBe(302)
  expect((await admin.signIn('quantri')).status).toBe(302)
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('control characters in what a request carries', () => {
  it('the autosave refuses each one in an answer, naming it, and saves nothing; tab and line breaks are kept', async () => {
    const round = await getCurrentRound(db, new Date().toISOString().slice(0, 10))
    if (!round) throw new Error('no current round')
    const audit = await count('audit_log')
    for (const [character, label] of CONTROLS) {
      const answer = await director.request('/assessment/save', {
        json: {
          roundId: round.id,
          baseVersion: 0,
          changes: { it_staff_dedicated__evidence_ref: `QĐ 12/2026${character}`, beds_in_use: 400 },
          currentPage: 1,
        },
      })
      const message = await refusal(answer)
      expect(message).toContain('changes.it_staff_dedicated__evidence_ref')
      expect(message).toContain(label)
      expect(message).toContain('ký tự điều khiển')
    }
    // Nothing of it: no draft was made, no audit row.
    const drafts = await db
      .selectFrom('assessments')
      .innerJoin('users', 'users.facility_id', 'assessments.facility_id')
      .select('assessments.id')
      .where('users.login', '=', 'giamdoc.thanhhoa')
      .where('assessments.round_id', '=', round.id)
      .execute()
    expect(drafts).toEqual([])
    expect(await count('audit_log')).toBe(audit)

    const kept = await director.request('/assessment/save', {
      json: {
        roundId: round.id,
        baseVersion: 0,
        changes: {
          it_staff_dedicated: 'yes',
          it_staff_dedicated__evidence_ref: 'QĐ 12/2026\nlưu tại\tphòng KHTH\r\n',
        },
        currentPage: 1,
      },
    })
    expect(kept.status, await kept.clone().text()).toBe(200)
    const stored = await db
      .selectFrom('assessments')
      .innerJoin('users', 'users.facility_id', 'assessments.facility_id')
      .select('assessments.answers')
      .where('users.login', '=', 'giamdoc.thanhhoa')
      .where('assessments.round_id', '=', round.id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(stored.answers)).toMatchObject({
      it_staff_dedicated__evidence_ref: 'QĐ 12/2026\nlưu tại\tphòng KHTH\r\n',
    })
  })

  it('the answer is in the reader’s language', async () => {
    const inEnglish = new TestClient(server.origin)
    inEnglish.cookie = `${director.cookie}; sansang_lang=en`
    const answer = await inEnglish.request('/assessment/save', {
      json: { roundId: 1, baseVersion: 0, changes: { 'x\u0000': 1 }, currentPage: 1 },
    })
    const message = await refusal(answer)
    expect(message).toContain('control character U+0000')
    expect(message).toContain('x[U+0000]')
  })

  it('the account form refuses one in a name, and creates no account', async () => {
    const users = await count('users')
    for (const [character, label] of CONTROLS) {
      const answer = await admin.request('/admin/users/new', {
        form: {
          login: 'nguyen.van.a',
          displayName: `Nguyễn Văn A${character}`,
          role: 'ministry_reviewer',
        },
      })
      const message = await refusal(answer)
      expect(message).toContain('displayName')
      expect(message).toContain(label)
    }
    // A name is one line: a tab or a line break passes the body check but not the name's rule.
    for (const character of ['\t', '\n', '\r\n']) {
      const answer = await admin.request('/admin/users/new', {
        form: {
          login: 'nguyen.van.a',
          displayName: `Nguyễn${character}Văn A`,
          role: 'ministry_reviewer',
        },
      })
      expect(answer.status).toBe(400)
      const html = await answer.text()
      expect(html).toContain('Họ tên phải nằm trên một dòng')
      // What was typed is shown back in the form.
      expect(html).toContain('nguyen.van.a')
    }
    expect(await count('users')).toBe(users)
  })

  it('a review comment with one is refused and the assessment stays as it was', async () => {
    const submitted = await submittedIn(db, '38')
    const comments = await count('review_comments')
    const answer = await reviewer.request(`/review/${submitted.id}`, {
      form: {
        intent: 'return',
        version: String(submitted.version),
        general: 'Bổ sung minh chứng.\u0000',
      },
    })
    expect(await refusal(answer)).toContain('general')
    const after = await assessmentState(db, submitted.id)
    expect(after.status).toBe('submitted')
    expect(after.version).toBe(submitted.version)
    expect(await count('review_comments')).toBe(comments)
  })

  it('a registry file with one in a cell is refused at that cell, CSV and XLSX alike', async () => {
    const facilities = await count('facilities')
    const header = 'mã cơ sở;tên cơ sở;tỉnh;tuyến;loại hình;số giường'
    const csv = new FormData()
    csv.set(
      'file',
      new File([`${header}\nH-001;Bệnh viện\u0007 Web;Thanh Hoá;tỉnh;công lập;100\n`], 'r.csv'),
    )
    const fromCsv = await (await admin.request('/admin/facilities/import', { body: csv })).text()
    expect(fromCsv).toContain('Ô chứa ký tự điều khiển không in được')
    expect(fromCsv).toContain('Bệnh viện[U+0007] Web')
    expect(fromCsv).not.toContain('name="planHash"')

    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('Cơ sở')
    sheet.addRow(header.split(';'))
    sheet.addRow(['H-002', 'Bệnh viện\u0085 Xlsx', 'Thanh Hoá', 'tỉnh', 'công lập', 100])
    const xlsx = new FormData()
    xlsx.set('file', new File([await workbook.xlsx.writeBuffer()], 'r.xlsx'))
    const fromXlsx = await (await admin.request('/admin/facilities/import', { body: xlsx })).text()
    expect(fromXlsx).toContain('Bệnh viện[U+0085] Xlsx')
    expect(fromXlsx).not.toContain('name="planHash"')
    expect(await count('facilities')).toBe(facilities)
  })

  it('an accounts file with one in a cell is refused, and creates no account', async () => {
    const users = await count('users')
    const form = new FormData()
    form.set('intent', 'preview')
    form.set(
      'file',
      new File(
        ['login,display_name,role\nbo.nguyen,Nguyễn\u001b Văn B,ministry_reviewer\n'],
        'users.csv',
      ),
    )
    const html = await (await admin.request('/admin/users/import', { body: form })).text()
    expect(html).toContain('Tệp có ô chứa ký tự điều khiển không in được')
    expect(await count('users')).toBe(users)
  })

  it('a file name with one is refused before the upload is read', async () => {
    const form = new FormData()
    form.set('file', new File(['a;b\n'], 'danh\u0000sach.csv'))
    expect(
      await refusal(await admin.request('/admin/facilities/import', { body: form })),
    ).toContain('file')
  })
})
