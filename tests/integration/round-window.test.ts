/**
 * Writes go only into a round that is open today in Vietnam (opening ≤ today
 * ≤ closing): save, submit and evidence upload into a closed or future round
 * are refused with the date, and a refused write leaves nothing behind.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { insertAssessment } from '../../app/models/assessment.server.ts'
import { setFacilityClosed } from '../../app/models/facility.server.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let pilotRound: number // Đợt 2025 (thí điểm), closed on 15/12/2025
let currentRound: number // Đợt 2026, open until 31/12/2026
let futureRound: number
let thanhHoa: number
let ngheAn: number
let draftInPilot: number

const sample = JSON.parse(
  readFileSync('db/content/samples/provincial-middle.json', 'utf8'),
) as Record<string, unknown>

/** Everything a write could touch, to compare before and after a refusal. */
async function snapshot() {
  const count = async (
    table: 'assessments' | 'assessment_changes' | 'scores' | 'audit_log' | 'evidence_files',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    assessments: await db
      .selectFrom('assessments')
      .select(['id', 'status', 'version', 'answers', 'current_page', 'updated_at'])
      .where('facility_id', 'in', [thanhHoa, ngheAn])
      .orderBy('id')
      .execute(),
    counts: {
      assessments: await count('assessments'),
      changes: await count('assessment_changes'),
      scores: await count('scores'),
      audit: await count('audit_log'),
      evidence: await count('evidence_files'),
    },
  }
}

async function signedIn(login: string): Promise<TestClient> {
  const client = new TestClient(server.origin)
  expect((await client.signIn(login)).status, `sign-in of ${login}`).toBe(302)
  return client
}

const pdf = () =>
  new File([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], 'QĐ 12.pdf')

beforeAll(async () => {
  const rounds = await db.selectFrom('rounds').select(['id', 'name']).orderBy('opens_on').execute()
  pilotRound = rounds[0]?.id ?? 0
  currentRound = rounds[1]?.id ?? 0
  const template = await db
    .selectFrom('rounds')
    .select(['questionnaire_id', 'scoring_model_id'])
    .where('id', '=', currentRound)
    .executeTakeFirstOrThrow()
  futureRound = (
    await db
      .insertInto('rounds')
      .values({
        name: 'Đợt 2027',
        opens_on: '2027-01-15',
        closes_on: '2027-03-31',
        ...template,
        created_at: '2026-11-01T00:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  const idOf = async (code: string) =>
    (
      await db
        .selectFrom('facilities')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
    ).id
  thanhHoa = await idOf('38001')
  ngheAn = await idOf('40001')
  const director = await db
    .selectFrom('users')
    .select('id')
    .where('login', '=', 'giamdoc.thanhhoa')
    .executeTakeFirstOrThrow()
  // A draft left unfinished when the pilot round closed.
  draftInPilot = (
    await insertAssessment(db, {
      facilityId: thanhHoa,
      roundId: pilotRound,
      userId: director.id,
      now: '2025-12-01T00:00:00.000Z',
    })
  ).id
  server = await startTestServer()
})

afterEach(() => {
  vi.useRealTimers()
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('a closed round', () => {
  it('refuses a save with the closing date, in both languages, and changes nothing', async () => {
    const client = await signedIn('giamdoc.thanhhoa')
    const before = await snapshot()
    const r = await client.request('/assessment/save', {
      json: {
        roundId: pilotRound,
        baseVersion: 1,
        changes: { it_staff_dedicated: 'yes' },
        currentPage: 2,
      },
    })
    expect(r.status).toBe(409)
    expect(await r.json()).toMatchObject({
      kind: 'round_not_open',
      window: 'closed',
      closesOn: '2025-12-15',
      message: { vi: 'Đợt này đã đóng ngày 15/12/2025.', en: 'This round closed on 15/12/2025.' },
    })
    // A page move is a write too.
    const page = await client.request('/assessment/save', {
      json: { roundId: pilotRound, baseVersion: 1, changes: {}, currentPage: 3 },
    })
    expect(page.status).toBe(409)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a first save without creating an assessment', async () => {
    const client = await signedIn('giamdoc.nghean')
    const before = await snapshot()
    const r = await client.request('/assessment/save', {
      json: {
        roundId: pilotRound,
        baseVersion: 0,
        changes: { it_staff_dedicated: 'no' },
        currentPage: 0,
      },
    })
    expect(r.status).toBe(409)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a submit', async () => {
    const client = await signedIn('giamdoc.thanhhoa')
    const before = await snapshot()
    const r = await client.request('/assessment/submit', {
      json: {
        roundId: pilotRound,
        version: 1,
        submissionId: crypto.randomUUID(),
        password: DEMO_PASSWORD,
      },
    })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { kind: string }).kind).toBe('round_not_open')
    expect(await snapshot()).toEqual(before)
    const row = await db
      .selectFrom('assessments')
      .select('status')
      .where('id', '=', draftInPilot)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('draft')
  })

  it('refuses evidence and stores no file', async () => {
    const client = await signedIn('giamdoc.thanhhoa')
    const before = await snapshot()
    const form = new FormData()
    form.set('roundId', String(pilotRound))
    form.set('question', 'it_staff_dedicated')
    form.set('file', pdf())
    const r = await client.request('/assessment/evidence', { body: form })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { message: { vi: string } }).message.vi).toBe(
      'Đợt này đã đóng ngày 15/12/2025.',
    )
    expect(await snapshot()).toEqual(before)
  })
})

describe('a round that has not opened', () => {
  it('refuses a save with the opening date and creates nothing', async () => {
    const client = await signedIn('giamdoc.nghean')
    const before = await snapshot()
    const r = await client.request('/assessment/save', {
      json: {
        roundId: futureRound,
        baseVersion: 0,
        changes: { it_staff_dedicated: 'no' },
        currentPage: 0,
      },
    })
    expect(r.status).toBe(409)
    expect(await r.json()).toMatchObject({
      window: 'not_yet_open',
      message: { vi: 'Đợt này mở từ ngày 15/01/2027.', en: 'This round opens on 15/01/2027.' },
    })
    expect(await snapshot()).toEqual(before)
  })
})

describe('the open round', () => {
  it('never keeps an empty draft from a refused first save', async () => {
    const client = await signedIn('giamdoc.nghean')
    const before = await snapshot()
    const r = await client.request('/assessment/save', {
      json: {
        roundId: currentRound,
        baseVersion: 0,
        changes: { it_staff_fte: 'three' },
        currentPage: 0,
      },
    })
    expect(r.status).toBe(422)
    expect(await snapshot()).toEqual(before)
  })

  it('closes at midnight in Vietnam, not in UTC, and the form says so', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    // 23:30 on 31/12/2026 in Hà Nội (16:30 UTC): the last half hour of the round.
    vi.setSystemTime(new Date('2026-12-31T16:30:00Z'))
    const late = await signedIn('giamdoc.nghean')
    const saved = await late.request('/assessment/save', {
      json: {
        roundId: currentRound,
        baseVersion: 0,
        changes: { it_staff_dedicated: sample.it_staff_dedicated },
        currentPage: 0,
      },
    })
    expect(saved.status).toBe(200)
    const version = ((await saved.json()) as { version: number }).version
    const open = await (await late.request('/assessment')).text()
    expect(open).not.toContain('data-testid="round-closed"')

    // 00:30 on 01/01/2027 in Hà Nội, still 31/12 in UTC.
    vi.setSystemTime(new Date('2026-12-31T17:30:00Z'))
    const after = await signedIn('giamdoc.nghean')
    const before = await snapshot()
    const refused = await after.request('/assessment/save', {
      json: {
        roundId: currentRound,
        baseVersion: version,
        changes: { it_staff_fte: 2 },
        currentPage: 1,
      },
    })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { message: { vi: string } }).message.vi).toBe(
      'Đợt này đã đóng ngày 31/12/2026.',
    )
    expect(await snapshot()).toEqual(before)
    const page = await (await after.request('/assessment')).text()
    expect(page).toContain('data-testid="round-closed"')
    expect(page).toContain('Đợt này đã đóng ngày 31/12/2026.')
    const data = await (await after.request('/assessment.data')).text()
    expect(data).toContain('"closed"')
  })
})

describe('a facility closed in the registry', () => {
  it('takes no save, evidence or submit in an open round, says so, and takes them again once reopened', async () => {
    const closedAt = '2026-11-20T03:00:00.000Z' // 20/11/2026 in Hà Nội
    expect(await setFacilityClosed(db, { id: ngheAn, closedAt })).toBe(true)
    try {
      const client = await signedIn('giamdoc.nghean')
      const before = await snapshot()
      const expected = 'Cơ sở đã đóng trong danh mục từ ngày 20/11/2026: không nhận đánh giá nữa.'
      const saved = await client.request('/assessment/save', {
        json: {
          roundId: currentRound,
          baseVersion: 0,
          changes: { it_staff_dedicated: sample.it_staff_dedicated },
          currentPage: 0,
        },
      })
      expect(saved.status).toBe(409)
      expect(((await saved.json()) as { message: { vi: string } }).message.vi).toBe(expected)
      const form = new FormData()
      form.set('roundId', String(currentRound))
      form.set('question', 'it_staff_dedicated')
      form.set('file', pdf())
      const uploaded = await client.request('/assessment/evidence', { body: form })
      expect(uploaded.status).toBe(409)
      expect(((await uploaded.json()) as { message: { vi: string } }).message.vi).toBe(expected)
      const submitted = await client.request('/assessment/submit', {
        json: {
          roundId: currentRound,
          version: 1,
          submissionId: crypto.randomUUID(),
          password: DEMO_PASSWORD,
        },
      })
      expect(submitted.status).toBe(409)
      expect(await snapshot()).toEqual(before)
      const page = await (await client.request('/assessment')).text()
      expect(page).toContain('data-testid="facility-closed"')
      expect(page).toContain('data-testid="round-closed"')
    } finally {
      await setFacilityClosed(db, { id: ngheAn, closedAt: null })
    }
    const reopened = await signedIn('giamdoc.nghean')
    const page = await (await reopened.request('/assessment')).text()
    expect(page).not.toContain('data-testid="facility-closed"')
    expect(page).not.toContain('data-testid="round-closed"')
  })
})
