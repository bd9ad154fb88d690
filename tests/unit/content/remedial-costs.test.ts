import { describe, expect, it } from 'vitest'
import { remedialCostsV1 } from '../../../db/content/remedial-costs.ts'
import { SCORING_MODELS, scoringModelV1_1 } from '../../../db/content/questionnaire.ts'
import { scoreAssessment } from '../../../scoring/score.ts'
import { cheapestUplift, costIndex } from '../../../scoring/uplift.ts'
import strongButInsecure from '../../../db/content/samples/strong-but-insecure.json' with { type: 'json' }
import basicFar from '../../../db/content/samples/basic-far.json' with { type: 'json' }
import provincialMiddle from '../../../db/content/samples/provincial-middle.json' with { type: 'json' }

describe('the shipped remedial cost table', () => {
  it('costs only items of every shipped model, each once, each marked with its source', () => {
    for (const model of SCORING_MODELS) {
      const ids = new Set(model.items.map((i) => i.id))
      for (const a of remedialCostsV1.actions) expect(ids.has(a.itemId), a.itemId).toBe(true)
    }
    expect(costIndex(remedialCostsV1.actions).size).toBe(remedialCostsV1.actions.length)
    // No sourced figure yet: every row says "estimate" rather than pretending otherwise.
    expect(new Set(remedialCostsV1.actions.map((a) => a.source))).toEqual(new Set(['estimate']))
  })

  it('prices an exact uplift to R3 for the sample facilities on model 1.1', () => {
    const costs = costIndex(remedialCostsV1.actions)
    for (const sample of [strongButInsecure, basicFar, provincialMiddle]) {
      const score = scoreAssessment(scoringModelV1_1, sample)
      const plan = cheapestUplift(scoringModelV1_1, score, costs, 'R3')
      if (score.level.index >= 3) {
        expect(plan.status).toBe('already')
        continue
      }
      expect(plan.status).toBe('reached')
      expect(plan.exact).toBe(true)
      expect(plan.levelIndexAfter).toBeGreaterThanOrEqual(3)
      expect(plan.costVnd).toBe(plan.actions.reduce((a, id) => a + (costs.get(id) ?? 0), 0))
      // Every failing R3 gate item is among the actions.
      for (const g of score.gates) {
        const gate = scoringModelV1_1.gates.find((x) => x.id === g.id)
        const r3 = scoringModelV1_1.levels[3]?.gateIds ?? []
        if (!g.passed && gate?.condition.kind === 'item' && r3.includes(g.id)) {
          expect(plan.actions).toContain(gate.condition.itemId)
        }
      }
    }
  })
})
