/**
 * The current score has one rule (app/models/score.server.ts): the verified
 * score while the assessment is verified, the declared one otherwise. After
 * an unlock every page — the director's result page, the printable report,
 * the review page, the lists — shows the declared score again.
 */
import { openTestDatabase } from '../support/test-db.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { getResultsPage } from '../../app/assessment/results.server.ts'
import { getCurrentScore } from '../../app/models/score.server.ts'
import { formatNumber } from '../../app/utils/number-format.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'

let server: TestServer
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

async function bachMai() {
  return db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
    .select([
      'assessments.id',
      'assessments.version',
      'assessments.answers',
      'assessments.status',
      'facilities.id as facility_id',
      'scoring_models.json as model_json',
    ])
    .where('facilities.code', '=', '01001')
    .where('assessments.status', '=', 'submitted')
    .executeTakeFirstOrThrow()
}

describe('the current score after an unlock', () => {
  it('is the declared one on the result page and the report, not the old verified one', async () => {
    const a = await bachMai()
    const model = parseScoringModel(JSON.parse(a.model_json))
    const answers = JSON.parse(a.answers) as Record<string, unknown>
    // Correct a passing yes/no item to "no", so the verified score is lower than the declared.
    const item = model.items.find((i) => i.rule.type === 'yesNo' && answers[i.id] === 'yes')
    if (!item) throw new Error('no item answered yes')
    const ministry = new TestClient(server.origin)
    await ministry.signIn('boyte')
    const form = (intent: string, version: number, extra: Record<string, string> = {}) =>
      ministry.request(`/review/${a.id}`, {
        form: { intent, version: String(version), ...extra },
      })
    expect(
      (
        await form('verified-value', a.version, {
          question: item.id,
          value: 'no',
          reason: 'Kiểm tra tại chỗ',
        })
      ).status,
    ).toBe(200)
    expect((await form('verify', a.version + 1)).status).toBe(200)

    const declared = await getResultsPage(db, a.facility_id, 'en', '—')
    const verifiedNow = await getCurrentScore(db, a.id)
    expect(verifiedNow?.basis).toBe('verified')
    expect(declared?.current?.basis).toBe('verified')

    expect(
      (await form('unlock', a.version + 2, { reason: 'Mở lại để bổ sung minh chứng' })).status,
    ).toBe(200)
    const afterUnlock = await getCurrentScore(db, a.id)
    expect(afterUnlock?.basis).toBe('declared')
    expect(afterUnlock?.compositeBp).toBeGreaterThan(verifiedNow?.compositeBp ?? Infinity)
    const page = await getResultsPage(db, a.facility_id, 'en', '—')
    expect(page?.current?.basis).toBe('declared')
    expect(page?.current?.composite).toBe(afterUnlock?.score.composite)

    // The pages say it too: the director's result page and the printable report
    // (two decimals, where the level is shown, so the level matches the number).
    const director = new TestClient(server.origin)
    await director.signIn('giamdoc.bachmai')
    const shown = formatNumber(afterUnlock?.score.composite ?? 0, 'vi', 2)
    expect(shown).not.toBe(formatNumber(verifiedNow?.score.composite ?? 0, 'vi', 2))
    for (const [path, testId] of [
      ['/results', 'composite'],
      [`/facilities/${a.facility_id}/report`, 'report-composite'],
    ] as const) {
      const html = await (await director.request(path)).text()
      const match = new RegExp(`data-testid="${testId}">([^ <]+)`).exec(html)
      expect(match?.[1], path).toBe(shown)
    }
  })
})
