import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { missingEvidence } from '../../../app/assessment/assessment.server.ts'
import { validateAnswers } from '../../../app/questionnaire/validate.server.ts'
import { questionnaireV1, scoringModelV1 } from '../../../db/content/questionnaire.ts'
import { scoreAssessment } from '../../../scoring/score.ts'

const sample = (name: string) =>
  JSON.parse(readFileSync(`db/content/samples/${name}.json`, 'utf8')) as Record<string, unknown>

describe('submit rules on the shipped samples', () => {
  for (const name of ['central-near-ready', 'provincial-middle', 'basic-far']) {
    it(`${name} is complete and carries the evidence its gate answers need`, () => {
      const answers = sample(name)
      expect(validateAnswers(questionnaireV1, answers, 'submit').errors).toEqual([])
      const score = scoreAssessment(scoringModelV1, answers)
      expect(missingEvidence(scoringModelV1, score, answers, new Set())).toEqual([])
    })
  }

  it('asks for evidence when a gate answer has none, and accepts a file instead', () => {
    const answers = { ...sample('central-near-ready') }
    delete answers.it_staff_dedicated__evidence_ref
    const score = scoreAssessment(scoringModelV1, answers)
    expect(
      missingEvidence(scoringModelV1, score, answers, new Set()).map((e) => e.question),
    ).toEqual(['it_staff_dedicated'])
    expect(
      missingEvidence(scoringModelV1, score, answers, new Set(['it_staff_dedicated'])),
    ).toEqual([])
  })

  it('needs no evidence for an answer that does not claim the gate', () => {
    const answers: Record<string, unknown> = {
      ...sample('central-near-ready'),
      it_staff_dedicated: 'no',
    }
    delete answers.it_staff_dedicated__evidence_ref
    const score = scoreAssessment(scoringModelV1, answers)
    expect(missingEvidence(scoringModelV1, score, answers, new Set())).toEqual([])
  })
})
