/**
 * Verified values, compare and the audit page, through the real server on a
 * private copy of the seeded database.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed.ts'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { scoreAssessment, type AssessmentScore } from '../../scoring/score.ts'
import { listFacilities } from '../../app/models/facility-list.server.ts'
import { getComparison } from '../../app/review/compare.server.ts'
import { median } from '../../app/utils/medians.ts'
import { assessmentState, submittedIn } from '../support/fixtures.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let thanhhoa: TestClient
let caobang: TestClient
let ministry: TestClient

async function verifiedValueCount(id: number) {
  const row = await db
    .selectFrom('verified_values')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assessment_id', '=', id)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function auditActions(id: number) {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .where('entity_type', '=', 'assessment')
    .where('entity_id', '=', String(id))
    .orderBy('id')
    .execute()
  return rows.map((r) => r.action)
}

async function modelOf(scoringModelId: number) {
  const row = await db
    .selectFrom('scoring_models')
    .select('json')
    .where('id', '=', scoringModelId)
    .executeTakeFirstOrThrow()
  return parseScoringModel(JSON.parse(row.json))
}

beforeAll(async () => {
  server = await startTestServer()
  thanhhoa = new TestClient(server.origin)
  await thanhhoa.signIn('soyte.thanhhoa')
  caobang = new TestClient(server.origin)
  await caobang.signIn('soyte.caobang')
  ministry = new TestClient(server.origin)
  await ministry.signIn('boyte')
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('verified values', () => {
  it('are recorded beside the declared answer, and the verified score uses them', async () => {
    const a = await submittedIn(db, '38')
    const model = await modelOf(a.scoring_model_id)
    const declared = JSON.parse(a.answers) as Record<string, unknown>
    // A choice item whose declared answer the reviewer corrects to its lowest-scoring choice.
    const item = model.items.find((i) => i.rule.type === 'choice' && declared[i.id] !== undefined)
    if (!item || item.rule.type !== 'choice') throw new Error('no answered choice item')
    const [lowest] = Object.entries(item.rule.scores).sort(([, x], [, y]) => x - y)[0] ?? []
    if (lowest === undefined) throw new Error('no choices')

    const r = await thanhhoa.request(`/review/${a.id}`, {
      form: {
        intent: 'verified-value',
        version: String(a.version),
        question: item.id,
        value: lowest,
        reason: 'Biên bản kiểm tra tại chỗ ngày 20/11.',
      },
    })
    expect(r.status).toBe(200)
    const after = await assessmentState(db, a.id)
    expect(after.status).toBe('submitted')
    expect(after.version).toBe(a.version + 1)
    // The director's answers are untouched.
    expect(after.answers).toBe(a.answers)
    expect(await auditActions(a.id)).toEqual(['assessment.verified_value'])

    // The review page shows the value beside the declared answer.
    const page = await (await thanhhoa.request(`/review/${a.id}`)).text()
    expect(page).toContain('Biên bản kiểm tra tại chỗ ngày 20/11.')

    const verify = await thanhhoa.request(`/review/${a.id}`, {
      form: { intent: 'verify', version: String(after.version) },
    })
    expect(verify.status).toBe(200)
    const stored = await db
      .selectFrom('scores')
      .select(['id', 'result_json', 'composite_bp'])
      .where('assessment_id', '=', a.id)
      .where('basis', '=', 'verified')
      .executeTakeFirstOrThrow()
    const score = JSON.parse(stored.result_json) as AssessmentScore
    const expected = scoreAssessment(model, declared, { verified: { [item.id]: lowest } })
    expect(stored.composite_bp).toBe(expected.compositeBp)
    expect(score.items.find((i) => i.id === item.id)?.source).toBe('verified')
    expect(score.items.filter((i) => i.source === 'verified')).toHaveLength(1)
    // The domain table follows the stored score (trigger).
    const domains = await db
      .selectFrom('score_domains')
      .select(['domain_id', 'score_bp'])
      .where('score_id', '=', stored.id)
      .orderBy('domain_id')
      .execute()
    expect(domains).toEqual(
      expected.domains
        .map((d) => ({ domain_id: d.id, score_bp: Math.round(10000 * d.score) }))
        .sort((x, y) => x.domain_id.localeCompare(y.domain_id)),
    )
    expect(await auditActions(a.id)).toEqual(['assessment.verified_value', 'assessment.verify'])
  })

  it('refuse bad input, the wrong state, a stale page and other provinces, changing nothing', async () => {
    const a = await submittedIn(db, '38', 1)
    const model = await modelOf(a.scoring_model_id)
    const numberItem = model.items.find((i) => i.rule.type === 'number')
    const choiceItem = model.items.find((i) => i.rule.type === 'choice')
    if (!numberItem || !choiceItem) throw new Error('model without number or choice items')
    const base = { intent: 'verified-value', version: String(a.version), reason: 'Kiểm tra.' }
    const cases: Array<[Record<string, string>, number, string | null]> = [
      [{ question: choiceItem.id, value: 'not-a-choice' }, 400, 'không hợp lệ'],
      [{ question: numberItem.id, value: 'mười' }, 400, 'không hợp lệ'],
      [{ question: choiceItem.id, value: '' }, 400, 'Hãy nhập giá trị'],
      [{ question: 'facility_profile_unknown', value: '1' }, 400, 'không được tính điểm'],
      [{ question: choiceItem.id, value: 'x', reason: '   ' }, 400, null],
      [{ question: choiceItem.id, value: 'x', version: String(a.version + 5) }, 409, null],
    ]
    for (const [patch, status, text] of cases) {
      const r = await thanhhoa.request(`/review/${a.id}`, { form: { ...base, ...patch } })
      expect(r.status, JSON.stringify(patch)).toBe(status)
      if (text) expect(await r.text()).toContain(text)
    }
    const outside = await caobang.request(`/review/${a.id}`, {
      form: { ...base, question: choiceItem.id, value: 'x' },
    })
    expect(outside.status).toBe(404)
    expect((await assessmentState(db, a.id)).version).toBe(a.version)
    expect(await verifiedValueCount(a.id)).toBe(0)
    expect(await auditActions(a.id)).toEqual([])

    // A verified assessment is locked: unlock first.
    const verified = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select(['assessments.id', 'assessments.version'])
      .where('facilities.province_code', '=', '38')
      .where('assessments.status', '=', 'verified')
      .executeTakeFirstOrThrow()
    const locked = await thanhhoa.request(`/review/${verified.id}`, {
      form: { ...base, version: String(verified.version), question: choiceItem.id, value: 'x' },
    })
    expect(locked.status).toBe(409)
    expect(await verifiedValueCount(verified.id)).toBe(0)
  })
})

describe('facilities table', () => {
  it('sorts by a domain score, facilities without a score last', async () => {
    const round = await db
      .selectFrom('rounds')
      .select(['id', 'scoring_model_id'])
      .orderBy('opens_on', 'desc')
      .executeTakeFirstOrThrow()
    const model = await modelOf(round.scoring_model_id)
    const domain = model.domains[1]
    if (!domain) throw new Error('model without domains')
    for (const dir of ['asc', 'desc'] as const) {
      const rows = await listFacilities(
        db,
        { kind: 'all' },
        { roundId: round.id, sort: `domain.${domain.id}`, dir, page: 1, pageSize: 5000 },
      )
      const scored = rows.filter((r) => r.domain_bp !== null).map((r) => r.domain_bp ?? 0)
      expect(scored.length).toBeGreaterThan(100)
      const firstUnscored = rows.findIndex((r) => r.domain_bp === null)
      if (firstUnscored >= 0) expect(firstUnscored).toBe(scored.length)
      const sorted = [...scored].sort((x, y) => (dir === 'asc' ? x - y : y - x))
      expect(scored).toEqual(sorted)
    }
    // The stored value is the domain score of the facility's declared result.
    const [top] = await listFacilities(
      db,
      { kind: 'all' },
      { roundId: round.id, sort: `domain.${domain.id}`, dir: 'desc', page: 1, pageSize: 1 },
    )
    const stored = await db
      .selectFrom('scores')
      .select('result_json')
      .where('assessment_id', '=', top?.assessment_id ?? -1)
      .where('basis', '=', 'declared')
      .executeTakeFirstOrThrow()
    const result = JSON.parse(stored.result_json) as AssessmentScore
    expect(top?.domain_bp).toBe(
      Math.round(10000 * (result.domains.find((d) => d.id === domain.id)?.score ?? -1)),
    )
    const page = await thanhhoa.request(`/facilities?sort=domain.${domain.id}&dir=desc`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(`value="domain.${domain.id}" selected`)
  })
})

describe('compare', () => {
  it('resolves codes in scope and shows the facilities side by side', async () => {
    const r = await ministry.request('/compare?codes=01001,04004,38002')
    expect(r.status).toBe(302)
    const location = r.headers.get('location') ?? ''
    expect(location).toMatch(/^\/compare\?ids=\d+,\d+,\d+$/)
    const page = await ministry.request(location)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Bệnh viện Bạch Mai')
    expect(html).toContain('data-testid="compare-domains"')

    const refused = await thanhhoa.request('/compare?codes=38001,04004')
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('04004')
    const tooMany = await ministry.request('/compare?ids=1,2,3,4,5,6')
    expect(tooMany.status).toBe(400)
    expect(await tooMany.text()).toContain('từ 2 đến 5')
  })

  it('takes tier and province medians over current scores (verified when verified, else declared)', async () => {
    const round = await db
      .selectFrom('rounds')
      .select(['id', 'name', 'questionnaire_id', 'scoring_model_id'])
      .orderBy('opens_on', 'desc')
      .executeTakeFirstOrThrow()
    // A verified assessment unlocked and resubmitted keeps its old verified score as history;
    // make that stale score extreme so using it would move the medians.
    const stale = await db
      .selectFrom('assessments')
      .innerJoin('scores', 'scores.assessment_id', 'assessments.id')
      .select([
        'assessments.id',
        'assessments.version',
        'scores.id as score_id',
        'scores.result_json',
      ])
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', '=', 'verified')
      .where('scores.basis', '=', 'verified')
      .executeTakeFirstOrThrow()
    const unlock = await ministry.request(`/review/${stale.id}`, {
      form: { intent: 'unlock', version: String(stale.version), reason: 'Sai số giường.' },
    })
    expect(unlock.status).toBe(200)
    await db
      .updateTable('assessments')
      .set({ status: 'submitted' })
      .where('id', '=', stale.id)
      .execute()
    const staleScore = JSON.parse(stale.result_json) as AssessmentScore
    await db
      .updateTable('scores')
      .set({
        composite_bp: 0,
        result_json: JSON.stringify({
          ...staleScore,
          compositeBp: 0,
          domains: staleScore.domains.map((d) => ({ ...d, score: 0 })),
        }),
      })
      .where('id', '=', stale.score_id)
      .execute()
    const picks = await db
      .selectFrom('facilities')
      .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
      .select(['facilities.id', 'facilities.tier', 'facilities.province_code'])
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .orderBy('facilities.id')
      .limit(3)
      .execute()
    const comparison = await getComparison(
      db,
      { kind: 'all' },
      picks.map((p) => p.id),
      round,
      'vi',
    )
    if (!comparison) throw new Error('no comparison')

    // The same medians computed the slow way, from every score's JSON.
    const all = await db
      .selectFrom('scores')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select([
        'scores.assessment_id',
        'scores.basis',
        'scores.result_json',
        'assessments.status',
        'facilities.tier',
        'facilities.province_code',
      ])
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .execute()
    const latest = new Map<number, (typeof all)[number]>()
    for (const row of all) {
      const seen = latest.get(row.assessment_id)
      const current = row.basis === 'verified' ? row.status === 'verified' : true
      if (current && (!seen || row.basis === 'verified')) latest.set(row.assessment_id, row)
    }
    const rows = [...latest.values()].map((r) => ({
      ...r,
      score: JSON.parse(r.result_json) as AssessmentScore,
    }))
    for (const f of comparison.facilities) {
      const tierRows = rows.filter((r) => r.tier === f.tier)
      const provinceRows = rows.filter(
        (r) => r.province_code === picks.find((p) => p.id === f.id)?.province_code,
      )
      expect(f.tierMedian.count).toBe(tierRows.length)
      expect(f.tierMedian.composite).toBeCloseTo(
        (median(tierRows.map((r) => r.score.compositeBp)) ?? 0) / 100,
        9,
      )
      expect(f.provinceMedian.composite).toBeCloseTo(
        (median(provinceRows.map((r) => r.score.compositeBp)) ?? 0) / 100,
        9,
      )
      for (const d of comparison.domains) {
        const bp = (r: (typeof rows)[number]) =>
          Math.round(10000 * (r.score.domains.find((x) => x.id === d.id)?.score ?? 0))
        expect(f.tierMedian.domains[d.id]).toBeCloseTo((median(tierRows.map(bp)) ?? 0) / 100, 9)
        expect(f.provinceMedian.domains[d.id]).toBeCloseTo(
          (median(provinceRows.map(bp)) ?? 0) / 100,
          9,
        )
      }
    }
  })
})

describe('audit page', () => {
  it('filters by action, actor and facility, pages newest first, and refuses bad filters', async () => {
    const all = await ministry.request('/audit')
    expect(all.status).toBe(200)
    const html = await all.text()
    expect(html).toContain('data-testid="audit-rows"')

    const actionsOf = (page: string) =>
      [...page.matchAll(/<code>([^<]*)<\/code>/g)].map((m) => m[1])
    expect(new Set(actionsOf(html)).size).toBeGreaterThan(1)
    const byAction = await (await ministry.request('/audit?action=assessment.verify')).text()
    expect(actionsOf(byAction).length).toBeGreaterThan(0)
    expect(new Set(actionsOf(byAction))).toEqual(new Set(['assessment.verify']))

    const badDate = await ministry.request('/audit?from=2026-02-30')
    expect(badDate.status).toBe(400)
    expect(await badDate.text()).toContain('Ngày không hợp lệ')
    const backwards = await ministry.request('/audit?from=2026-11-02&to=2026-11-01')
    expect(backwards.status).toBe(400)
    const nobody = await ministry.request('/audit?actor=khong.ton.tai')
    expect(nobody.status).toBe(400)
    expect(await nobody.text()).toContain('Không tìm thấy')

    // Keyset paging: the second page starts below the first page's last id.
    const count = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(count.n) > 50) {
      const older = /href="(\/audit\?before=\d+)"/.exec(html)?.[1]
      expect(older).toBeDefined()
      expect((await ministry.request(older ?? '')).status).toBe(200)
    }
    expect((await thanhhoa.request('/audit')).status).toBe(403)
  })

  it('the audit log cannot be rewritten or deleted', async () => {
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/)
    await expect(
      sql`UPDATE audit_log SET actor_id = NULL WHERE action = 'assessment.verified_value'`.execute(
        db,
      ),
    ).rejects.toThrow(/append-only/)
  })
})

describe('a verified value and a later answer', () => {
  it('no longer applies once the facility changes that answer after an unlock, and says so', async () => {
    const a = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
      .select([
        'assessments.id',
        'assessments.version',
        'assessments.answers',
        'assessments.round_id',
        'rounds.scoring_model_id',
      ])
      .where('facilities.code', '=', '01001')
      .where('assessments.status', '=', 'submitted')
      .executeTakeFirstOrThrow()
    const model = await modelOf(a.scoring_model_id)
    const declared = JSON.parse(a.answers) as Record<string, unknown>
    const ranked = (i: (typeof model.items)[number]) =>
      i.rule.type === 'choice' ? Object.entries(i.rule.scores).sort(([, x], [, y]) => x - y) : []
    // A choice item whose declared answer is neither its lowest nor its highest choice.
    const item = model.items.find((i) => {
      const choices = ranked(i)
      return (
        choices.length >= 3 &&
        declared[i.id] !== undefined &&
        declared[i.id] !== choices[0]?.[0] &&
        declared[i.id] !== choices.at(-1)?.[0]
      )
    })
    if (!item) throw new Error('no suitable choice item')
    const lowest = ranked(item)[0]?.[0] ?? ''
    const highest = ranked(item).at(-1)?.[0] ?? ''

    const act = async (form: Record<string, string>) => {
      const { version } = await assessmentState(db, a.id)
      return ministry.request(`/review/${a.id}`, { form: { version: String(version), ...form } })
    }
    expect(
      (
        await act({
          intent: 'verified-value',
          question: item.id,
          value: lowest,
          reason: 'Kiểm tra tại chỗ.',
        })
      ).status,
    ).toBe(200)
    expect((await act({ intent: 'verify' })).status).toBe(200)
    expect((await act({ intent: 'unlock', reason: 'Cơ sở xin sửa số liệu.' })).status).toBe(200)

    // The director answers that question again and resubmits.
    const director = new TestClient(server.origin)
    await director.signIn('giamdoc.bachmai')
    const save = await director.request('/assessment/save', {
      json: {
        roundId: a.round_id,
        baseVersion: (await assessmentState(db, a.id)).version,
        // The seeded answers claim a gate without the evidence a real submission needs.
        changes: {
          [item.id]: highest,
          backup_restore__evidence_ref: 'Biên bản diễn tập số 7/2025',
        },
        currentPage: 1,
      },
    })
    expect(save.status).toBe(200)
    const submit = await director.request('/assessment/submit', {
      json: {
        roundId: a.round_id,
        version: (await assessmentState(db, a.id)).version,
        submissionId: crypto.randomUUID(),
        password: DEMO_PASSWORD,
      },
    })
    expect(submit.status).toBe(200)

    // The reviewer sees the value marked as superseded; verifying scores the new answer.
    const page = await (await ministry.request(`/review/${a.id}`)).text()
    expect(page).toContain('Cơ sở đã sửa câu trả lời này sau khi giá trị thẩm định được ghi')
    expect((await act({ intent: 'verify' })).status).toBe(200)
    const stored = await db
      .selectFrom('scores')
      .select('result_json')
      .where('assessment_id', '=', a.id)
      .where('basis', '=', 'verified')
      .executeTakeFirstOrThrow()
    const score = JSON.parse(stored.result_json) as AssessmentScore
    const scored = score.items.find((i) => i.id === item.id)
    expect(scored?.source).toBe('declared')
    const now = JSON.parse((await assessmentState(db, a.id)).answers) as Record<string, unknown>
    expect(now[item.id]).toBe(highest)
    expect(score.compositeBp).toBe(scoreAssessment(model, now).compositeBp)
    // Nothing is lost: the superseded value stays in the table.
    expect(await verifiedValueCount(a.id)).toBe(1)
  })
})

describe('notifications', () => {
  it('show the director the returned assessment with its comments on the home page', async () => {
    const a = await db
      .selectFrom('assessments')
      .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
      .select(['assessments.id', 'assessments.version', 'assessments.facility_id'])
      .where('facilities.province_code', '=', '38')
      .where('assessments.status', '=', 'submitted')
      .orderBy('assessments.id', 'desc')
      .executeTakeFirstOrThrow()
    // A director account for that facility, with the demo password of another one.
    const demo = await db
      .selectFrom('users')
      .select('password_hash')
      .where('login', '=', 'giamdoc.thanhhoa')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('users')
      .values({
        login: 'giamdoc.notice',
        search_key: 'giamdoc.notice',
        display_name: 'Giám đốc (kiểm thử)',
        role: 'director',
        facility_id: a.facility_id,
        province_code: null,
        password_hash: demo.password_hash,
        disabled: 0,
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-01T00:00:00.000Z',
      })
      .execute()
    const director = new TestClient(server.origin)
    expect((await director.signIn('giamdoc.notice')).status).toBe(302)
    expect(await (await director.request('/')).text()).not.toContain('returned-notice')
    expect(await (await thanhhoa.request('/')).text()).toContain('data-testid="review-notice"')

    const r = await thanhhoa.request(`/review/${a.id}`, {
      form: {
        intent: 'return',
        version: String(a.version),
        general: 'Bổ sung minh chứng.',
        'comment.backup_restore': 'Cần biên bản thử khôi phục.',
      },
    })
    expect(r.status).toBe(200)
    const home = await (await director.request('/')).text()
    expect(home).toContain('data-testid="returned-notice"')
    expect(home).toContain('Bổ sung minh chứng.')
    expect(home).toContain('Cần biên bản thử khôi phục.')
    // Another facility's director sees nothing of it.
    const other = new TestClient(server.origin)
    await other.signIn('giamdoc.caobang')
    expect(await (await other.request('/')).text()).not.toContain('Cần biên bản thử khôi phục.')
  })
})
