import { describe, expect, it } from 'vitest'
import { scoringModelV1, scoringModelV1_1 } from '../../../db/content/questionnaire.ts'
import { golden } from './golden.ts'
import { referenceScore } from './reference-score.ts'
import { samples } from './samples.ts'

describe.each(Object.keys(golden) as (keyof typeof golden)[])('golden sample %s', (name) => {
  const expected = golden[name]

  it('agrees with its own written-out arithmetic', () => {
    expect(Math.abs(expected.arithmetic - expected.composite)).toBeLessThan(1e-9)
  })

  it('is reproduced by the reference scorer', () => {
    const result = referenceScore(scoringModelV1, samples[name])
    expect(Math.abs(result.composite - expected.composite)).toBeLessThan(1e-9)
    expect(result.levelId).toBe(expected.levelId)
    const passing = Object.entries(result.gates)
      .filter(([, ok]) => ok)
      .map(([id]) => id)
    expect(passing).toEqual(expected.passingGates)
  })

  it('is re-scored under model 1.1 as worked out by hand', () => {
    const result = referenceScore(scoringModelV1_1, samples[name])
    expect(Math.abs(result.composite - expected.composite)).toBeLessThan(1e-9)
    expect(result.levelId).toBe(expected.v1_1.levelId)
    expect(result.floorsFailed).toEqual(expected.v1_1.floorsFailed)
  })
})
