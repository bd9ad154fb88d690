/**
 * The analysts' files of a round (issue #19): the raw answers round-trip
 * through a CSV parser to exactly the stored coded values, within the
 * reviewer's scope; the codebook lists every question of the questionnaire
 * with both languages' text and choice labels; the workbook holds both.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { newToken } from '../../app/api/tokens.server.ts'
import { insertApiToken } from '../../app/models/api-token.server.ts'
import { parseCsv } from '../../app/admin/registry/csv.ts'
import { loadSurvey } from '../../app/questionnaire/survey.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

const { db } = openTestDatabase()
let server: TestServer
let roundId = 0
const clients: Record<string, TestClient> = {}

/** The file's records; it must start with the UTF-8 BOM (which `Response.text()` would drop). */
async function records(response: Response | undefined): Promise<string[][]> {
  const bytes = new Uint8Array((await response?.arrayBuffer()) ?? new ArrayBuffer(0))
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const parsed = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3)), ',')
  if (!('records' in parsed)) throw new Error('unterminated quote')
  return parsed.records.map((r) => r.fields)
}

/** What a stored answer must read back as from the file. */
function expectedCell(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.join(';')
  if (typeof value === 'string' && /^[\t\r\n]|^\s*[=+\-@|]/.test(value)) return `'${value}`
  return String(value)
}

beforeAll(async () => {
  roundId = (
    await db.selectFrom('rounds').select('id').orderBy('opens_on', 'desc').executeTakeFirstOrThrow()
  ).id
  server = await startTestServer()
  for (const login of ['soyte.thanhhoa', 'boyte', 'giamdoc.thanhhoa']) {
    clients[login] = new TestClient(server.origin)
    expect((await clients[login].signIn(login)).status).toBe(302)
  }
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('raw answers', () => {
  it('round-trips every stored answer of the reviewer’s province through a CSV parser', async () => {
    const client = clients['soyte.thanhhoa']
    if (!client) throw new Error('no client')
    const response = await client.request(`/rounds/${roundId}/answers.csv`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/)
    const [header, ...rows] = await records(response)
    if (!header) throw new Error('no header')
    expect(header.slice(0, 4)).toEqual([
      'assessment_id',
      'facility_code',
      'facility_name',
      'province_code',
    ])
    const stored = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select(['assessments.id', 'assessments.answers', 'assessments.status', 'facilities.code'])
      .where('assessments.round_id', '=', roundId)
      .where('facilities.province_code', '=', '38')
      .orderBy('assessments.id')
      .execute()
    expect(stored.length).toBeGreaterThan(0)
    expect(rows.map((r) => Number(r[0]))).toEqual(stored.map((s) => s.id))
    const questions = header.slice(8)
    expect(questions.length).toBeGreaterThan(50)
    for (const [i, row] of rows.entries()) {
      const s = stored[i]
      if (!s) throw new Error('row without assessment')
      expect(row[1]).toBe(s.code)
      expect(row[3]).toBe('38')
      expect(row[4]).toBe(s.status)
      const answers = JSON.parse(s.answers) as Record<string, unknown>
      // Every stored answer is in a column (none is lost), and reads back as stored.
      for (const key of Object.keys(answers)) expect(questions, key).toContain(key)
      questions.forEach((q, j) =>
        expect(row[8 + j], `${s.code} ${q}`).toBe(expectedCell(answers[q])),
      )
    }
  })

  it('gives the Ministry every province, and refuses a director', async () => {
    const ministry = await clients['boyte']?.request(`/rounds/${roundId}/answers.csv`)
    const [, ...rows] = await records(ministry)
    const all = await db
      .selectFrom('assessments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', roundId)
      .executeTakeFirstOrThrow()
    expect(rows.length).toBe(Number(all.n))
    const director = await clients['giamdoc.thanhhoa']?.request(`/rounds/${roundId}/answers.csv`)
    expect(director?.status).toBe(403)
    await director?.arrayBuffer()
    const missing = await clients['boyte']?.request('/rounds/999999/answers.csv')
    expect(missing?.status).toBe(404)
    await missing?.arrayBuffer()
  })
})

describe('through the API', () => {
  it('gives a province token with assessments:read the same files as its province’s reviewer', async () => {
    const admin = await db
      .selectFrom('users')
      .select('id')
      .where('login', '=', 'quantri')
      .executeTakeFirstOrThrow()
    const issue = async (scope: 'assessments:read' | 'scores:read') => {
      const { token, tokenHash } = newToken()
      await insertApiToken(db, {
        name: `raw ${scope}`,
        scopes: [scope],
        provinceCode: '38',
        tokenHash,
        createdBy: admin.id,
        now: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      })
      return token
    }
    const bearer = await issue('assessments:read')
    for (const file of ['answers.csv', 'codebook.csv']) {
      const viaToken = await fetch(`${server.origin}/api/v1/rounds/${roundId}/${file}`, {
        headers: { authorization: `Bearer ${bearer}` },
      })
      expect(viaToken.status, file).toBe(200)
      const viaSession = await clients['soyte.thanhhoa']?.request(`/rounds/${roundId}/${file}`)
      expect(await records(viaToken)).toEqual(await records(viaSession))
    }
    const refused = await fetch(`${server.origin}/api/v1/rounds/${roundId}/answers.csv`, {
      headers: { authorization: `Bearer ${await issue('scores:read')}` },
    })
    expect(refused.status).toBe(403)
    await refused.arrayBuffer()
  })
})

describe('the codebook', () => {
  it('lists every question of the round’s questionnaire, with both languages and choice labels', async () => {
    const response = await clients['soyte.thanhhoa']?.request(`/rounds/${roundId}/codebook.csv`)
    expect(response?.status).toBe(200)
    const [header, ...rows] = await records(response)
    expect(header).toEqual([
      'question_id',
      'text_vi',
      'text_en',
      'type',
      'choices_vi',
      'choices_en',
      'domain',
      'item_weight',
      'regulation',
      'questionnaire_version',
    ])
    const round = await db
      .selectFrom('rounds')
      .innerJoin('questionnaires', 'questionnaires.id', 'rounds.questionnaire_id')
      .select(['questionnaires.json', 'questionnaires.version'])
      .where('rounds.id', '=', roundId)
      .executeTakeFirstOrThrow()
    const names = loadSurvey(JSON.parse(round.json) as object)
      .getAllQuestions(false)
      .filter((q) => q.getType() !== 'html')
      .map((q) => q.name)
    expect(rows.map((r) => r[0])).toEqual(names)
    for (const row of rows) {
      expect(row[9]).toBe(round.version)
      expect(row[1]?.length, row[0]).toBeGreaterThan(0)
      expect(row[2]?.length, row[0]).toBeGreaterThan(0)
      if (row[3] === 'single' || row[3] === 'multi') {
        expect(row[4], row[0]).toMatch(/^\S+ = .+/)
        expect(row[5], row[0]).toMatch(/^\S+ = .+/)
      }
    }
    // Scored questions carry their domain, weight and regulation; the rest leave them empty.
    const scored = rows.filter((r) => r[6] !== '')
    expect(scored.length).toBeGreaterThan(20)
    for (const r of scored) {
      expect(Number(r[7]), r[0]).toBeGreaterThan(0)
      expect(r[8]?.length, r[0]).toBeGreaterThan(0)
    }
    // The text differs between the languages (it is not one copied twice).
    expect(rows.filter((r) => r[1] !== r[2]).length).toBeGreaterThan(rows.length / 2)
  })

  it('puts answers and codebook in one workbook', async () => {
    const response = await clients['boyte']?.request(`/rounds/${roundId}/answers.xlsx`)
    expect(response?.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await (response ?? new Response()).arrayBuffer())
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['answers', 'codebook'])
    const answers = workbook.getWorksheet('answers')
    expect(answers?.getRow(1).getCell(1).value).toBe('assessment_id')
    // Numbers stay numbers: the assessment id of the first row.
    expect(typeof answers?.getRow(2).getCell(1).value).toBe('number')
  })
})
