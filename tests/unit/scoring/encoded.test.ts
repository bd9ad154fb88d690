/**
 * The encoded scorer (scoring/encoded.ts) against the engine: on generated
 * models (every rule type, N/A and "don't know" allowed or not, status
 * questions, applicableIf, `per` ratios, gates, floors, both level bases,
 * custom tokens) and generated answers (tokens, blanks, out-of-range numbers,
 * unknown choices and options, wrong types), composites must be bit-identical
 * and completeness and levels equal to `scoreAssessment`'s, for two models
 * sharing one encoding.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  answerLayout,
  CELL_BLANK,
  CELL_DONT_KNOW,
  CELL_INVALID,
  CELL_NOT_APPLICABLE,
  CELL_VALUE,
  encodeAnswers,
  scoreEncoded,
} from '../../../scoring/encoded.ts'
import {
  parseScoringModel,
  type ScoringModel,
  type ScoringModelInput,
} from '../../../scoring/model-schema.ts'
import { scoreAssessment, type Answers } from '../../../scoring/score.ts'
import { generateAnswers, type Tier } from '../../../db/content/answer-generator.ts'
import {
  questionnaireV1,
  scoringModelV1,
  scoringModelV1_1,
} from '../../../db/content/questionnaire.ts'
import { domain, gate, goldenModel, item, level, modelInput } from './helpers.ts'

type ItemInput = ScoringModelInput['items'][number]
type RuleInput = ItemInput['rule']

const CHOICE_VALUES = ['a', 'b', 'c', '1', '2']
const OPTIONS = ['x', 'y', 'z', 'w']
const CONDITION_VALUES = ['yes', 'no', 'a', 1, true]
const DENOMINATORS = ['beds', 'staff']

/** Weights > 0 summing to 1: the last takes the remainder, as the schema's 1e-9 check needs. */
function normalise(raw: readonly number[]): number[] {
  const total = raw.reduce((a, b) => a + b, 0)
  const out = raw.map((r) => r / total)
  out[out.length - 1] = 1 - out.slice(0, -1).reduce((a, b) => a + b, 0)
  return out
}

const scoreArb = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
)

const ruleArb: fc.Arbitrary<RuleInput> = fc.oneof(
  fc.uniqueArray(fc.constantFrom(...CHOICE_VALUES), { minLength: 1, maxLength: 4 }).chain((keys) =>
    fc.array(scoreArb, { minLength: keys.length, maxLength: keys.length }).map((scores) => ({
      type: 'choice' as const,
      scores: Object.fromEntries(keys.map((k, i) => [k, scores[i] ?? 0])),
    })),
  ),
  fc.record({ type: fc.constant('yesNo' as const), yes: scoreArb, no: scoreArb }),
  fc
    .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
    .filter(([a, b]) => a !== b)
    .map(([floor, target]) => ({ type: 'percentage' as const, floor, target })),
  fc
    .record({
      floor: fc.integer({ min: -10, max: 50 }),
      span: fc.integer({ min: -40, max: 40 }).filter((s) => s !== 0),
      per: fc.option(
        fc.record({
          question: fc.constantFrom(...DENOMINATORS),
          unit: fc.constantFrom(1, 10, 100, 0.5),
        }),
        { nil: undefined },
      ),
    })
    .map(({ floor, span, per }) => ({
      type: 'number' as const,
      floor,
      target: floor + span,
      unit: { vi: 'đơn vị', en: 'unit' },
      ...(per ? { per } : {}),
    })),
  fc
    .record({
      options: fc.array(fc.constantFrom(...OPTIONS), { minLength: 1, maxLength: 5 }),
      none: fc.boolean(),
    })
    .map(({ options, none }) => ({
      type: 'checklist' as const,
      options,
      ...(none ? { noneValue: 'none' } : {}),
    })),
)

interface ItemShape {
  rule: RuleInput
  allowNotApplicable: boolean
  allowDontKnow: boolean
  status: boolean
  condition: (string | number | boolean)[] | null
  weight: number
}

const itemShapeArb: fc.Arbitrary<ItemShape> = fc.record({
  rule: ruleArb,
  allowNotApplicable: fc.boolean(),
  allowDontKnow: fc.boolean(),
  status: fc.boolean(),
  condition: fc.option(
    fc.uniqueArray(fc.constantFrom(...CONDITION_VALUES), { minLength: 1, maxLength: 3 }),
    { nil: null },
  ),
  weight: fc.integer({ min: 1, max: 10 }),
})

interface ModelShape {
  domains: number[]
  items: ItemShape[]
  itemDomain: number[]
  gates: Array<{
    item: boolean
    target: number
    minScore: number
    enabled: boolean
    configurable: boolean
  }>
  levels: Array<{ step: number; gates: boolean[]; floor: number | null }>
  levelBasis: 'composite' | 'basisPoints' | undefined
  customTokens: boolean
  /** Which condition question each applicableIf reads: "cond", or another item's own question. */
  conditionOnItem: boolean
}

const modelShapeArb: fc.Arbitrary<ModelShape> = fc
  .record({
    domains: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 3 }),
    items: fc.array(itemShapeArb, { minLength: 3, maxLength: 8 }),
    itemDomain: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    gates: fc.array(
      fc.record({
        item: fc.boolean(),
        target: fc.nat(),
        minScore: scoreArb,
        enabled: fc.boolean(),
        configurable: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    levels: fc.array(
      fc.record({
        step: fc.integer({ min: 0, max: 40 }),
        gates: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        floor: fc.option(scoreArb, { nil: null }),
      }),
      { maxLength: 3 },
    ),
    levelBasis: fc.constantFrom('composite' as const, 'basisPoints' as const, undefined),
    customTokens: fc.boolean(),
    conditionOnItem: fc.boolean(),
  })
  .filter((s) => s.items.length >= s.domains.length)

/** A model from a shape; `reweight` gives a second version with other weights and scores. */
function buildModel(shape: ModelShape, version: string, reweight: boolean): ScoringModel {
  const domainIds = shape.domains.map((_, d) => `d${d}`)
  // The first items cover every domain once; the rest go where `itemDomain` says.
  const domainOf = (i: number) =>
    i < domainIds.length ? i : (shape.itemDomain[i] ?? 0) % domainIds.length
  const raw = shape.items.map((it, i) => (reweight ? 11 - it.weight + (i % 3) : it.weight))
  const itemWeights = new Map<number, number>()
  domainIds.forEach((_, d) => {
    const members = shape.items.map((_, i) => i).filter((i) => domainOf(i) === d)
    normalise(members.map((i) => raw[i] ?? 1)).forEach((w, k) => {
      const i = members[k]
      if (i !== undefined) itemWeights.set(i, w)
    })
  })
  const items = shape.items.map((it, i) => {
    const id = `q${i}`
    const needsStatus =
      (it.allowNotApplicable || it.allowDontKnow) &&
      (it.rule.type === 'number' || it.rule.type === 'percentage')
    const rule: RuleInput =
      reweight && it.rule.type === 'choice'
        ? {
            ...it.rule,
            scores: Object.fromEntries(
              Object.entries(it.rule.scores).map(([k, s]) => [k, Math.round((1 - s) * 4) / 4]),
            ),
          }
        : reweight && it.rule.type === 'yesNo'
          ? { ...it.rule, yes: it.rule.no ?? 0, no: it.rule.yes ?? 1 }
          : it.rule
    const conditionQuestion = shape.conditionOnItem && i > 0 ? 'q0' : 'cond'
    return item(id, domainIds[domainOf(i)] ?? 'd0', itemWeights.get(i) ?? 1, rule, {
      allowNotApplicable: it.allowNotApplicable,
      allowDontKnow: it.allowDontKnow,
      ...(needsStatus || it.status ? { statusQuestion: `${id}_status` } : {}),
      ...(it.condition ? { applicableIf: { question: conditionQuestion, in: it.condition } } : {}),
    })
  })
  const gates = shape.gates.map((g, k) =>
    gate(
      `G${k + 1}`,
      g.item
        ? { kind: 'item', itemId: `q${g.target % items.length}`, minScore: g.minScore }
        : { kind: 'domain', domainId: `d${g.target % domainIds.length}`, minScore: g.minScore },
      { enabled: g.enabled, configurable: g.configurable },
    ),
  )
  let min = 0
  const levels = [
    level('R0', 0, []),
    ...shape.levels.map((l, k) => {
      min = Math.min(100, min + l.step + (reweight ? 3 : 0))
      return {
        ...level(
          `R${k + 1}`,
          min,
          gates.filter((_, g) => l.gates[g] === true).map((gt) => gt.id),
        ),
        ...(l.floor === null
          ? {}
          : { domainFloors: { all: l.floor / 2, domains: { d0: l.floor } } }),
      }
    }),
  ]
  return parseScoringModel({
    ...modelInput({
      domains: domainIds.map((id, d) =>
        domain(id, normalise(reweight ? [...shape.domains].reverse() : shape.domains)[d] ?? 1),
      ),
      items,
      gates,
      levels,
    }),
    version,
    ...(shape.levelBasis ? { levelBasis: shape.levelBasis } : {}),
    ...(shape.customTokens ? { tokens: { notApplicable: 'NA', dontKnow: 'DK' } } : {}),
  })
}

/** Every kind of value a stored answer might hold, the awkward ones included. */
const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    'na',
    'dontknow',
    'NA',
    'DK',
    'yes',
    'no',
    'none',
    'bogus',
    true,
    false,
    {},
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    0,
  ),
  fc.constantFrom(...CHOICE_VALUES),
  fc.integer({ min: -20, max: 150 }),
  fc.double({ min: -10, max: 200, noNaN: true }),
  fc.array(fc.constantFrom(...OPTIONS, 'none', 'q', 1), { maxLength: 5 }),
  fc.array(fc.constantFrom(...CONDITION_VALUES), { maxLength: 2 }),
)

/** Mostly answers that fit the item (so that N/A and the rest change composites), and every other kind. */
function itemValueArb(
  model: ScoringModel,
  it: ScoringModel['items'][number],
): fc.Arbitrary<unknown> {
  const rule = it.rule
  const fitting: fc.Arbitrary<unknown> =
    rule.type === 'choice'
      ? fc.oneof(
          fc.constantFrom(...Object.keys(rule.scores), ...CHOICE_VALUES),
          fc.constantFrom(1, 2),
        )
      : rule.type === 'yesNo'
        ? fc.constantFrom('yes', 'no')
        : rule.type === 'percentage'
          ? fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }))
          : rule.type === 'number'
            ? fc.oneof(
                fc.integer({ min: -10, max: 100 }),
                fc.double({ min: -5, max: 60, noNaN: true }),
              )
            : fc.oneof(
                fc.array(fc.constantFrom(...rule.options), { maxLength: 5 }),
                fc.constant(rule.noneValue === undefined ? [] : [rule.noneValue]),
              )
  return fc.oneof(
    { weight: 8, arbitrary: fitting },
    { weight: 1, arbitrary: fc.constant(model.tokens.notApplicable) },
    { weight: 1, arbitrary: fc.constant(model.tokens.dontKnow) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, '') },
    { weight: 1, arbitrary: valueArb },
  )
}

/** Answers for every question a model reads: items, status questions, denominators, conditions. */
function answersFor(model: ScoringModel): fc.Arbitrary<Answers> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {}
  for (const it of model.items) {
    fields[it.id] = itemValueArb(model, it)
    if (it.statusQuestion) {
      fields[it.statusQuestion] = fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(model.tokens.notApplicable) },
        { weight: 1, arbitrary: fc.constant(model.tokens.dontKnow) },
        { weight: 1, arbitrary: valueArb },
      )
    }
  }
  for (const q of DENOMINATORS) {
    fields[q] = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 500 }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, undefined, '', null) },
      { weight: 1, arbitrary: valueArb },
    )
  }
  fields.cond = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...CONDITION_VALUES) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...CONDITION_VALUES), { maxLength: 3 }) },
    { weight: 1, arbitrary: valueArb },
  )
  return fc.record(fields, { requiredKeys: [] })
}

/** A shape, its two model versions and answer sets read by both. */
const modelsAndAnswersArb = modelShapeArb.chain((shape) => {
  const old = buildModel(shape, '1.0.0', false)
  const next = buildModel(shape, '1.1.0', true)
  return fc.tuple(
    fc.constant(old),
    fc.constant(next),
    fc.array(answersFor(old), { minLength: 1, maxLength: 12 }),
  )
})

function expectSame(model: ScoringModel, answers: readonly Answers[]) {
  return (gateEnabled?: Record<string, boolean>) => {
    const layout = answerLayout([model])
    const encoded = scoreEncoded(model, encodeAnswers(layout, answers), { gateEnabled })
    answers.forEach((a, f) => {
      const full = scoreAssessment(model, a, { gateEnabled })
      expect(Object.is(encoded.composite[f], full.composite)).toBe(true)
      expect(encoded.compositeBp[f]).toBe(full.compositeBp)
      expect(encoded.completeness[f]).toBe(full.completeness)
      expect(encoded.levelIndex[f]).toBe(full.level.index)
    })
  }
}

describe('scoreEncoded equals scoreAssessment', () => {
  it('on the golden model, for each reference answer set', () => {
    const answers: Answers[] = [
      {
        a_choice: 'partial',
        a_yes: 'yes',
        has_inpatient: 'yes',
        a_num: 1,
        beds: 200,
        b_pct: 50,
        b_check: ['x', 'y'],
        b_down: 12,
      },
      { b_down_status: 'na', b_check: ['none'], has_inpatient: 'no', a_yes: 'no' },
      { b_down_status: 'dontknow', b_check: [], a_num: 3, beds: 0, has_inpatient: 'yes' },
      { a_choice: 'bogus', b_pct: 120, b_check: ['none', 'x'], a_yes: 'maybe' },
      {},
    ]
    expectSame(goldenModel, answers)()
    expectSame(goldenModel, answers)({ G2: false })
  })

  it('property: generated models and answers, two models on one encoding (bit-identical)', () => {
    fc.assert(
      fc.property(
        modelsAndAnswersArb,
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        ([old, next, answers], switches) => {
          const encoded = encodeAnswers(answerLayout([old, next]), answers)
          for (const model of [old, next]) {
            // Switch configurable gates as a round may (the others keep the model's setting).
            const gateEnabled = Object.fromEntries(
              model.gates.map((g, k) => [g.id, g.configurable ? switches[k] === true : g.enabled]),
            )
            for (const options of [{}, { gateEnabled }]) {
              const fast = scoreEncoded(model, encoded, options)
              answers.forEach((a, f) => {
                const full = scoreAssessment(model, a, options)
                expect(Object.is(fast.composite[f], full.composite)).toBe(true)
                expect(fast.compositeBp[f]).toBe(full.compositeBp)
                expect(fast.completeness[f]).toBe(full.completeness)
                expect(fast.levelIndex[f]).toBe(full.level.index)
              })
            }
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it('property: verified values are read through the one resolution', () => {
    fc.assert(
      fc.property(
        modelShapeArb.chain((shape) => {
          const model = buildModel(shape, '1.0.0', false)
          const answers = answersFor(model)
          return fc.tuple(
            fc.constant(model),
            fc.array(fc.tuple(answers, fc.option(answers, { nil: undefined })), {
              minLength: 1,
              maxLength: 8,
            }),
          )
        }),
        ([model, pairs]) => {
          const encoded = encodeAnswers(
            answerLayout([model]),
            pairs.map(([a]) => a),
            pairs.map(([, v]) => v),
          )
          const fast = scoreEncoded(model, encoded)
          pairs.forEach(([answers, verified], f) => {
            const full = scoreAssessment(model, answers, { verified })
            expect(Object.is(fast.composite[f], full.composite)).toBe(true)
            expect(fast.levelIndex[f]).toBe(full.level.index)
          })
        },
      ),
      { numRuns: 100 },
    )
  })
})

describe('on the real questionnaire models', () => {
  it('models 1.0 and 1.1 score one encoding of demo answers exactly as scoreAssessment', () => {
    const tiers: Tier[] = ['central', 'provincial', 'basic']
    const answers = Array.from({ length: 120 }, (_, i) => {
      const a: Record<string, unknown> = generateAnswers(
        questionnaireV1,
        scoringModelV1_1,
        i,
        { readiness: (i % 11) / 10, tier: tiers[i % 3] ?? 'basic' },
        i % 5 === 0 ? 0.7 : 1,
      )
      // A few stored answers a form would refuse today: they must still score as the engine does.
      const first = scoringModelV1_1.items[i % scoringModelV1_1.items.length]
      if (first && i % 7 === 0) a[first.id] = i % 2 === 0 ? 'na' : 'bogus'
      return a
    })
    const encoded = encodeAnswers(answerLayout([scoringModelV1, scoringModelV1_1]), answers)
    for (const model of [scoringModelV1, scoringModelV1_1]) {
      const fast = scoreEncoded(model, encoded)
      answers.forEach((a, f) => {
        const full = scoreAssessment(model, a)
        expect(Object.is(fast.composite[f], full.composite)).toBe(true)
        expect(fast.levelIndex[f]).toBe(full.level.index)
        expect(fast.completeness[f]).toBe(full.completeness)
      })
    }
  })
})

describe('the encoding', () => {
  it('does not depend on weights: two versions give one layout and byte-identical cells', () => {
    const next = parseScoringModel({
      ...modelInput({
        domains: [domain('d_a', 0.3), domain('d_b', 0.7)],
        items: goldenModel.items.map((it) => ({ ...it, weight: it.weight })),
        gates: goldenModel.gates,
        levels: goldenModel.levels,
      }),
      version: '2.0.0',
    })
    const answers = [{ a_choice: 'full', b_check: ['x'], b_down_status: 'na' }]
    const one = encodeAnswers(answerLayout([goldenModel]), answers)
    const both = encodeAnswers(answerLayout([goldenModel, next]), answers)
    expect(both.layout.columns).toEqual(one.layout.columns)
    expect([...both.states]).toEqual([...one.states])
    expect([...both.values]).toEqual([...one.values])
  })

  it('keeps N/A, "don\'t know", blank and invalid apart', () => {
    const layout = answerLayout([goldenModel])
    const at = layout.columns.findIndex((c) => c.kind === 'choice' && c.question === 'a_choice')
    const encoded = encodeAnswers(layout, [
      { a_choice: 'na' },
      { a_choice: 'dontknow' },
      {},
      { a_choice: 'bogus' },
      { a_choice: 'full' },
    ])
    const width = layout.columns.length
    expect([0, 1, 2, 3, 4].map((f) => encoded.states[f * width + at])).toEqual([
      CELL_NOT_APPLICABLE,
      CELL_DONT_KNOW,
      CELL_BLANK,
      CELL_INVALID,
      CELL_VALUE,
    ])
    expect(encoded.values[4 * width + at]).toBe(
      layout.columns[at]?.kind === 'choice' ? layout.columns[at].values.indexOf('full') : -1,
    )
  })

  it('refuses a model that reads a choice value the encoding does not hold, naming it', () => {
    const narrow = parseScoringModel(
      modelInput({
        domains: [domain('d', 1)],
        items: [item('q', 'd', 1, { type: 'choice', scores: { a: 1 } })],
      }),
    )
    const wide = parseScoringModel({
      ...modelInput({
        domains: [domain('d', 1)],
        items: [item('q', 'd', 1, { type: 'choice', scores: { a: 0.5, b: 1 } })],
      }),
      version: '1.1.0',
    })
    const encoded = encodeAnswers(answerLayout([narrow]), [{ q: 'b' }])
    expect(() => scoreEncoded(wide, encoded)).toThrow(/"q" value "b"/)
    // Built from both, the one encoding scores both.
    const shared = encodeAnswers(answerLayout([narrow, wide]), [{ q: 'b' }])
    expect(scoreEncoded(narrow, shared).composite[0]).toBe(0)
    expect(scoreEncoded(wide, shared).composite[0]).toBe(100)
  })

  it('refuses models with other tokens, and mismatched verified lists', () => {
    const other = parseScoringModel({
      ...modelInput({ domains: [domain('d', 1)], items: [item('q', 'd', 1, { type: 'yesNo' })] }),
      tokens: { notApplicable: 'NA', dontKnow: 'DK' },
    })
    expect(() => answerLayout([goldenModel, other])).toThrow(/tokens/)
    expect(() => encodeAnswers(answerLayout([other]), [{}], [])).toThrow(
      /0 verified value sets for 1 answer sets/,
    )
    expect(() => answerLayout([])).toThrow(/at least one model/)
  })

  it('refuses a gate switch the model does not allow, as scoreAssessment does', () => {
    const encoded = encodeAnswers(answerLayout([goldenModel]), [{}])
    expect(() => scoreEncoded(goldenModel, encoded, { gateEnabled: { G1: false } })).toThrow(
      /not configurable/,
    )
  })
})
