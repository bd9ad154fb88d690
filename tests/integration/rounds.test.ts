/**
 * Rounds an administrator runs (/admin/rounds) and deadline extensions:
 * validation, the lock once a round has submissions, stale edits refused;
 * a round's gate settings applied by the engine; dates enforced on save,
 * evidence upload and submit with a facility's extension (granted, changed,
 * withdrawn; another province's reviewer refused); a refused save writes
 * nothing; reviewers still open a closed round.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { getRoundScoring } from '../../app/models/round-scoring.server.ts'
import { scoreAssessment } from '../../scoring/score.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let template: { questionnaire_id: number; scoring_model_id: number }
let currentRound: number
let pilotRound: number
let thanhHoa: number
const clients = new Map<string, TestClient>()

const sample = JSON.parse(
  readFileSync('db/content/samples/provincial-middle.json', 'utf8'),
) as Record<string, unknown>

/** 09:00 on 02/12/2026 in Hà Nội: the demo's current round is open, a round closed 30/11 is not. */
const TODAY = new Date('2026-12-02T02:00:00Z')

async function client(login: string): Promise<TestClient> {
  const existing = clients.get(login)
  if (existing) return existing
  const c = new TestClient(server.origin)
  expect((await c.signIn(login)).status, `sign-in of ${login}`).toBe(302)
  clients.set(login, c)
  return c
}

async function count(table: 'assessments' | 'assessment_changes' | 'audit_log' | 'rounds') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Everything a refused write could touch. */
async function snapshot() {
  return {
    rounds: await db.selectFrom('rounds').selectAll().orderBy('id').execute(),
    extensions: await db.selectFrom('round_extensions').selectAll().orderBy('id').execute(),
    assessments: await count('assessments'),
    changes: await count('assessment_changes'),
    audit: await count('audit_log'),
    evidence: Number(
      (
        await db
          .selectFrom('evidence_files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  }
}

function roundForm(fields: Record<string, string>): Record<string, string> {
  return {
    name: 'Đợt kiểm thử',
    opensOn: '2027-01-15',
    closesOn: '2027-03-31',
    questionnaireId: String(template.questionnaire_id),
    scoringModelId: String(template.scoring_model_id),
    ...fields,
  }
}

async function createRound(fields: Record<string, string>): Promise<number> {
  const admin = await client('quantri')
  const r = await admin.request('/admin/rounds/new', { form: roundForm(fields) })
  expect(r.status, await r.clone().text()).toBe(302)
  const match = /\/admin\/rounds\/(\d+)/.exec(r.headers.get('location') ?? '')
  expect(match).not.toBeNull()
  return Number(match?.[1])
}

async function roundVersion(id: number) {
  return (
    await db.selectFrom('rounds').select('version').where('id', '=', id).executeTakeFirstOrThrow()
  ).version
}

const pdf = () =>
  new File([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], 'QĐ 12.pdf')

beforeAll(async () => {
  const rounds = await db.selectFrom('rounds').select(['id']).orderBy('opens_on').execute()
  pilotRound = rounds[0]?.id ?? 0
  currentRound = rounds[1]?.id ?? 0
  template = await db
    .selectFrom('rounds')
    .select(['questionnaire_id', 'scoring_model_id'])
    .where('id', '=', currentRound)
    .executeTakeFirstOrThrow()
  thanhHoa = (
    await db
      .selectFrom('facilities')
      .select('id')
      .where('code', '=', '38001')
      .executeTakeFirstOrThrow()
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

describe('the rounds page', () => {
  it('refuses a closing date before the opening date and an unconfigurable gate, creating nothing', async () => {
    const admin = await client('quantri')
    const before = await snapshot()
    const dates = await admin.request('/admin/rounds/new', {
      form: roundForm({ opensOn: '2027-03-01', closesOn: '2027-02-28' }),
    })
    expect(dates.status).toBe(400)
    expect(await dates.text()).toContain('Ngày đóng không được trước ngày mở.')
    const gate = await admin.request('/admin/rounds/new', {
      form: roundForm({ 'gate.G1': 'off' }),
    })
    expect(gate.status).toBe(400)
    expect(await gate.text()).toContain('Mô hình đã chọn không cho bật tắt tiêu chí điều kiện này.')
    const date = await admin.request('/admin/rounds/new', {
      form: roundForm({ opensOn: '2027-02-30' }),
    })
    expect(date.status).toBe(400)
    expect(await date.text()).toContain('Ngày không hợp lệ.')
    const taken = await admin.request('/admin/rounds/new', {
      form: roundForm({ name: 'Đợt 2026' }),
    })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain('Đã có đợt mang tên này.')
    expect(await snapshot()).toEqual(before)
  })

  it('creates a round with G6 switched off, audited, and lists it', async () => {
    const id = await createRound({ name: 'Đợt 2027 không G6', 'gate.G6': 'off' })
    const row = await db
      .selectFrom('rounds')
      .select(['name', 'opens_on', 'closes_on', 'gate_settings', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    // Decoded: PostgreSQL's jsonb spaces the stored text its own way.
    expect({ ...row, gate_settings: JSON.parse(row.gate_settings) as unknown }).toEqual({
      name: 'Đợt 2027 không G6',
      opens_on: '2027-01-15',
      closes_on: '2027-03-31',
      gate_settings: { G6: false },
      version: 1,
    })
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'detail_json'])
      .where('entity_type', '=', 'round')
      .where('entity_id', '=', String(id))
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['round.created'])
    const list = await (await (await client('quantri')).request('/admin/rounds')).text()
    expect(list).toContain('Đợt 2027 không G6')
    expect(list).toContain('G6 tắt')
    // The methodology page of that round says G6 is off there.
    const method = await (await client('quantri')).request(`/methodology?round=${id}`)
    const html = await method.text()
    expect(html).toContain('Phương pháp áp dụng cho Đợt 2027 không G6')
    expect(html).toContain('đợt này đổi so với mô hình')
  })

  it('refuses a stale edit with a clear message, keeping what was typed and changing nothing', async () => {
    const id = await createRound({ name: 'Đợt sửa đồng thời' })
    const admin = await client('quantri')
    const first = await admin.request(`/admin/rounds/${id}`, {
      form: { ...roundForm({ name: 'Đợt sửa lần một' }), version: '1' },
    })
    expect(first.status).toBe(200)
    expect(await roundVersion(id)).toBe(2)
    const before = await snapshot()
    const stale = await admin.request(`/admin/rounds/${id}`, {
      form: { ...roundForm({ name: 'Đợt sửa lần hai' }), version: '1' },
    })
    expect(stale.status).toBe(409)
    const html = await stale.text()
    expect(html).toContain('Người khác đã sửa đợt này sau khi bạn mở trang; chưa lưu gì.')
    expect(html).toContain('value="Đợt sửa lần hai"')
    expect(await snapshot()).toEqual(before)
  })

  it('locks the questionnaire, model and gates of a round with submissions; its dates still move', async () => {
    const admin = await client('quantri')
    const round = await db
      .selectFrom('rounds')
      .select(['name', 'opens_on', 'closes_on', 'version', 'gate_settings'])
      .where('id', '=', currentRound)
      .executeTakeFirstOrThrow()
    const otherModel = await db
      .selectFrom('scoring_models')
      .select('id')
      .where('id', '!=', template.scoring_model_id)
      .executeTakeFirstOrThrow()
    const base = {
      name: round.name,
      opensOn: round.opens_on,
      closesOn: round.closes_on,
      questionnaireId: String(template.questionnaire_id),
      scoringModelId: String(template.scoring_model_id),
      version: String(round.version),
    }
    const page = await (await admin.request(`/admin/rounds/${currentRound}`)).text()
    expect(page).toContain('data-testid="round-locked"')
    const before = await snapshot()
    const model = await admin.request(`/admin/rounds/${currentRound}`, {
      form: { ...base, scoringModelId: String(otherModel.id) },
    })
    expect(model.status).toBe(400)
    expect(await model.text()).toContain('Đã khóa: đợt đã có bản nộp nên không đổi được nữa.')
    const gates = await admin.request(`/admin/rounds/${currentRound}`, {
      form: { ...base, 'gate.G6': 'off' },
    })
    expect(gates.status).toBe(400)
    expect(await snapshot()).toEqual(before)
    const dates = await admin.request(`/admin/rounds/${currentRound}`, {
      form: { ...base, closesOn: '2027-01-10' },
    })
    expect(dates.status).toBe(200)
    const after = await db
      .selectFrom('rounds')
      .select(['closes_on', 'scoring_model_id', 'gate_settings', 'version'])
      .where('id', '=', currentRound)
      .executeTakeFirstOrThrow()
    expect(after).toEqual({
      closes_on: '2027-01-10',
      scoring_model_id: template.scoring_model_id,
      gate_settings: round.gate_settings,
      version: round.version + 1,
    })
    // Put the demo date back for the tests below.
    const restore = await admin.request(`/admin/rounds/${currentRound}`, {
      form: { ...base, version: String(round.version + 1) },
    })
    expect(restore.status).toBe(200)
  })
})

describe("a round's gate settings", () => {
  it('are applied by the engine: with G6 off a facility failing G6 scores differently', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const on = await createRound({
      name: 'Đợt G6 bật',
      opensOn: '2026-08-01',
      closesOn: '2026-12-31',
      'gate.G6': 'on',
    })
    const off = await createRound({
      name: 'Đợt G6 tắt',
      opensOn: '2026-08-01',
      closesOn: '2026-12-31',
      'gate.G6': 'off',
    })
    // level_0 scores 0, below G6's 0.75: the facility fails G6 where it is on.
    const answers = { ...sample, national_id_link: 'level_0' }
    const [scoringOn, scoringOff] = await Promise.all([
      getRoundScoring(db, on),
      getRoundScoring(db, off),
    ])
    expect(scoringOff.gateEnabled).toEqual({ G6: false })
    const expectedOn = scoreAssessment(scoringOn.model, answers, scoringOn)
    const expectedOff = scoreAssessment(scoringOff.model, answers, scoringOff)
    expect(expectedOn.gates.find((g) => g.id === 'G6')).toMatchObject({ passed: false })
    expect(expectedOff.gates.find((g) => g.id === 'G6')).toMatchObject({
      enabled: false,
      passed: true,
    })

    // Through the app: the director's draft in each round is scored with that round's gates.
    const director = await client('giamdoc.thanhhoa')
    for (const roundId of [on, off]) {
      const r = await director.request('/assessment/save', {
        json: { roundId, baseVersion: 0, changes: answers, currentPage: 0 },
      })
      expect(r.status, await r.clone().text()).toBe(200)
    }
    const stored = async (roundId: number) => {
      const row = await db
        .selectFrom('scores')
        .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
        .select(['scores.level', 'scores.result_json'])
        .where('assessments.round_id', '=', roundId)
        .where('assessments.facility_id', '=', thanhHoa)
        .where('scores.basis', '=', 'declared')
        .executeTakeFirst()
      return row
        ? {
            level: row.level,
            g6: (JSON.parse(row.result_json) as typeof expectedOn).gates.find((g) => g.id === 'G6'),
          }
        : null
    }
    await expect.poll(() => stored(on)).not.toBeNull()
    await expect.poll(() => stored(off)).not.toBeNull()
    expect(await stored(on)).toEqual({
      level: expectedOn.level.id,
      g6: expectedOn.gates.find((g) => g.id === 'G6'),
    })
    expect(await stored(off)).toEqual({
      level: expectedOff.level.id,
      g6: { id: 'G6', enabled: false, passed: true, failedBy: null },
    })
    expect((await stored(on))?.g6).not.toEqual((await stored(off))?.g6)
  })
})

describe('a first save', () => {
  it('that only moves the page creates no assessment: the facility stays not started', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const open = await createRound({
      name: 'Đợt mở chưa trả lời',
      opensOn: '2026-08-01',
      closesOn: '2026-12-31',
    })
    const director = await client('giamdoc.nghean')
    const before = await snapshot()
    const r = await director.request('/assessment/save', {
      json: { roundId: open, baseVersion: 0, changes: {}, currentPage: 2 },
    })
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ kind: 'saved', version: 0, status: 'not_started' })
    expect(await snapshot()).toEqual(before)
    // The first answer then creates it, at version 1 with the answer's change row.
    const saved = await director.request('/assessment/save', {
      json: {
        roundId: open,
        baseVersion: 0,
        changes: { it_staff_dedicated: 'yes' },
        currentPage: 2,
      },
    })
    expect(saved.status).toBe(200)
    expect(await count('assessments')).toBe(before.assessments + 1)
  })
})

describe('deadline extensions', () => {
  let closed: number

  beforeAll(async () => {
    closed = await createRound({
      name: 'Đợt bổ sung 2026',
      opensOn: '2026-06-01',
      closesOn: '2026-11-30',
    })
  })

  const save = (roundId: number, baseVersion: number, changes: Record<string, unknown>) =>
    client('giamdoc.thanhhoa').then((c) =>
      c.request('/assessment/save', { json: { roundId, baseVersion, changes, currentPage: 0 } }),
    )
  const upload = async (roundId: number) => {
    const form = new FormData()
    form.set('roundId', String(roundId))
    form.set('question', 'it_staff_dedicated')
    form.set('file', pdf())
    return (await client('giamdoc.thanhhoa')).request('/assessment/evidence', { body: form })
  }
  const submit = async (roundId: number, version: number) =>
    (await client('giamdoc.thanhhoa')).request('/assessment/submit', {
      json: { roundId, version, submissionId: crypto.randomUUID(), password: DEMO_PASSWORD },
    })
  const grant = async (login: string, closesOn: string, reason: string) =>
    (await client(login)).request(`/facilities/${thanhHoa}/extension`, {
      form: { intent: 'grant', roundId: String(closed), closesOn, reason },
    })

  it('a closed round refuses save and upload and writes nothing, even a first save', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const before = await snapshot()
    const r = await save(closed, 0, { it_staff_dedicated: 'yes' })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { message: { vi: string } }).message.vi).toBe(
      'Đợt này đã đóng ngày 30/11/2026.',
    )
    expect((await upload(closed)).status).toBe(409)
    expect(await snapshot()).toEqual(before)
  })

  it('another province’s reviewer cannot grant; a date before the close or a blank reason is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    // Signed in first: a sign-in writes audit rows of its own.
    for (const login of ['soyte.caobang', 'quantri', 'giamdoc.thanhhoa', 'soyte.thanhhoa'])
      await client(login)
    const before = await snapshot()
    expect((await grant('soyte.caobang', '2026-12-20', 'Lý do')).status).toBe(404)
    expect((await grant('quantri', '2026-12-20', 'Lý do')).status).toBe(403)
    expect((await grant('giamdoc.thanhhoa', '2026-12-20', 'Lý do')).status).toBe(403)
    const early = await grant('soyte.thanhhoa', '2026-11-01', 'Lý do')
    expect(early.status).toBe(400)
    expect(await early.text()).toContain(
      'Ngày gia hạn không được trước ngày đóng của đợt (30/11/2026).',
    )
    const blank = await grant('soyte.thanhhoa', '2026-12-20', '   ')
    expect(blank.status).toBe(400)
    expect(await blank.text()).toContain('Nhập lý do gia hạn.')
    expect(await snapshot()).toEqual(before)
  })

  it('granted: save, upload and submit are taken until the new date; the director sees it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const granted = await grant('soyte.thanhhoa', '2026-12-20', 'Mất điện kéo dài tháng 11')
    expect(granted.status).toBe(200)
    expect(await granted.text()).toContain('Đã gia hạn đến ngày 20/12/2026.')

    // A refused first save (an invalid value) still writes nothing under the extension.
    const before = await snapshot()
    const invalid = await save(closed, 0, { it_staff_fte: 'three' })
    expect(invalid.status).toBe(422)
    expect(await snapshot()).toEqual(before)

    const saved = await save(closed, 0, { it_staff_dedicated: 'yes' })
    expect(saved.status, await saved.clone().text()).toBe(200)
    const version = ((await saved.json()) as { version: number }).version
    expect((await upload(closed)).status).toBeLessThan(300)
    // Past the window: the submit is judged on its answers (incomplete here), not refused as late.
    const submitted = await submit(closed, version)
    expect(((await submitted.json()) as { kind: string }).kind).not.toBe('round_not_open')

    // The extension's date moves the refusal: the day after it, the round is closed for them.
    vi.setSystemTime(new Date('2026-12-20T17:30:00Z'))
    const lateDirector = new TestClient(server.origin)
    expect((await lateDirector.signIn('giamdoc.thanhhoa')).status).toBe(302)
    const late = await lateDirector.request('/assessment/save', {
      json: {
        roundId: closed,
        baseVersion: version,
        changes: { it_staff_dedicated: 'no' },
        currentPage: 0,
      },
    })
    expect(late.status).toBe(409)
    expect(((await late.json()) as { message: { vi: string } }).message.vi).toBe(
      'Đợt này đã đóng ngày 20/12/2026.',
    )
  })

  it('changed: the old row is ended, not deleted; audited; the director sees the new date and reason', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const changed = await grant('boyte', '2026-12-25', 'Bộ đồng ý gia hạn thêm')
    expect(changed.status).toBe(200)
    const rows = await db
      .selectFrom('round_extensions')
      .select(['closes_on', 'ended_how'])
      .where('round_id', '=', closed)
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { closes_on: '2026-12-20', ended_how: 'changed' },
      { closes_on: '2026-12-25', ended_how: null },
    ])
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'round_extension')
      .where('facility_id', '=', thanhHoa)
      .orderBy('id')
      .execute()
    expect(actions.map((a) => a.action)).toEqual(['extension.granted', 'extension.changed'])
    await expect(
      db.deleteFrom('round_extensions').where('round_id', '=', closed).execute(),
    ).rejects.toThrow(/kept/)
    // The extension page shows the history to the reviewer.
    const reviewerPage = await (
      await (
        await client('soyte.thanhhoa')
      ).request(`/facilities/${thanhHoa}/extension?round=${closed}`)
    ).text()
    expect(reviewerPage).toContain('Bộ đồng ý gia hạn thêm')
    expect(reviewerPage).toContain('Mất điện kéo dài tháng 11')
  })

  it('withdrawn: the facility is held to the round’s date again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    const reviewer = await client('soyte.thanhhoa')
    const r = await reviewer.request(`/facilities/${thanhHoa}/extension`, {
      form: { intent: 'withdraw', roundId: String(closed) },
    })
    expect(r.status).toBe(200)
    const again = await reviewer.request(`/facilities/${thanhHoa}/extension`, {
      form: { intent: 'withdraw', roundId: String(closed) },
    })
    expect(again.status).toBe(400)
    const assessment = await db
      .selectFrom('assessments')
      .select('version')
      .where('round_id', '=', closed)
      .where('facility_id', '=', thanhHoa)
      .executeTakeFirstOrThrow()
    const before = await snapshot()
    const refused = await save(closed, assessment.version, { it_staff_dedicated: 'no' })
    expect(refused.status).toBe(409)
    expect((await upload(closed)).status).toBe(409)
    const late = await submit(closed, assessment.version)
    expect(((await late.json()) as { kind: string }).kind).toBe('round_not_open')
    expect(await snapshot()).toEqual(before)
    expect(
      await db
        .selectFrom('round_extensions')
        .select('ended_how')
        .where('round_id', '=', closed)
        .orderBy('id')
        .execute(),
    ).toEqual([{ ended_how: 'changed' }, { ended_how: 'withdrawn' }])
  })

  it('shows the director their deadline with the extension on the form and home page', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(TODAY)
    // An extension in the current round (closing 31/12/2026).
    const reviewer = await client('soyte.thanhhoa')
    const r = await reviewer.request(`/facilities/${thanhHoa}/extension`, {
      form: {
        intent: 'grant',
        roundId: String(currentRound),
        closesOn: '2027-01-15',
        reason: 'Chờ nghiệm thu HIS',
      },
    })
    expect(r.status).toBe(200)
    const director = await client('giamdoc.thanhhoa')
    for (const path of ['/assessment', '/']) {
      const html = await (await director.request(path)).text()
      expect(html, path).toContain('Hạn nộp: hết ngày 15/01/2027.')
      expect(html, path).toContain('Còn 44 ngày.')
      expect(html, path).toContain('Chờ nghiệm thu HIS')
      expect(html, path).toContain('đợt đóng ngày 31/12/2026')
    }
  })

  it('reviewers still open an assessment of a closed round', async () => {
    const submitted = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select('assessments.id')
      .where('assessments.round_id', '=', pilotRound)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .executeTakeFirst()
    expect(submitted, 'a submitted assessment of the pilot round').toBeDefined()
    // Signed in now (the clients above signed in at the faked morning of 02/12/2026).
    const reviewer = new TestClient(server.origin)
    expect((await reviewer.signIn('boyte')).status).toBe(302)
    const r = await reviewer.request(`/review/${submitted?.id}`)
    expect(r.status).toBe(200)
  })
})
