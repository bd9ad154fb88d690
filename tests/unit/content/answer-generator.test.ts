import { describe, expect, it } from 'vitest'
import { generateAnswers, type Tier } from '../../../db/content/answer-generator.ts'
import {
  isVisible,
  listQuestions,
  questionnaireV1,
  scoringModelV1,
} from '../../../db/content/questionnaire.ts'
import { referenceScore } from './reference-score.ts'
import { surveyErrors } from './survey-check.ts'

const tiers: Tier[] = ['central', 'provincial', 'basic']
const questions = listQuestions(questionnaireV1)
const generate = (seed: number, readiness: number, tier: Tier, completeness?: number) =>
  generateAnswers(questionnaireV1, scoringModelV1, seed, { readiness, tier }, completeness)

describe('generateAnswers', () => {
  it('is deterministic: same seed and profile, same answers', () => {
    expect(generate(42, 0.6, 'provincial')).toEqual(generate(42, 0.6, 'provincial'))
    expect(generate(42, 0.6, 'provincial')).not.toEqual(generate(43, 0.6, 'provincial'))
  })

  it('produces answers survey-core accepts as complete, across tiers and readiness', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const answers = generate(seed, (seed % 8) / 7, tiers[seed % 3] ?? 'basic')
      expect(surveyErrors(answers), `seed ${seed}`).toEqual([])
      for (const q of questions) {
        if (q.name in answers) expect(isVisible(q, answers), `${seed}: ${q.name}`).toBe(true)
      }
    }
  }, 30_000)

  it('respects hasImaging: no imaging, no PACS answers', () => {
    const answers = generateAnswers(questionnaireV1, scoringModelV1, 5, {
      readiness: 0.9,
      tier: 'central',
      hasImaging: false,
    })
    expect(answers.has_imaging).toBe('no')
    expect('ris_pacs_status' in answers).toBe(false)
    expect('imaging_device_connection_pct' in answers).toBe(false)
    expect(surveyErrors(answers)).toEqual([])
  })

  it('answers about the requested share of items with completeness < 1, all still valid', () => {
    const answers = generate(9, 0.5, 'provincial', 0.5)
    const answered = scoringModelV1.items.filter(
      (i) => i.id in answers || (i.statusQuestion ?? '') in answers,
    ).length
    expect(answered).toBeGreaterThan(15)
    expect(answered).toBeLessThan(50)
    const model = surveyErrors(answers).filter((e) => !e.includes('Vui lòng'))
    expect(model).toEqual([])
  })

  it('follows readiness and spreads facilities over all levels R0–R4', () => {
    const levels = new Map<string, number>()
    const byReadiness: number[][] = [[], [], [], [], []]
    for (let i = 0; i < 300; i++) {
      const readiness = (i % 100) / 99
      const result = referenceScore(
        scoringModelV1,
        generate(1000 + i, readiness, tiers[i % 3] ?? 'basic'),
      )
      levels.set(result.levelId, (levels.get(result.levelId) ?? 0) + 1)
      byReadiness[Math.min(4, Math.floor(readiness * 5))]?.push(result.composite)
    }
    for (const id of ['R0', 'R1', 'R2', 'R3', 'R4']) {
      expect(levels.get(id) ?? 0, id).toBeGreaterThanOrEqual(15)
    }
    const means = byReadiness.map((c) => c.reduce((a, b) => a + b, 0) / c.length)
    for (let k = 1; k < means.length; k++) expect(means[k]).toBeGreaterThan(means[k - 1] ?? 0)
    expect(means[0]).toBeLessThan(25)
    expect(means[4]).toBeGreaterThan(80)
  })
})
