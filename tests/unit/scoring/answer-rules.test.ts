import { describe, expect, it } from 'vitest'
import { evaluateAnswerRules, holds, type RegistryFacts } from '../../../scoring/answer-rules.ts'
import { parseScoringModel } from '../../../scoring/model-schema.ts'
import { domain, item, modelInput } from './helpers.ts'

const text = (en: string) => ({ vi: en, en })

const registry: RegistryFacts = {
  ownership: 'public',
  tier: 'provincial',
  beds: 200,
  emrStatus: 'none',
  autonomyGroup: 2,
  hasImaging: true,
  referralRole: 'provincial',
  facilityClass: 'hospital',
}

const model = parseScoringModel({
  ...modelInput({
    domains: [domain('d', 1)],
    items: [
      item(
        'autonomy',
        'd',
        1,
        { type: 'choice', scores: { g1: 1, g2: 0.5 } },
        { allowNotApplicable: true },
      ),
    ],
  }),
  answerRules: [
    {
      id: 'NA1',
      effect: 'refuse',
      question: 'autonomy',
      when: {
        all: [
          { kind: 'answer', question: 'autonomy', in: ['na'] },
          { kind: 'registry', field: 'ownership', in: ['public'] },
        ],
      },
      message: text('a public facility belongs to an autonomy group'),
      source: 'test',
    },
    {
      id: 'DQ1',
      effect: 'flag',
      question: 'beds_in_use',
      when: {
        all: [
          {
            kind: 'compare',
            left: { answer: 'beds_in_use' },
            op: 'gt',
            right: { registry: 'beds' },
            factor: 2,
          },
        ],
      },
      message: text('beds in use above twice the planned beds'),
      source: 'test',
    },
    {
      id: 'DQ2',
      effect: 'flag',
      question: 'autonomy',
      when: {
        all: [
          {
            kind: 'mismatch',
            question: 'autonomy',
            field: 'autonomyGroup',
            map: { g1: 1, g2: 2 },
          },
        ],
      },
      message: text('group differs from the registry'),
      source: 'test',
    },
  ],
})

const ids = (answers: Record<string, unknown>, verified?: Record<string, unknown>) =>
  evaluateAnswerRules(model, { answers, verified, registry }).map((h) => `${h.effect}:${h.id}`)

describe('answer rules', () => {
  it('refuse "not applicable" that the registry contradicts, and only then', () => {
    expect(ids({ autonomy: 'na' })).toEqual(['refuse:NA1'])
    expect(
      evaluateAnswerRules(model, {
        answers: { autonomy: 'na' },
        registry: { ...registry, ownership: 'private' },
      }),
    ).toEqual([])
  })

  it('flag contradictions with the registry and read verified values first', () => {
    expect(ids({ beds_in_use: 401 })).toEqual(['flag:DQ1'])
    expect(ids({ beds_in_use: 400 })).toEqual([])
    // The reviewer's value is what the verified basis reads.
    expect(ids({ beds_in_use: 900 }, { beds_in_use: 300 })).toEqual([])
    expect(ids({ autonomy: 'g1' })).toEqual(['flag:DQ2'])
    expect(ids({ autonomy: 'g2' })).toEqual([])
  })

  it('an unknown side never makes a comparison or a mismatch hold', () => {
    const unknown = { ...registry, beds: null, autonomyGroup: null }
    const context = { answers: { beds_in_use: 10_000, autonomy: 'g1' }, registry: unknown }
    expect(evaluateAnswerRules(model, context)).toEqual([])
    expect(holds({ kind: 'answer', question: 'x', in: [null] }, context)).toBe(true)
    expect(
      holds(
        { kind: 'answer', question: 'list', in: ['b'] },
        { ...context, answers: { list: ['a', 'b'] } },
      ),
    ).toBe(true)
  })
})
