/**
 * The scoring engine (scoring/score.ts, written in parallel) against the
 * hand-computed golden samples. Kept in its own file so the content tests
 * still run while the engine does not exist yet.
 */
import { describe, expect, it } from 'vitest'
import { scoringModelV1, scoringModelV1_1 } from '../../../db/content/questionnaire.ts'
import { scoreAssessment } from '../../../scoring/score.ts'
import { golden } from './golden.ts'
import { samples } from './samples.ts'

describe.each(Object.keys(golden) as (keyof typeof golden)[])('scoreAssessment on %s', (name) => {
  const expected = golden[name]

  it('matches the hand computation and the intended level', () => {
    const result = scoreAssessment(scoringModelV1, samples[name])
    expect(Math.abs(result.composite - expected.composite)).toBeLessThan(1e-6)
    expect(result.level.id).toBe(expected.levelId)
    expect(result.gates.filter((g) => g.passed).map((g) => g.id)).toEqual(expected.passingGates)
    expect(result.completeness).toBeGreaterThanOrEqual(scoringModelV1.completenessThreshold)
  })

  it('under model 1.1: the same composite and gates, the level with the domain floors', () => {
    const v1 = scoreAssessment(scoringModelV1, samples[name])
    const result = scoreAssessment(scoringModelV1_1, samples[name])
    expect(result.composite).toBe(v1.composite)
    expect(result.gates).toEqual(v1.gates)
    expect(result.level.id).toBe(expected.v1_1.levelId)
    expect(
      (result.level.cappedByFloors ?? []).map((f) => ({
        levelId: f.levelId,
        domainId: f.domainId,
      })),
    ).toEqual(expected.v1_1.floorsFailed)
  })
})
