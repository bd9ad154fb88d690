/**
 * Answers the questionnaire's own rules forbid are refused on save and on
 * submit, naming the question, and never stored repaired: "none of the
 * above" ticked with other options, and an answer to a question its
 * conditions hide (judged on the answers after the save).
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let roundId: number
let facilityId: number
let director: TestClient

async function row() {
  return db
    .selectFrom('assessments')
    .select(['id', 'status', 'version', 'answers'])
    .where('facility_id', '=', facilityId)
    .where('round_id', '=', roundId)
    .executeTakeFirst()
}

async function save(changes: Record<string, unknown>) {
  const current = await row()
  const r = await director.request('/assessment/save', {
    json: { roundId, baseVersion: current?.version ?? 0, changes, currentPage: 0 },
  })
  return { status: r.status, body: (await r.json()) as { errors?: Array<{ question: string }> } }
}

beforeAll(async () => {
  roundId = (
    await db.selectFrom('rounds').select('id').orderBy('opens_on', 'desc').executeTakeFirstOrThrow()
  ).id
  // Nghệ An starts the round with nothing entered.
  facilityId = (
    await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '40001')
      .executeTakeFirstOrThrow()
  ).id
  server = await startTestServer()
  director = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.nghean')).status).toBe(302)
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('a checklist', () => {
  it('refuses "none of the above" with other options, naming the question, storing nothing', async () => {
    const r = await save({ it_competencies: ['none', 'project_mgmt'] })
    expect(r.status).toBe(422)
    expect(r.body.errors?.map((e) => e.question)).toEqual(['it_competencies'])
    expect(JSON.stringify(r.body)).toContain('Không có mục nào ở trên')
    expect(await row()).toBeUndefined()
    expect((await save({ it_competencies: ['none'] })).status).toBe(200)
    expect((await save({ it_competencies: ['project_mgmt', 'security'] })).status).toBe(200)
  })
})

describe('a question hidden by its conditions', () => {
  it('takes an answer made visible by an answer in the same save', async () => {
    const r = await save({
      it_staff_dedicated: 'yes',
      it_staff_dedicated__evidence_ref: 'Quyết định số 12/QĐ-BV ngày 03/02/2025',
    })
    expect(r.status).toBe(200)
  })

  it('refuses an answer that hides a question whose answer stays', async () => {
    const before = await row()
    const r = await save({ it_staff_dedicated: 'no' })
    expect(r.status).toBe(422)
    expect(r.body.errors?.map((e) => e.question)).toEqual(['it_staff_dedicated__evidence_ref'])
    expect(await row()).toEqual(before)
  })

  it('takes it when the hidden answer is cleared in the same save', async () => {
    expect(
      (await save({ it_staff_dedicated: 'no', it_staff_dedicated__evidence_ref: null })).status,
    ).toBe(200)
    const answers = JSON.parse((await row())?.answers ?? '{}') as Record<string, unknown>
    expect(answers.it_staff_dedicated).toBe('no')
    expect(answers).not.toHaveProperty('it_staff_dedicated__evidence_ref')
  })

  it('refuses an answer to a question that is hidden', async () => {
    const before = await row()
    const r = await save({ it_staff_dedicated__evidence_ref: 'Biên bản số 7' })
    expect(r.status).toBe(422)
    expect(r.body.errors?.map((e) => e.question)).toEqual(['it_staff_dedicated__evidence_ref'])
    expect(await row()).toEqual(before)
  })
})

describe('submit', () => {
  it('refuses stored answers that break either rule (kept from before), naming both', async () => {
    const current = await row()
    if (!current) throw new Error('no assessment')
    // As a row written before these rules would hold them.
    const answers = {
      ...(JSON.parse(current.answers) as Record<string, unknown>),
      it_competencies: ['none', 'security'],
      it_staff_dedicated__evidence_ref: 'Biên bản số 7',
    }
    await db
      .updateTable('assessments')
      .set({ answers: JSON.stringify(answers) })
      .where('id', '=', current.id)
      .execute()
    const r = await director.request('/assessment/submit', {
      json: {
        roundId,
        version: current.version,
        submissionId: crypto.randomUUID(),
        password: DEMO_PASSWORD,
      },
    })
    expect(r.status).toBe(422)
    const body = (await r.json()) as { errors: Array<{ question: string }> }
    expect(body.errors.map((e) => e.question)).toEqual(
      expect.arrayContaining(['it_competencies', 'it_staff_dedicated__evidence_ref']),
    )
    expect((await row())?.status).toBe('draft')
  })
})
