import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { priorityModelV1 } from '../../../db/content/priority-model.ts'
import {
  feasibilityBreakdown,
  needBreakdown,
  parsePriorityModel,
  parsePriorityObjective,
  priorityBp,
} from '../../../scoring/priority.ts'
import { rankFacilities, type RankEntry } from '../../../scoring/rank.ts'
import { scoreAssessment } from '../../../scoring/score.ts'
import { percentModel, shuffled } from './helpers.ts'

const equal = percentModel([0.5, 0.5])
const entry = (code: string, x: number[], need?: number): RankEntry => ({
  facilityId: `f_${code}`,
  code,
  score: scoreAssessment(equal, Object.fromEntries(x.map((v, i) => [`q${i}`, v]))),
  need,
})

describe('rank reversal (TOPSIS test vector)', () => {
  it('adding D = (12, 45) does not flip A and B', () => {
    // Weighted sum on fixed 0–100 scales: A = (82 + 33)/2 = 57.5, B = (45 + 79)/2 = 62,
    // C = 21, D = 28.5. TOPSIS flips A and B when D arrives; we must not.
    const abc = [entry('A', [82, 33]), entry('B', [45, 79]), entry('C', [12, 30])]
    const before = rankFacilities(abc, { model: equal, requiredGateIds: [] }).ranked
    const after = rankFacilities([...abc, entry('D', [12, 45])], {
      model: equal,
      requiredGateIds: [],
    }).ranked
    expect(before.map((r) => r.code)).toEqual(['B', 'A', 'C'])
    expect(after.map((r) => r.code)).toEqual(['B', 'A', 'D', 'C'])
    expect(after.map((r) => r.priorityBp)).toEqual([6200, 5750, 2850, 2100])
  })
})

describe('competition ranks and tie-break', () => {
  it('ties share a rank (1, 2, 2, 4); display order follows need then code', () => {
    const ranking = rankFacilities(
      [
        entry('Z', [60, 60], 0.2),
        entry('Y', [60, 60], 0.9),
        entry('X', [80, 80]),
        entry('W', [60, 60], 0.2),
        entry('V', [10, 10]),
      ],
      { model: equal, requiredGateIds: [] },
    )
    expect(ranking.ranked.map((r) => [r.code, r.rank, r.tied])).toEqual([
      ['X', 1, false],
      ['Y', 2, true],
      ['W', 2, true],
      ['Z', 2, true],
      ['V', 5, false],
    ])
  })

  it('excludes incomplete facilities and failing required gates, with the reason', () => {
    // default required gates: those of R1 = [G1] (q0 ≥ 0.1)
    const ranking = rankFacilities(
      [entry('A', [50, 50]), entry('B', [5, 90]), { ...entry('C', [50]), facilityId: 'f_C' }],
      { model: equal },
    )
    expect(ranking.requiredGateIds).toEqual(['G1'])
    expect(ranking.ranked.map((r) => r.code)).toEqual(['A'])
    expect(ranking.excluded).toEqual([
      {
        facilityId: 'f_B',
        code: 'B',
        reasons: [
          { kind: 'gate', gateId: 'G1', failedBy: { itemId: 'q0', answer: 5, score: 0.05 } },
        ],
      },
      {
        facilityId: 'f_C',
        code: 'C',
        reasons: [{ kind: 'completeness', completeness: 0.5, threshold: 0.9 }],
      },
    ])
  })

  it('refuses scores from another model version and duplicate facilities', () => {
    const a = entry('A', [50, 50])
    const other = { ...a, facilityId: 'x', score: { ...a.score, modelVersion: '2.0.0' } }
    expect(() => rankFacilities([other], { model: equal })).toThrow(
      /scored with test-model 2\.0\.0/,
    )
    expect(() => rankFacilities([a, a], { model: equal })).toThrow(/listed twice/)
  })
})

const facilitiesArb = fc.uniqueArray(
  fc.record({
    code: fc.string({ minLength: 1, maxLength: 4 }),
    x0: fc.integer({ min: 0, max: 100 }),
    x1: fc.integer({ min: 0, max: 100 }),
    need: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { selector: (f) => f.code, maxLength: 15 },
)

describe('properties', () => {
  it('input order never changes the ranking (byte-identical JSON)', () => {
    fc.assert(
      fc.property(facilitiesArb, fc.integer(), (list, seed) => {
        const entries = list.map((f) => entry(f.code, [f.x0, f.x1], f.need))
        const objective = parsePriorityObjective({
          kind: 'weighted',
          weights: { readiness: 0.6, need: 0.4, feasibility: 0 },
        })
        const a = JSON.stringify(rankFacilities(entries, { model: equal, objective }))
        const b = JSON.stringify(
          rankFacilities(shuffled(entries, seed), { model: equal, objective }),
        )
        expect(b).toBe(a)
      }),
      { numRuns: 60 },
    )
  })

  it('adding a facility never changes the others’ priorities or relative order', () => {
    fc.assert(
      fc.property(
        facilitiesArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (list, x0, x1) => {
          const entries = list.map((f) => entry(f.code, [f.x0, f.x1], f.need))
          const before = rankFacilities(entries, { model: equal, requiredGateIds: [] }).ranked
          const after = rankFacilities(
            [...entries, { ...entry('new', [x0, x1]), facilityId: 'new!' }],
            {
              model: equal,
              requiredGateIds: [],
            },
          ).ranked.filter((r) => r.facilityId !== 'new!')
          expect(after.map((r) => [r.facilityId, r.priorityBp])).toEqual(
            before.map((r) => [r.facilityId, r.priorityBp]),
          )
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('priority', () => {
  it('validates objective weights (sum to 1)', () => {
    expect(() =>
      parsePriorityObjective({
        kind: 'weighted',
        weights: { readiness: 0.5, need: 0.4, feasibility: 0 },
      }),
    ).toThrow(/sum to 1/)
    expect(() =>
      parsePriorityObjective({
        kind: 'weighted',
        weights: { readiness: 1.2, need: -0.2, feasibility: 0 },
      }),
    ).toThrow()
  })

  it('computes need, feasibility and integer priorities on fixed goalposts', () => {
    const { need, feasibility } = priorityModelV1
    // need = .4·(525 − 50)/(1000 − 50) + .3·1 + .2·.5 + .1·.5 = .2 + .3 + .1 + .05 = .65
    const n = needBreakdown(
      { beds: 525, deadlineMissed: true, technicalLevel: 'basic', referralRole: 'provincial' },
      need,
    )
    expect(n).toMatchObject({ beds: 0.5, deadline: 1, technicalLevel: 0.5, referralRole: 0.5 })
    expect(n.value).toBeCloseTo(0.65, 12)
    // Unknown terms earn nothing and say so.
    expect(
      needBreakdown(
        { beds: null, deadlineMissed: null, technicalLevel: null, referralRole: null },
        need,
      ),
    ).toEqual({ beds: null, deadline: null, technicalLevel: null, referralRole: null, value: 0 })
    // feasibility = .5·.5 + .3·1 + .2·1 = .75
    expect(
      feasibilityBreakdown(
        { budgetSecuredPct: 50, autonomyGroup: 1, hisCompatibility: 1 },
        feasibility,
      ).value,
    ).toBeCloseTo(0.75, 12)
    // weighted: round(10000·(.5·.7 + .5·.4)) = 5500
    const objective = parsePriorityObjective({
      kind: 'weighted',
      weights: { readiness: 0.5, need: 0.5, feasibility: 0 },
    })
    expect(priorityBp(objective, { compositeBp: 7000, need: 0.4 })).toBe(5500)
    expect(priorityBp({ kind: 'readiness' }, { compositeBp: 7000, need: 0.4 })).toBe(7000)
  })

  it('drops the autonomy term for a facility outside Decree 60 and renormalises the others', () => {
    const { feasibility } = priorityModelV1
    // (.5·.6 + .2·.5) / (.5 + .2) = .4 / .7
    const f = feasibilityBreakdown(
      { budgetSecuredPct: 60, autonomyGroup: 'notApplicable', hisCompatibility: 0.5 },
      feasibility,
    )
    expect(f.autonomy).toBe('notApplicable')
    expect(f.value).toBeCloseTo(0.4 / 0.7, 12)
    // An unknown group is not "not applicable": it counts 0 with its weight kept.
    const unknown = feasibilityBreakdown(
      { budgetSecuredPct: 60, autonomyGroup: null, hisCompatibility: 0.5 },
      feasibility,
    )
    expect(unknown.value).toBeCloseTo(0.5 * 0.6 + 0.2 * 0.5, 12)
  })

  it('refuses a priority model whose weights do not sum to 1', () => {
    const bad = structuredClone(priorityModelV1)
    bad.need.weights.beds = 0.5
    expect(() => parsePriorityModel(bad)).toThrow(/need weights must sum to 1/)
  })
})

describe('minimum level', () => {
  it('excludes facilities below it, naming the level, and refuses a level the model lacks', () => {
    const entries = [entry('A', [80, 80]), entry('B', [5, 5])]
    const ranked = rankFacilities(entries, { model: equal, requiredGateIds: [], minLevel: 'R1' })
    expect(ranked.ranked.map((r) => r.code)).toEqual(['A'])
    expect(ranked.excluded).toEqual([
      { facilityId: 'f_B', code: 'B', reasons: [{ kind: 'level', levelId: 'R0', minLevel: 'R1' }] },
    ])
    expect(ranked.minLevel).toBe('R1')
    expect(() => rankFacilities(entries, { model: equal, minLevel: 'R7' })).toThrow(
      /level "R7" is not in model/,
    )
  })
})
