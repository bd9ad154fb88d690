import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseScoringModel } from '../../../scoring/model-schema.ts'
import {
  explainScore,
  improvementOptions,
  scoreAssessment,
  scoreComposites,
} from '../../../scoring/score.ts'
import {
  domain,
  gate,
  goldenAnswers,
  goldenModel,
  item,
  level,
  modelInput,
  percentModel,
  shuffled,
} from './helpers.ts'

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9)
const score = (answers: Record<string, unknown>, options = {}) =>
  scoreAssessment(goldenModel, answers, options)
const itemOf = (s: ReturnType<typeof score>, id: string) => {
  const found = s.items.find((i) => i.id === id)
  if (!found) throw new Error(`no item ${id}`)
  return found
}

describe('model checks', () => {
  const base = () =>
    modelInput({
      domains: [domain('d_a', 0.6), domain('d_b', 0.4)],
      items: [item('q1', 'd_a', 1, { type: 'yesNo' }), item('q2', 'd_b', 1, { type: 'yesNo' })],
    })

  it('refuses a negative domain weight, naming the domain', () => {
    const input = base()
    input.domains = [domain('d_a', 1.2), domain('d_b', -0.2)]
    expect(() => parseScoringModel(input)).toThrow(/domain "d_b" has a negative weight/)
  })

  it('refuses domain weights that do not sum to 1, naming each domain', () => {
    const input = base()
    input.domains = [domain('d_a', 0.6), domain('d_b', 0.5)]
    expect(() => parseScoringModel(input)).toThrow(/sum to 1\.1, not 1 \("d_a" 0\.6, "d_b" 0\.5\)/)
  })

  it('refuses item weights of a domain that do not sum to 1 within 1e-9, naming the domain', () => {
    const input = base()
    input.items = [
      item('q1', 'd_a', 0.5, { type: 'yesNo' }),
      item('q3', 'd_a', 0.5 + 2e-9, { type: 'yesNo' }),
      item('q2', 'd_b', 1, { type: 'yesNo' }),
    ]
    expect(() => parseScoringModel(input)).toThrow(/item weights of domain "d_a"/)
  })

  it('accepts a sum off by floating-point noise (0.33 + 0.56 + 0.11)', () => {
    const input = base()
    input.items = [
      item('q1', 'd_a', 0.33, { type: 'yesNo' }),
      item('q3', 'd_a', 0.56, { type: 'yesNo' }),
      item('q4', 'd_a', 0.11, { type: 'yesNo' }),
      item('q2', 'd_b', 1, { type: 'yesNo' }),
    ]
    expect(() => parseScoringModel(input)).not.toThrow()
  })

  it('refuses a negative item weight, naming the item and domain', () => {
    const input = base()
    input.items = [
      item('q1', 'd_a', 1.5, { type: 'yesNo' }),
      item('q3', 'd_a', -0.5, { type: 'yesNo' }),
      item('q2', 'd_b', 1, { type: 'yesNo' }),
    ]
    expect(() => parseScoringModel(input)).toThrow(
      /item "q3" in domain "d_a" has a negative weight/,
    )
  })
})

describe('golden: every rule type', () => {
  it('scores the reference answers (hand computation)', () => {
    // a_choice partial → .5; a_yes yes → 1; a_num 3 FTE / (200/100) = 1.5 → 1.5/2 = .75
    // D_a = .5·.5 + .3·1 + .2·.75 = .25 + .3 + .15 = .7
    // b_pct 50 → (50−20)/(80−20) = .5; b_check 3 of 4 → .75; b_down 12 h → (12−48)/(0−48) = .75
    // D_b = .25·.5 + .25·.75 + .5·.75 = .125 + .1875 + .375 = .6875
    // composite = 100·(.6·.7 + .4·.6875) = 100·(.42 + .275) = 69.5
    const s = score(goldenAnswers)
    close(s.composite, 69.5)
    expect(s.compositeBp).toBe(6950)
    close(s.domains[0]?.score ?? NaN, 0.7)
    close(s.domains[1]?.score ?? NaN, 0.6875)
    close(s.domains[0]?.contribution ?? NaN, 42)
    close(itemOf(s, 'a_num').score ?? NaN, 0.75)
    close(itemOf(s, 'b_pct').score ?? NaN, 0.5)
    close(itemOf(s, 'b_check').score ?? NaN, 0.75)
    close(itemOf(s, 'b_down').score ?? NaN, 0.75)
    // a_num effective weight .6·.2 = .12 → contribution 100·.12·.75 = 9, lost 3
    close(itemOf(s, 'a_num').effectiveWeight, 0.12)
    close(itemOf(s, 'a_num').contribution, 9)
    close(itemOf(s, 'a_num').lost, 3)
    close(
      s.items.reduce((a, i) => a + i.effectiveWeight, 0),
      1,
    )
    close(
      s.items.reduce((a, i) => a + i.contribution, 0),
      s.composite,
    )
    expect(s.completeness).toBe(1)
    expect(s.meetsCompleteness).toBe(true)
    expect(s.level).toEqual({ id: 'R2', index: 2, cappedBy: [] })
    expect(s.invalid).toEqual([])
    expect(s.modelVersion).toBe('1.0.0')
  })

  it('choice: each rubric level maps to its score', () => {
    for (const [answer, value] of [
      ['none', 0],
      ['partial', 0.5],
      ['full', 1],
    ] as const) {
      expect(itemOf(score({ ...goldenAnswers, a_choice: answer }), 'a_choice').score).toBe(value)
    }
  })

  it('number, higher is better, with `per`: clamps to [0, 1]', () => {
    // 6 FTE / 2 hundred beds = 3 ≥ target 2 → 1; 1 FTE / 4 → .25/2 = .125
    expect(itemOf(score({ ...goldenAnswers, a_num: 6 }), 'a_num').score).toBe(1)
    close(itemOf(score({ ...goldenAnswers, a_num: 1, beds: 400 }), 'a_num').score ?? NaN, 0.125)
  })

  it('number, lower is better: 0 h → 1, 48 h or more → 0, 36 h → .25', () => {
    expect(itemOf(score({ ...goldenAnswers, b_down: 0 }), 'b_down').score).toBe(1)
    expect(itemOf(score({ ...goldenAnswers, b_down: 72 }), 'b_down').score).toBe(0)
    close(itemOf(score({ ...goldenAnswers, b_down: 36 }), 'b_down').score ?? NaN, 0.25)
  })

  it('number with `per`: a zero or blank denominator leaves the item unanswered', () => {
    // beds 0 → a_num missing (0, not invalid): D_a = .25 + .3 = .55
    // composite = 100·(.6·.55 + .4·.6875) = 33 + 27.5 = 60.5; completeness = .6·.8 + .4 = .88
    const s = score({ ...goldenAnswers, beds: 0 })
    expect(itemOf(s, 'a_num').status).toBe('missing')
    expect(s.invalid).toEqual([])
    close(s.composite, 60.5)
    close(s.completeness, 0.88)
    expect(s.meetsCompleteness).toBe(false)
  })

  it('percentage: goalposts 20 → 0 and 80 → 1', () => {
    expect(itemOf(score({ ...goldenAnswers, b_pct: 10 }), 'b_pct').score).toBe(0)
    expect(itemOf(score({ ...goldenAnswers, b_pct: 95 }), 'b_pct').score).toBe(1)
  })

  it('checklist: share of options; "none" scores 0; duplicates count once', () => {
    expect(itemOf(score({ ...goldenAnswers, b_check: ['none'] }), 'b_check')).toMatchObject({
      status: 'answered',
      score: 0,
    })
    expect(itemOf(score({ ...goldenAnswers, b_check: ['x', 'x'] }), 'b_check').score).toBe(0.25)
    expect(itemOf(score({ ...goldenAnswers, b_check: [] }), 'b_check').status).toBe('missing')
  })

  it('yesNo: yes → 1, no → 0', () => {
    expect(itemOf(score({ ...goldenAnswers, a_yes: 'no' }), 'a_yes').score).toBe(0)
  })
})

describe('golden: not applicable, don’t know, invalid', () => {
  it('N/A through the status question renormalises within the domain', () => {
    // b_down N/A: D_b = (.25·.5 + .25·.75)/(.25 + .25) = .3125/.5 = .625
    // composite = 100·(.42 + .4·.625) = 67; b_pct effective weight .4·.25/.5 = .2
    const s = score({ ...goldenAnswers, b_down: undefined, b_down_status: 'na' })
    expect(itemOf(s, 'b_down')).toMatchObject({ status: 'notApplicable', score: null })
    close(s.composite, 67)
    close(itemOf(s, 'b_pct').effectiveWeight, 0.2)
    expect(s.completeness).toBe(1)
  })

  it('applicableIf false makes the item N/A (a hidden question never costs points)', () => {
    // a_num N/A: D_a = (.25 + .3)/.8 = .6875; composite = 100·(.6·.6875 + .4·.6875) = 68.75
    const s = score({ ...goldenAnswers, has_inpatient: 'no' })
    expect(itemOf(s, 'a_num').status).toBe('notApplicable')
    close(s.composite, 68.75)
  })

  it('don’t know scores 0 and counts against completeness', () => {
    // b_down 0: D_b = .3125; composite = 100·(.42 + .4·.3125) = 54.5
    // completeness = .6·1 + .4·(.5/1) = .8 < .9; G2 (D_b ≥ .5) fails; 54.5 < 60 → R1, nothing capped
    const s = score({ ...goldenAnswers, b_down: undefined, b_down_status: 'dontknow' })
    expect(itemOf(s, 'b_down')).toMatchObject({ status: 'dontKnow', score: 0 })
    close(s.composite, 54.5)
    close(s.completeness, 0.8)
    expect(s.meetsCompleteness).toBe(false)
    expect(s.gates.find((g) => g.id === 'G2')).toMatchObject({
      passed: false,
      failedBy: { domainId: 'd_b', score: 0.3125 },
    })
    expect(s.level).toEqual({ id: 'R1', index: 1, cappedBy: [] })
  })

  it('skipping never pays: blank scores exactly like don’t know', () => {
    const blank = score({ ...goldenAnswers, b_down: undefined })
    const dk = score({ ...goldenAnswers, b_down: undefined, b_down_status: 'dontknow' })
    expect(blank.composite).toBe(dk.composite)
    expect(itemOf(blank, 'b_down').status).toBe('missing')
  })

  it('answers that do not fit the rule score 0 and are listed as invalid', () => {
    // a_choice invalid → 0: D_a = .3 + .15 = .45; composite = 100·(.27 + .275) = 54.5
    const s = score({ ...goldenAnswers, a_choice: 'bogus', b_pct: 120, a_yes: true })
    close(scoreAssessment(goldenModel, { ...goldenAnswers, a_choice: 'bogus' }).composite, 54.5)
    expect(s.invalid.map((i) => i.itemId)).toEqual(['a_choice', 'a_yes', 'b_pct'])
    expect(itemOf(s, 'a_choice')).toMatchObject({ status: 'missing', score: 0 })
    const check = score({ ...goldenAnswers, b_check: ['none', 'x'] })
    expect(check.invalid).toEqual([{ itemId: 'b_check', reason: expect.stringContaining('none') }])
    expect(score({ ...goldenAnswers, b_check: ['q'] }).invalid).toHaveLength(1)
  })

  it('N/A or don’t know where the item does not allow it counts as missing, and is invalid', () => {
    const s = score({ ...goldenAnswers, a_yes: 'na', a_choice: 'dontknow' })
    expect(itemOf(s, 'a_yes')).toMatchObject({ status: 'missing', score: 0 })
    expect(itemOf(s, 'a_choice')).toMatchObject({ status: 'missing', score: 0 })
    expect(s.invalid.map((i) => i.itemId)).toEqual(['a_choice', 'a_yes'])
    // an N/A gate item fails its gate
    expect(s.gates.find((g) => g.id === 'G1')?.passed).toBe(false)
  })

  it('a whole domain N/A renormalises the domain weights (fixed weights .5/.3/.2)', () => {
    const model = parseScoringModel(
      modelInput({
        domains: [domain('x', 0.5), domain('y', 0.3), domain('z', 0.2)],
        items: [
          item('q_x', 'x', 1, { type: 'percentage' }),
          item('q_y', 'y', 1, { type: 'percentage' }),
          item('q_z', 'z', 1, { type: 'yesNo' }, { allowNotApplicable: true }),
        ],
      }),
    )
    // fixed weights, all applicable: 100·(.5·.8 + .3·.4 + .2·1) = 40 + 12 + 20 = 72
    close(scoreAssessment(model, { q_x: 80, q_y: 40, q_z: 'yes' }).composite, 72)
    // z N/A: W' = .5/.8 = .625 and .3/.8 = .375 → 100·(.625·.8 + .375·.4) = 50 + 15 = 65
    const s = scoreAssessment(model, { q_x: 80, q_y: 40, q_z: 'na' })
    close(s.composite, 65)
    expect(s.domains[2]).toMatchObject({ applicable: false, weight: 0, contribution: 0 })
    close(s.domains[0]?.weight ?? NaN, 0.625)
    expect(s.completeness).toBe(1)
  })
})

describe('golden: gates and levels', () => {
  it('a failed gate caps the level; the composite is still shown', () => {
    // a_choice full, a_yes no: D_a = .5 + 0 + .15 = .65; composite = 100·(.39 + .275) = 66.5 ≥ 60
    // G1 fails → R1 and R2 are out of reach → R0, capped by G1
    const answers = { ...goldenAnswers, a_choice: 'full', a_yes: 'no' }
    const s = score(answers)
    close(s.composite, 66.5)
    expect(s.level).toEqual({ id: 'R0', index: 0, cappedBy: ['G1'] })
    expect(s.gates[0]).toEqual({
      id: 'G1',
      enabled: true,
      passed: false,
      failedBy: { itemId: 'a_yes', answer: 'no', score: 0 },
    })
    // G1 is not configurable: switching it off is refused, naming it.
    expect(() => score(answers, { gateEnabled: { G1: false } })).toThrow(
      /gate "G1" is not configurable in model test-model 1\.0\.0/,
    )
    expect(() => score(answers, { gateEnabled: { G9: false } })).toThrow(/gate "G9" is not in/)
    // Restating a fixed gate's own state changes nothing and is allowed.
    expect(score(answers, { gateEnabled: { G1: true } }).level).toEqual(s.level)
    // Switching off a configurable (legally unverified) gate lifts its cap.
    const configurable = parseScoringModel(
      modelInput({
        domains: [domain('d_a', 0.6), domain('d_b', 0.4)],
        items: goldenModel.items,
        gates: [
          gate('G1', { kind: 'item', itemId: 'a_yes', minScore: 1 }, { configurable: true }),
          gate('G2', { kind: 'domain', domainId: 'd_b', minScore: 0.5 }, { configurable: true }),
        ],
        levels: [level('R0', 0, []), level('R1', 40, ['G1']), level('R2', 60, ['G1', 'G2'])],
      }),
    )
    const off = scoreAssessment(configurable, answers, { gateEnabled: { G1: false } })
    expect(off.level).toEqual({ id: 'R2', index: 2, cappedBy: [] })
    expect(off.gates[0]).toEqual({ id: 'G1', enabled: false, passed: true, failedBy: null })
    expect(explainScore(s).join('\n')).toContain('gate G1 fails: item a_yes answered "no"')
  })

  it('a missing gate item fails its gate with a null answer', () => {
    const s = score({ ...goldenAnswers, a_yes: undefined })
    expect(s.gates[0]?.failedBy).toEqual({ itemId: 'a_yes', answer: null, score: 0 })
  })
})

describe('verified values', () => {
  it('replace declared answers item by item and say so', () => {
    const s = score(goldenAnswers, { verified: { a_yes: 'no' } })
    expect(itemOf(s, 'a_yes')).toMatchObject({ source: 'verified', score: 0 })
    expect(itemOf(s, 'a_choice').source).toBe('declared')
    expect(s.gates[0]?.passed).toBe(false)
  })
})

describe('improvement options', () => {
  it('lists gains 100·w·(best − current), largest first, with the next rubric level', () => {
    // a_choice partial: w = .6·.5 = .3 → gain 100·.3·.5 = 15 (next level "full", same gain)
    // b_down .75: w = .4·.5 = .2 → 5; a_num .75: w = .12 → 3; b_pct .5: w = .1 → 5; b_check .75: .1 → 2.5
    const s = score(goldenAnswers)
    const options = improvementOptions(goldenModel, s, goldenAnswers)
    expect(options.map((o) => o.itemId)).toEqual([
      'a_choice',
      'b_pct',
      'b_down',
      'a_num',
      'b_check',
    ])
    close(options[0]?.gain ?? NaN, 15)
    expect(options[0]?.nextLevel).toMatchObject({ answer: 'full', score: 1 })
    expect(options[0]?.answer).toBe('partial')
    const capped = score({ ...goldenAnswers, a_yes: 'no' })
    const yes = improvementOptions(goldenModel, capped, {}).find((o) => o.itemId === 'a_yes')
    expect(yes).toMatchObject({ bestAnswer: 'yes', unlocksGates: ['G1'] })
  })
})

// Answers drawn per item of the golden model, invalid and special values included.
const answerArb = fc.record({
  a_choice: fc.constantFrom('none', 'partial', 'full', undefined, 'bogus'),
  a_yes: fc.constantFrom('yes', 'no', undefined),
  has_inpatient: fc.constantFrom('yes', 'no'),
  a_num: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  beds: fc.integer({ min: 0, max: 500 }),
  b_pct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  b_check: fc.subarray(['x', 'y', 'z', 'w']),
  b_down: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  b_down_status: fc.constantFrom(undefined, 'dontknow', 'na'),
})

const itemValueArb = fc.oneof(
  fc.record({
    id: fc.constant('a_choice'),
    v: fc.constantFrom('none', 'partial', 'full', undefined),
  }),
  fc.record({ id: fc.constant('a_yes'), v: fc.constantFrom('yes', 'no', undefined) }),
  fc.record({
    id: fc.constant('a_num'),
    v: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
  }),
  fc.record({
    id: fc.constant('b_pct'),
    v: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  }),
  fc.record({ id: fc.constant('b_check'), v: fc.subarray(['x', 'y', 'z', 'w']) }),
  fc.record({
    id: fc.constant('b_down'),
    v: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  }),
)

describe('properties', () => {
  it('a better answer never lowers the item, domain or composite score', () => {
    fc.assert(
      fc.property(answerArb, itemValueArb, itemValueArb, (base, a, b) => {
        if (a.id !== b.id) return
        const s1 = score({ ...base, [a.id]: a.v })
        const s2 = score({ ...base, [b.id]: b.v })
        const i1 = itemOf(s1, a.id)
        const i2 = itemOf(s2, a.id)
        if (i1.score === null || i2.score === null) return
        const [lo, hi] = i1.score <= i2.score ? [s1, s2] : [s2, s1]
        const d = i1.domainId === 'd_a' ? 0 : 1
        expect(hi.domains[d]?.score ?? 0).toBeGreaterThanOrEqual(
          (lo.domains[d]?.score ?? 0) - 1e-12,
        )
        expect(hi.composite).toBeGreaterThanOrEqual(lo.composite - 1e-9)
      }),
      { numRuns: 300 },
    )
  })

  it('item scores are monotone in the answer (higher %, more options, fewer hours)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x]
        const at = (id: string, v: unknown) =>
          itemOf(score({ ...goldenAnswers, [id]: v }), id).score ?? 0
        expect(at('b_pct', hi)).toBeGreaterThanOrEqual(at('b_pct', lo))
        expect(at('b_down', hi)).toBeLessThanOrEqual(at('b_down', lo))
      }),
      { numRuns: 100 },
    )
    fc.assert(
      fc.property(fc.subarray(['x', 'y', 'z', 'w']), fc.subarray(['x', 'y', 'z', 'w']), (a, b) => {
        const union = [...new Set([...a, ...b])]
        const at = (v: string[]) =>
          itemOf(score({ ...goldenAnswers, b_check: v }), 'b_check').score ?? 0
        expect(at(union)).toBeGreaterThanOrEqual(at(a))
      }),
      { numRuns: 50 },
    )
  })

  it('the order of answer keys never changes the result (byte-identical JSON)', () => {
    fc.assert(
      fc.property(answerArb, fc.integer(), (answers, seed) => {
        const permuted = Object.fromEntries(shuffled(Object.entries(answers), seed))
        const a = JSON.stringify(score(answers))
        expect(JSON.stringify(score(answers))).toBe(a)
        expect(JSON.stringify(score(permuted))).toBe(a)
      }),
      { numRuns: 100 },
    )
  })

  it('completeness and composite stay in range; effective weights sum to 1', () => {
    fc.assert(
      fc.property(answerArb, (answers) => {
        const s = score(answers)
        expect(s.composite).toBeGreaterThanOrEqual(0)
        expect(s.composite).toBeLessThanOrEqual(100 + 1e-9)
        expect(s.completeness).toBeGreaterThanOrEqual(0)
        expect(s.completeness).toBeLessThanOrEqual(1 + 1e-12)
        close(
          s.items.reduce((a, i) => a + i.effectiveWeight, 0),
          1,
        )
      }),
      { numRuns: 100 },
    )
  })

  it('scoreComposites gives bit-identical composites to scoreAssessment', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 10 }), (list) => {
        const fast = scoreComposites(goldenModel, list)
        expect([...fast]).toEqual(list.map((a) => score(a).composite))
      }),
      { numRuns: 30 },
    )
  })
})

it('gate helper builds disabled gates that never fail', () => {
  const model = parseScoringModel(
    modelInput({
      domains: [domain('d', 1)],
      items: [item('q', 'd', 1, { type: 'yesNo' })],
      gates: [gate('G1', { kind: 'item', itemId: 'q', minScore: 1 }, { enabled: false })],
      levels: [level('R0', 0, []), level('R1', 50, ['G1'])],
    }),
  )
  const s = scoreAssessment(model, {})
  expect(s.gates[0]).toMatchObject({ enabled: false, passed: true })
  expect(s.level.id).toBe('R0')
})

it('an item id that names an Object.prototype property reads only the answers', () => {
  const model = parseScoringModel(
    modelInput({
      domains: [domain('d', 1)],
      items: [item('constructor', 'd', 1, { type: 'choice', scores: { a: 1 } })],
    }),
  )
  expect(scoreAssessment(model, {}).items[0]).toMatchObject({ status: 'missing', score: 0 })
  expect(scoreAssessment(model, { constructor: 'a' }).items[0]?.score).toBe(1)
  expect(scoreAssessment(model, { constructor: 'toString' }).invalid).toHaveLength(1)
})

describe('levels from the shown number (model 1.1)', () => {
  // One percentage item: composite = x exactly (up to float noise), so 79.997 is easy to hit.
  const withBasis = (levelBasis: 'composite' | 'basisPoints') =>
    parseScoringModel({
      ...modelInput({
        domains: [domain('d', 1)],
        items: [item('x', 'd', 1, { type: 'percentage' })],
        levels: [level('R0', 0, []), level('R1', 80, [])],
      }),
      levelBasis,
    })

  it('decides on the basis points shown: 79.997 shows as 80.00 and reaches 80', () => {
    const bp = scoreAssessment(withBasis('basisPoints'), { x: 79.997 })
    expect(bp.compositeBp).toBe(8000)
    expect(bp.level.id).toBe('R1')
    expect(scoreAssessment(withBasis('basisPoints'), { x: 79.994 }).level.id).toBe('R0')
  })

  it('keeps model 1.0 on the unrounded composite, so its scores reproduce', () => {
    const legacy = scoreAssessment(withBasis('composite'), { x: 79.997 })
    expect(legacy.compositeBp).toBe(8000)
    expect(legacy.level.id).toBe('R0')
    // And without floors the result has the 1.0 shape (no cappedByFloors key).
    expect(Object.keys(legacy.level)).toEqual(['id', 'index', 'cappedBy'])
  })

  it('property: on the basis-points basis the level is a function of compositeBp alone', () => {
    const model = withBasis('basisPoints')
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), (x) => {
        const s = scoreAssessment(model, { x })
        expect(s.level.id).toBe(s.compositeBp >= 8000 ? 'R1' : 'R0')
      }),
    )
  })
})

describe('non-compensatory domain floors (model 1.1)', () => {
  // One percentage item per domain: composite = .8·a + .2·sec.
  const floors = parseScoringModel({
    ...modelInput({
      domains: [domain('ops', 0.8), domain('cybersecurity', 0.2)],
      items: [
        item('a', 'ops', 1, { type: 'percentage' }),
        item('sec', 'cybersecurity', 1, { type: 'percentage' }),
      ],
      levels: [
        level('R0', 0, []),
        level('R1', 40, []),
        { ...level('R2', 70, []), domainFloors: { all: 0.5, domains: { cybersecurity: 0.6 } } },
        { ...level('R3', 80, []), domainFloors: { all: 0.6, domains: { cybersecurity: 0.7 } } },
      ],
    }),
    levelBasis: 'basisPoints',
  })

  it('a 20 % cybersecurity domain cannot reach the top level however high the composite', () => {
    // composite = .8·100 + .2·20 = 84 ≥ 80, but cybersecurity .2 < .6 and < .7
    const s = scoreAssessment(floors, { a: 100, sec: 20 })
    expect(s.compositeBp).toBe(8400)
    expect(s.level.id).toBe('R1')
    expect(s.level.cappedBy).toEqual([])
    expect(s.level.cappedByFloors).toEqual([
      { levelId: 'R2', domainId: 'cybersecurity', score: 0.2, min: 0.6 },
      { levelId: 'R3', domainId: 'cybersecurity', score: 0.2, min: 0.7 },
    ])
    expect(explainScore(s).join('\n')).toContain(
      'level R2 needs domain cybersecurity at 60.00, it is at 20.00',
    )
  })

  it('the higher floor of a named domain applies on top of the floor for all', () => {
    // cybersecurity 65: passes R2 (≥ 60), fails R3 (< 70) → R2
    expect(scoreAssessment(floors, { a: 100, sec: 65 }).level.id).toBe('R2')
    expect(scoreAssessment(floors, { a: 100, sec: 70 }).level.id).toBe('R3')
    // composite = .8·75 + .2·100 = 80, ops .75 ≥ .6, sec 1 ≥ .7 → R3
    expect(scoreAssessment(floors, { a: 75, sec: 100 }).level.id).toBe('R3')
  })

  it('floors are compared on the basis points shown: 59.996 % counts as 60.00', () => {
    expect(scoreAssessment(floors, { a: 100, sec: 59.996 }).level.id).toBe('R2')
    expect(scoreAssessment(floors, { a: 100, sec: 59.994 }).level.id).toBe('R1')
  })

  it('refuses a floor on a domain the model does not have', () => {
    expect(() =>
      parseScoringModel({
        ...modelInput({
          domains: [domain('ops', 1)],
          items: [item('a', 'ops', 1, { type: 'percentage' })],
          levels: [
            level('R0', 0, []),
            { ...level('R1', 40, []), domainFloors: { domains: { nope: 0.5 } } },
          ],
        }),
      }),
    ).toThrow(/level "R1" sets a floor on unknown domain "nope"/)
  })
})

describe('percentages: one rule', () => {
  it('a percentage outside 0–100 is invalid, scores 0 and is never clamped; numbers are clamped', () => {
    const s = score({ ...goldenAnswers, b_pct: 120 })
    expect(itemOf(s, 'b_pct')).toMatchObject({ status: 'missing', score: 0 })
    expect(s.invalid).toEqual([{ itemId: 'b_pct', reason: 'expected a percentage 0–100, got 120' }])
    // A number past its target is a real value and is clamped to 1.
    const n = score({ ...goldenAnswers, a_num: 50 })
    expect(itemOf(n, 'a_num')).toMatchObject({ status: 'answered', score: 1 })
    expect(n.invalid).toEqual([])
  })
})

describe('completeness under float noise', () => {
  it('is at most 1 when renormalised domain weights sum to a hair above 1', () => {
    const weights = [0.3, 0.1, 0.1, 0.2, 0.2, 0.1]
    const model = percentModel(weights)
    const answers = Object.fromEntries(weights.map((_, i) => [`q${i}`, 50]))
    // The renormalised weights' float sum is above 1 for this set (why the cap exists).
    const total = weights.reduce((a, w) => a + w, 0)
    expect(weights.reduce((a, w) => a + w / total, 0)).toBeGreaterThan(1)
    expect(scoreAssessment(model, answers).completeness).toBe(1)
  })
})
