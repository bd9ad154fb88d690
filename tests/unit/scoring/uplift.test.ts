import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseScoringModel, type ScoringModel } from '../../../scoring/model-schema.ts'
import {
  gatesEnabled,
  itemCodes,
  levelIndexFromCodes,
  scoreAssessment,
  type Answers,
} from '../../../scoring/score.ts'
import { cheapestUplift, costIndex, liftedBy, supportCurves } from '../../../scoring/uplift.ts'
import { domain, gate, goldenModel, item, level, modelInput } from './helpers.ts'

type Kind = 'choice' | 'yesNo' | 'percentage' | 'checklist'

type RuleInput = Parameters<typeof item>[3]
const RULES: Record<Kind, RuleInput> = {
  choice: { type: 'choice', scores: { none: 0, partial: 0.5, full: 1 } },
  yesNo: { type: 'yesNo' },
  percentage: { type: 'percentage', floor: 20, target: 80 },
  checklist: { type: 'checklist', options: ['x', 'y', 'z'] },
}

interface Instance {
  model: ScoringModel
  answers: Answers
  costs: Map<string, number>
}

/** A small random model: two domains, 2–7 items of four rule types, item and domain gates, floors. */
const instanceArb = fc
  .record({
    kinds: fc.array(fc.constantFrom<Kind>('choice', 'yesNo', 'percentage', 'checklist'), {
      minLength: 2,
      maxLength: 7,
    }),
    answers: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: 7, maxLength: 7 }),
    costs: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 7, maxLength: 7 }),
    uncosted: fc.integer({ min: 0, max: 8 }),
    basis: fc.constantFrom('composite' as const, 'basisPoints' as const),
    floor: fc.constantFrom(0, 0.3, 0.6),
    r1: fc.integer({ min: 10, max: 50 }),
  })
  .map(({ kinds, answers, costs, uncosted, basis, floor, r1 }): Instance => {
    const ids = kinds.map((_, i) => `i${i}`)
    const inA = ids.filter((_, i) => i % 2 === 0)
    const inB = ids.filter((_, i) => i % 2 === 1)
    const items = kinds.map((kind, i) =>
      item(`i${i}`, i % 2 === 0 ? 'd_a' : 'd_b', 1 / (i % 2 === 0 ? inA : inB).length, RULES[kind]),
    )
    const first = kinds[0] ?? 'yesNo'
    const model = parseScoringModel({
      ...modelInput({
        domains: [domain('d_a', 0.6), domain('d_b', 0.4)],
        items,
        gates: [
          gate('G1', { kind: 'item', itemId: 'i0', minScore: first === 'choice' ? 0.5 : 1 }),
          gate('G2', { kind: 'domain', domainId: 'd_b', minScore: 0.5 }),
        ],
        levels: [
          level('R0', 0, []),
          level('R1', r1, ['G1']),
          {
            ...level('R2', 70, ['G1', 'G2']),
            ...(floor > 0 ? { domainFloors: { all: floor } } : {}),
          },
        ],
      }),
      levelBasis: basis,
    })
    const value = (kind: Kind, a: number): unknown => {
      if (a < 0) return undefined
      switch (kind) {
        case 'choice':
          return (['none', 'partial', 'full', 'partial'] as const)[a]
        case 'yesNo':
          return a % 2 === 0 ? 'no' : 'yes'
        case 'percentage':
          return [0, 35, 50, 90][a]
        case 'checklist':
          return ['x', 'y', 'z'].slice(0, a)
      }
    }
    const answerEntries = kinds.map((kind, i) => [`i${i}`, value(kind, answers[i] ?? -1)] as const)
    const costEntries = ids
      .filter((_, i) => i !== uncosted)
      .map((id, i) => [id, (costs[i] ?? 1) * 1_000_000] as const)
    return {
      model,
      answers: Object.fromEntries(answerEntries.filter(([, v]) => v !== undefined)),
      costs: new Map(costEntries),
    }
  })

/** The answer that scores an item's best, per rule type (test models only use these four). */
function bestAnswer(model: ScoringModel, itemId: string): unknown {
  const rule = model.items.find((i) => i.id === itemId)?.rule
  switch (rule?.type) {
    case 'choice':
      return Object.entries(rule.scores).sort((a, b) => b[1] - a[1])[0]?.[0]
    case 'yesNo':
      return rule.yes >= rule.no ? 'yes' : 'no'
    case 'percentage':
      return rule.target
    case 'checklist':
      return [...rule.options]
    default:
      throw new Error(`no best answer for ${itemId}`)
  }
}

/** Brute force: every subset of costed items, judged by scoreAssessment on the answers it implies. */
function bruteForce(instance: Instance, target: number): number | null {
  const { model, answers, costs } = instance
  const ids = [...costs.keys()]
  let best: number | null = null
  for (let mask = 0; mask < 1 << ids.length; mask++) {
    const after: Record<string, unknown> = { ...answers }
    let cost = 0
    ids.forEach((id, k) => {
      if (mask & (1 << k)) {
        after[id] = bestAnswer(model, id)
        cost += costs.get(id) ?? 0
      }
    })
    if (scoreAssessment(model, after).level.index >= target && (best === null || cost < best)) {
      best = cost
    }
  }
  return best
}

describe('levelIndexFromCodes', () => {
  it('gives the level scoreAssessment gives, on random models and answers', () => {
    fc.assert(
      fc.property(instanceArb, ({ model, answers }) => {
        const score = scoreAssessment(model, answers)
        const codes = itemCodes(model, score)
        expect(levelIndexFromCodes(model, codes, gatesEnabled(model, score))).toBe(
          score.level.index,
        )
      }),
      { seed: 2101, numRuns: 300 },
    )
  })

  it('reads raised items at their best, like the answers that give the best score', () => {
    fc.assert(
      fc.property(instanceArb, ({ model, answers, costs }) => {
        const raised = new Set([...costs.keys()].slice(0, 2))
        const after: Record<string, unknown> = { ...answers }
        for (const id of raised) after[id] = bestAnswer(model, id)
        const score = scoreAssessment(model, answers)
        const codes = itemCodes(model, score, raised)
        expect(levelIndexFromCodes(model, codes, gatesEnabled(model, score))).toBe(
          scoreAssessment(model, after).level.index,
        )
      }),
      { seed: 2102, numRuns: 200 },
    )
  })
})

describe('cheapestUplift', () => {
  let dpRuns = 0
  it('finds the brute-force minimum cost for every target level', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const score = scoreAssessment(instance.model, instance.answers)
        for (const [target, l] of instance.model.levels.entries()) {
          const plan = cheapestUplift(instance.model, score, instance.costs, l.id)
          const brute = bruteForce(instance, target)
          if (score.level.index >= target) {
            expect(plan.status).toBe('already')
            continue
          }
          if (brute === null) {
            expect(plan.status).toBe('unreachable')
            continue
          }
          expect(plan.status).toBe('reached')
          expect(plan.exact).toBe(true)
          expect(plan.costVnd).toBe(brute)
          // The plan's own actions reach the target by the engine's full scoring.
          const after: Record<string, unknown> = { ...instance.answers }
          for (const id of plan.actions) after[id] = bestAnswer(instance.model, id)
          expect(scoreAssessment(instance.model, after).level.index).toBeGreaterThanOrEqual(target)
          expect(plan.levelIndexAfter).toBeGreaterThanOrEqual(target)
        }
      }),
      { seed: 2103, numRuns: 250 },
    )
  })

  it('finishes with the cost DP, still at the brute-force minimum, when the node limit stops the search', () => {
    fc.assert(
      fc.property(instanceArb, (instance) => {
        const score = scoreAssessment(instance.model, instance.answers)
        const plan = cheapestUplift(instance.model, score, instance.costs, 'R2', { nodeLimit: 1 })
        const brute = bruteForce(instance, 2)
        if (plan.status !== 'reached') return
        expect(plan.costVnd).toBeGreaterThanOrEqual(brute ?? 0)
        if (plan.exact) expect(plan.costVnd).toBe(brute)
        else expect(plan.method).toBe('greedy')
        if (plan.method === 'dynamicProgramme') dpRuns++
      }),
      { seed: 2104, numRuns: 200 },
    )
    // The DP did run on some of them (the test would prove nothing otherwise).
    expect(dpRuns).toBeGreaterThan(10)
  })

  it('lifts the golden model facility to R2 with the cheapest pair (worked example)', () => {
    // a_yes fails G1 (forced in); d_b at 0.25 fails G2 and the composite needs 60.
    const answers = {
      a_choice: 'full',
      a_yes: 'no',
      has_inpatient: 'yes',
      beds: 100,
      a_num: 2,
      b_pct: 50,
      b_check: ['x'],
      b_down: 48,
    }
    const score = scoreAssessment(goldenModel, answers)
    expect(score.level.id).toBe('R0')
    const costs = costIndex([
      { itemId: 'a_yes', costVnd: 100 },
      { itemId: 'b_pct', costVnd: 50 },
      { itemId: 'b_check', costVnd: 40 },
      { itemId: 'b_down', costVnd: 200 },
    ])
    const plan = cheapestUplift(goldenModel, score, costs, 'R2')
    // With a_yes, D_a = 1 and D_b = 0.25·0.5 + 0.25·0.25 = 0.1875: composite 67.5 ≥ 60, but
    // G2 needs D_b ≥ 0.5: b_pct (+0.125) and b_check (+0.1875) for 90, or b_down (+0.5) for 200.
    expect(plan).toMatchObject({
      status: 'reached',
      actions: ['a_yes', 'b_pct', 'b_check'],
      costVnd: 190,
      exact: true,
      levelIndexAfter: 2,
    })
    expect(cheapestUplift(goldenModel, score, costs, 'R1')).toMatchObject({
      actions: ['a_yes'],
      costVnd: 100,
    })
    expect(cheapestUplift(goldenModel, score, costIndex([]), 'R1').status).toBe('unreachable')
  })

  it('refuses a cost table listing an item twice and an unknown level', () => {
    expect(() =>
      costIndex([
        { itemId: 'a', costVnd: 1 },
        { itemId: 'a', costVnd: 2 },
      ]),
    ).toThrow(/two remedial actions/)
    const score = scoreAssessment(goldenModel, {})
    expect(() => cheapestUplift(goldenModel, score, new Map(), 'R9')).toThrow(/R9/)
  })
})

describe('supportCurves', () => {
  const uplifts = [
    { facilityId: 'a', province: 'hn', costVnd: 300 },
    { facilityId: 'b', province: 'hn', costVnd: 100 },
    { facilityId: 'c', province: 'hn', costVnd: 100 },
    { facilityId: 'd', province: 'dn', costVnd: 50 },
  ]

  it('cumulates each province cheapest first', () => {
    expect(supportCurves(uplifts)).toEqual({
      dn: [{ costVnd: 50, lifted: 1, facilityId: 'd' }],
      hn: [
        { costVnd: 100, lifted: 1, facilityId: 'b' },
        { costVnd: 200, lifted: 2, facilityId: 'c' },
        { costVnd: 500, lifted: 3, facilityId: 'a' },
      ],
    })
  })

  it('lifts the most facilities any subset within the budget could', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 0, maxLength: 8 }),
        fc.integer({ min: 0, max: 200 }),
        (costs, budget) => {
          const curve =
            supportCurves(costs.map((c, i) => ({ facilityId: `f${i}`, province: 'p', costVnd: c })))
              .p ?? []
          let best = 0
          for (let mask = 0; mask < 1 << costs.length; mask++) {
            const picked = costs.filter((_, i) => mask & (1 << i))
            if (picked.reduce((a, b) => a + b, 0) <= budget) best = Math.max(best, picked.length)
          }
          expect(liftedBy(curve, budget)).toBe(best)
        },
      ),
      { seed: 2105, numRuns: 200 },
    )
  })
})
