/**
 * Peer medians never disclose a peer: with two submissions in a tier, a
 * director knowing their own scores would compute the other facility's from
 * the median. Medians are shown only for groups of at least MIN_PEER_GROUP
 * facilities, and the pages say so otherwise: result page, printable report,
 * compare page.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssessmentStatus } from '../../db/schema.ts'
import { getResultsPage } from '../../app/assessment/results.server.ts'
import { getComparison } from '../../app/review/compare.server.ts'
import { median, MIN_PEER_GROUP } from '../../app/utils/medians.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()
let round: { id: number; name: string; questionnaire_id: number; scoring_model_id: number }
let bachMai: number
/** Central facilities with a submitted or verified assessment, Bạch Mai first. */
let centralPeers: Array<{ id: number; assessmentId: number; status: AssessmentStatus }>
let director: TestClient

/** Leaves only the first `count` central peers submitted; the others go back to draft. */
async function keepSubmitted(count: number) {
  for (const [index, peer] of centralPeers.entries()) {
    await db
      .updateTable('assessments')
      .set({ status: index < count ? peer.status : 'draft' })
      .where('id', '=', peer.assessmentId)
      .execute()
  }
}

beforeAll(async () => {
  round = await db
    .selectFrom('rounds')
    .select(['id', 'name', 'questionnaire_id', 'scoring_model_id'])
    .orderBy('opens_on', 'desc')
    .executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .select([
      'facilities.id',
      'facilities.code',
      'assessments.id as assessmentId',
      'assessments.status',
    ])
    .where('assessments.round_id', '=', round.id)
    .where('facilities.tier', '=', 'central')
    .where('assessments.status', 'in', ['submitted', 'verified'])
    .orderBy('facilities.id')
    .execute()
  const first = rows.find((r) => r.code === '01001')
  if (!first || rows.length < MIN_PEER_GROUP + 1)
    throw new Error('the seed has too few central submissions')
  bachMai = first.id
  centralPeers = [first, ...rows.filter((r) => r !== first)]
  server = await startTestServer()
  director = new TestClient(server.origin)
  expect((await director.signIn('giamdoc.bachmai')).status).toBe(302)
})

afterAll(async () => {
  await server.close()
  await db.destroy()
})

describe('the tier median on the result page and the report', () => {
  it('is not shown for a tier of two submissions, and the pages say why', async () => {
    await keepSubmitted(2)
    const page = await getResultsPage(db, bachMai, 'vi', '')
    expect(page?.current?.peerGroup).toEqual({ size: 2, min: MIN_PEER_GROUP, shown: false })
    expect(page?.current?.domains.map((d) => d.tierMedian)).toEqual(
      page?.current?.domains.map(() => null),
    )
    const results = await (await director.request('/results')).text()
    expect(results).toContain('Tuyến này mới có 2 cơ sở đã nộp trong đợt, chưa đủ 5')
    const report = await (await director.request(`/facilities/${bachMai}/report`)).text()
    expect(report).toContain('Tuyến này mới có 2 cơ sở đã nộp trong đợt, chưa đủ 5')
    const english = await (
      await fetch(`${server.origin}/results`, {
        headers: { cookie: `${director.cookie}; sansang_lang=en`, 'x-forwarded-for': director.ip },
      })
    ).text()
    expect(english).toContain('Only 2 facilities of this tier have submitted in this round')
  })

  it(`is shown from ${MIN_PEER_GROUP} submissions: the median of their current scores`, async () => {
    await keepSubmitted(MIN_PEER_GROUP)
    const page = await getResultsPage(db, bachMai, 'vi', '')
    expect(page?.current?.peerGroup.shown).toBe(true)
    const ids = centralPeers.slice(0, MIN_PEER_GROUP).map((p) => p.assessmentId)
    const scores = await db
      .selectFrom('scores')
      .innerJoin('score_domains', 'score_domains.score_id', 'scores.id')
      .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
      .select([
        'scores.assessment_id',
        'scores.basis',
        'assessments.status',
        'score_domains.domain_id',
        'score_domains.score_bp',
      ])
      .where('scores.assessment_id', 'in', ids)
      .where('scores.scoring_model_id', '=', round.scoring_model_id)
      .execute()
    for (const d of page?.current?.domains ?? []) {
      // The current score: verified for a verified assessment, else declared.
      const values = ids.map((id) => {
        const own = scores.filter((s) => s.assessment_id === id && s.domain_id === d.id)
        const verified = own.find((s) => s.basis === 'verified' && s.status === 'verified')
        return (verified ?? own.find((s) => s.basis === 'declared'))?.score_bp ?? NaN
      })
      expect(d.tierMedian).toBeCloseTo((median(values) ?? NaN) / 10_000, 9)
    }
    const results = await (await director.request('/results')).text()
    expect(results).toContain('Trung vị chỉ được hiển thị cho nhóm từ 5 cơ sở trở lên')
  })
})

describe('the compare page', () => {
  it('hides the median of a group under the minimum and says how many it has', async () => {
    await keepSubmitted(centralPeers.length)
    // Nghệ An (province 40) has three submissions in the seed.
    const ngheAn = await db
      .selectFrom('facilities')
      .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
      .select('facilities.id')
      .where('facilities.province_code', '=', '40')
      .where('assessments.round_id', '=', round.id)
      .where('assessments.status', 'in', ['submitted', 'verified'])
      .execute()
    expect(ngheAn.length).toBeLessThan(MIN_PEER_GROUP)
    const first = ngheAn[0]
    if (!first) throw new Error('no submission in province 40')
    const comparison = await getComparison(db, { kind: 'all' }, [first.id, bachMai], round, 'vi')
    const facility = comparison?.facilities.find((f) => f.id === first.id)
    expect(facility?.provinceMedian.count).toBe(ngheAn.length)
    expect(facility?.provinceMedian.composite).toBeNull()
    expect(facility?.provinceMedian.domains).toEqual({})
    expect(facility?.tierMedian.composite).not.toBeNull()

    const ministry = new TestClient(server.origin)
    await ministry.signIn('boyte')
    const html = await (await ministry.request(`/compare?ids=${first.id},${bachMai}`)).text()
    expect(html).toContain(`ẩn: nhóm mới có ${ngheAn.length} cơ sở`)
    expect(html).toContain('Trung vị chỉ được hiển thị cho nhóm từ 5 cơ sở trở lên')
  })
})
