/** The decoders of stored JSON: what they accept, and that corruption throws rather than passes. */
import { describe, expect, it } from 'vitest'
import { decodeScore } from '../../../app/models/score.server.ts'
import {
  decodeAnswerList,
  decodeAnswers,
  decodeValue,
} from '../../../app/models/stored-json.server.ts'

describe('decodeAnswers', () => {
  it('reads an answers object', () => {
    expect(decodeAnswers('{"beds":587,"his_modules":["opd"]}')).toEqual({
      beds: 587,
      his_modules: ['opd'],
    })
  })
  it.each(['null', '[]', '"text"', '42'])('refuses %s: stored answers are an object', (json) => {
    expect(() => decodeAnswers(json)).toThrow(/not an object/)
  })
})

describe('decodeAnswerList', () => {
  it('reads the answers picked by SQL, one per question, unanswered as null', () => {
    expect(decodeAnswerList('["yes",null,3,null]', 3)).toEqual(['yes', null, 3, null])
  })
  it.each(['{"a":1}', '["yes"]', 'null'])('refuses %s for three questions', (json) => {
    expect(() => decodeAnswerList(json, 3)).toThrow(/does not hold 3 answers/)
  })
})

describe('decodeValue', () => {
  it('reads any JSON value', () => {
    expect(decodeValue('["a","b"]')).toEqual(['a', 'b'])
    expect(decodeValue('null')).toBeNull()
  })
})

describe('decodeScore', () => {
  it('reads an engine result by its frame (the model that wrote it, the composite)', () => {
    const score = decodeScore(
      '{"modelId":"vn-emr-readiness","compositeBp":6543,"level":{"id":"R2"}}',
    )
    expect(score.compositeBp).toBe(6543)
  })
  it.each(['{"compositeBp":6543}', '{"modelId":"m","compositeBp":"6543"}', '[]'])(
    'refuses %s',
    (json) => {
      expect(() => decodeScore(json)).toThrow(/not an engine result/)
    },
  )
})
