/** Scoring model 1.1.0: what changed from 1.0.0, and what must not have. */
import { describe, expect, it } from 'vitest'
import {
  SCORING_MODELS,
  listQuestions,
  offeredValues,
  questionnaireV1,
  scoringModelV1,
  scoringModelV1_1,
} from '../../../db/content/questionnaire.ts'
import { contentChecksum } from '../../../db/seed-content.ts'
import type { RulePredicate } from '../../../scoring/model-schema.ts'

const questions = new Map(listQuestions(questionnaireV1).map((q) => [q.name, q]))
const v11 = scoringModelV1_1

describe('scoring model 1.0.0 stays as released', () => {
  it('keeps the checksum every database holding it stored', () => {
    // A default added to the model schema would change the parsed model and this checksum,
    // and every database with 1.0.0 would refuse to start ("release a new version").
    expect(contentChecksum(scoringModelV1)).toBe(
      '05989976fb3e9d47786d4da5e3a33ba75455d7e99768d79285b6ecfdf92df451',
    )
    expect(scoringModelV1.levelBasis).toBeUndefined()
    expect(scoringModelV1.answerRules).toBeUndefined()
  })

  it('is shipped before 1.1.0, under the same model id, scoring the same questionnaire', () => {
    expect(SCORING_MODELS.map((m) => m.version)).toEqual(['1.0.0', '1.1.0'])
    expect(v11.id).toBe(scoringModelV1.id)
    expect(v11.questionnaireVersion).toBe(scoringModelV1.questionnaireVersion)
  })
})

describe('scoring model 1.1.0', () => {
  it('changes no item, weight, gate or completeness threshold: only levels and rules', () => {
    expect(v11.items).toEqual(scoringModelV1.items)
    expect(v11.domains).toEqual(scoringModelV1.domains)
    expect(v11.gates).toEqual(scoringModelV1.gates)
    expect(v11.completenessThreshold).toBe(scoringModelV1.completenessThreshold)
    expect(v11.levels.map((l) => [l.id, l.minComposite, l.gateIds])).toEqual(
      scoringModelV1.levels.map((l) => [l.id, l.minComposite, l.gateIds]),
    )
  })

  it('decides levels on the basis points shown and sets the INFRAM-style floors on R3 and R4', () => {
    expect(v11.levelBasis).toBe('basisPoints')
    expect(v11.levels.map((l) => [l.id, l.domainFloors ?? null])).toEqual([
      ['R0', null],
      ['R1', null],
      ['R2', null],
      ['R3', { all: 0.5, domains: { cybersecurity: 0.6 } }],
      ['R4', { all: 0.6, domains: { cybersecurity: 0.7 } }],
    ])
  })

  it('names only questions and offered values of the questionnaire in its answer rules', () => {
    const rules = v11.answerRules ?? []
    expect(rules.length).toBeGreaterThan(5)
    const check = (p: RulePredicate) => {
      const names =
        p.kind === 'answer' || p.kind === 'mismatch'
          ? [p.question]
          : p.kind === 'compare'
            ? [p.left, p.right].flatMap((o) => ('answer' in o ? [o.answer] : []))
            : []
      for (const name of names) expect(questions.has(name), name).toBe(true)
      if (p.kind === 'answer') {
        const offered = offeredValues(questions.get(p.question) ?? { type: '', name: '' })
        for (const v of p.in) expect(offered, `${p.question} ${String(v)}`).toContain(v)
      }
      if (p.kind === 'mismatch') {
        const offered = offeredValues(questions.get(p.question) ?? { type: '', name: '' })
        for (const v of Object.keys(p.map)) expect(offered).toContain(v)
      }
    }
    for (const rule of rules) {
      expect(questions.has(rule.question), rule.id).toBe(true)
      rule.when.all.forEach(check)
      expect(rule.message.vi).not.toBe(rule.message.en)
    }
  })

  it('lets "not applicable" stand only where the registry may confirm it: every way to N/A has a refusal', () => {
    const refusals = (v11.answerRules ?? []).filter((r) => r.effect === 'refuse')
    const refused = (question: string, value: string) =>
      refusals.some((r) =>
        r.when.all.some(
          (p) => p.kind === 'answer' && p.question === question && p.in.includes(value),
        ),
      )
    // Items that accept the N/A token.
    for (const item of v11.items.filter((i) => i.allowNotApplicable)) {
      expect(refused(item.id, v11.tokens.notApplicable), item.id).toBe(true)
    }
    // Answers that make other items not applicable through `applicableIf`.
    for (const item of v11.items.filter((i) => i.applicableIf)) {
      const condition = item.applicableIf
      if (!condition) continue
      const controller = questions.get(condition.question)
      const offered = controller ? offeredValues(controller) : []
      for (const value of offered.filter((v) => !condition.in.includes(v))) {
        expect(refused(condition.question, value), `${condition.question}=${value}`).toBe(true)
      }
    }
  })

  it('asks every percentage item on 0–100, so out-of-range values are refused at save', () => {
    for (const item of v11.items.filter((i) => i.rule.type === 'percentage')) {
      const q = questions.get(item.id)
      expect([q?.min, q?.max], item.id).toEqual([0, 100])
    }
  })
})
