/** Reviewer values are typed and checked against the real questionnaire v1, like any answer. */
import { describe, expect, it } from 'vitest'
import { questionnaireV1, scoringModelV1 } from '../../../db/content/questionnaire.ts'
import {
  getQuestionShapes,
  parseVerifiedValue,
} from '../../../app/review/verified-values.server.ts'
import { compareError, CompareParamsSchema } from '../../../app/review/compare.server.ts'

const shapes = getQuestionShapes(questionnaireV1, 'v1-test')
const itemOfKind = (kind: string) => {
  const item = scoringModelV1.items.find((i) => shapes.get(i.id)?.kind === kind)
  if (!item) throw new Error(`no ${kind} item`)
  return item.id
}
const parse = (question: string, raw: string[]) =>
  parseVerifiedValue(questionnaireV1, 'v1-test', {}, question, raw)

describe('parseVerifiedValue', () => {
  it('types a choice as the value survey-core offers', () => {
    const q = itemOfKind('choice')
    const offered = shapes.get(q)?.choices[0]
    expect(parse(q, [String(offered)])).toEqual({ ok: true, value: offered })
    expect(parse(q, ['not-offered'])).toMatchObject({ ok: false, error: 'valueInvalid' })
  })

  it('types a number and refuses text in a number question', () => {
    const q = itemOfKind('number')
    expect(parse(q, ['12'])).toEqual({ ok: true, value: 12 })
    expect(parse(q, ['mười hai'])).toMatchObject({ ok: false, error: 'valueInvalid' })
    expect(parse(q, ['-5'])).toMatchObject({ ok: false })
  })

  it('takes a checklist as several offered options, refusing unknown or repeated ones', () => {
    const q = itemOfKind('multi')
    const [a, b] = shapes.get(q)?.choices ?? []
    expect(parse(q, [String(a), String(b)])).toEqual({ ok: true, value: [a, b] })
    expect(parse(q, [String(a), 'nope'])).toMatchObject({ ok: false, error: 'valueInvalid' })
    expect(parse(q, [String(a), String(a)])).toMatchObject({ ok: false, error: 'valueInvalid' })
  })

  it('requires a value and a known question', () => {
    expect(parse(itemOfKind('choice'), ['  '])).toEqual({ ok: false, error: 'valueRequired' })
    expect(parse('no_such_question', ['1'])).toEqual({ ok: false, error: 'unknownQuestion' })
  })
})

describe('compare parameters', () => {
  const parse = (raw: Record<string, string>) => CompareParamsSchema.safeParse(raw)
  it('reads 2 to 5 ids or codes, separated by commas or spaces', () => {
    expect(parse({ ids: '3, 1 2' }).data).toEqual({ ids: [3, 1, 2] })
    expect(parse({ codes: '38001,01001' }).data).toEqual({ codes: ['38001', '01001'] })
  })
  it.each([
    [{ ids: '1' }, 'count'],
    [{ ids: '1,2,3,4,5,6' }, 'count'],
    [{ ids: '1,1' }, 'duplicate'],
    [{ ids: '1,x' }, 'ids'],
    [{ ids: '0,2' }, 'ids'],
    [{ codes: '38001,abc' }, 'codes'],
  ])('%j is refused with %s', (raw, message) => {
    const result = parse(raw)
    expect(result.success).toBe(false)
    if (!result.success) expect(compareError(result.error)).toBe(message)
  })
})
