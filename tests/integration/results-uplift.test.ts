/**
 * What support buys on the director's results page (issue #21): the
 * cheapest remedial actions to the next level and to R3, with the newest
 * cost table, as the engine's `cheapestUplift` computes them from the stored
 * score — and nothing of another facility.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getLatestCostTable } from '../../app/models/roadmap.server.ts'
import { getCurrentScore } from '../../app/models/score.server.ts'
import { formatNumber } from '../../app/utils/number-format.ts'
import { parseScoringModel } from '../../scoring/model-schema.ts'
import { cheapestUplift, costIndex } from '../../scoring/uplift.ts'
import { startTestServer, TestClient, type TestServer } from '../support/http.ts'
import { openTestDatabase } from '../support/test-db.ts'

let server: TestServer
const { db } = openTestDatabase()

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server.close()
  await db.destroy()
})

/** The facility's newest assessment that has a score, with its round's model. */
async function newestScored(code: string) {
  const rows = await db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
    .select(['assessments.id', 'scoring_models.json as model_json'])
    .where('facilities.code', '=', code)
    .orderBy('rounds.opens_on', 'desc')
    .execute()
  for (const row of rows) {
    const scored = await getCurrentScore(db, row.id)
    if (scored) return { score: scored.score, model: parseScoringModel(JSON.parse(row.model_json)) }
  }
  throw new Error(`facility ${code} has no scored assessment`)
}

describe('the results page', () => {
  it('shows the cheapest uplift to the next level and to R3, priced with the newest cost table', async () => {
    const { score, model } = await newestScored('04004')
    const table = await getLatestCostTable(db)
    if (!table) throw new Error('no cost table in the test database')
    const costs = costIndex(table.table.actions)
    const now = score.level.index
    const r3 = model.levels.findIndex((l) => l.id === 'R3')
    const targets = [...new Set([now + 1, ...(r3 > now + 1 ? [r3] : [])])]
      .map((k) => model.levels[k]?.id)
      .filter((id): id is string => id !== undefined)
    // Cao Bằng's seeded answers are at R0: the page shows R1 and R3.
    expect(targets).toEqual(['R1', 'R3'])

    const client = new TestClient(server.origin)
    expect((await client.signIn('giamdoc.caobang')).status).toBe(302)
    const html = await (await client.request('/results')).text()
    expect(html).toContain(`theo bảng chi phí ${table.version}`)
    for (const target of targets) {
      const plan = cheapestUplift(model, score, costs, target)
      expect(html).toContain(`Lên ${target} · `)
      if (plan.status !== 'reached') continue
      const bn = formatNumber(plan.costVnd / 1e9, 'vi', 0, 3)
      expect(html).toContain(`${plan.actions.length} biện pháp, tổng ${bn} tỷ đồng.`)
      // Each action's question is named (its item id never stands in for it).
      for (const itemId of plan.actions) {
        const action = table.table.actions.find((a) => a.itemId === itemId)
        expect(action).toBeDefined()
        expect(html).toContain(action?.action.vi ?? '')
      }
    }
  })
})
