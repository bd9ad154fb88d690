import { describe, expect, it } from 'vitest'
import {
  checkModel,
  checkPair,
  checkQuestionnaire,
  type Problem,
} from '../../../app/admin/models/compatibility.ts'
import {
  QUESTIONNAIRE_VERSION,
  questionnaireV1,
  scoringModelV1_1,
} from '../../../db/content/questionnaire.ts'
import scoringModelV11Json from '../../../db/content/scoring-model-v1.1.json' with { type: 'json' }

/** A deep copy to edit (the shipped objects are shared). */
const copy = <T>(value: T): T => structuredClone(value)
const pair = (q: unknown, model = scoringModelV1_1) =>
  checkPair({ version: QUESTIONNAIRE_VERSION, json: q }, model)

type Element = {
  name: string
  type: string
  choices?: Array<{ value: string }>
  [k: string]: unknown
}
function questionOf(q: { pages: Array<{ elements: unknown[] }> }, name: string): Element {
  for (const page of q.pages) {
    for (const el of page.elements as Element[]) if (el.name === name) return el
  }
  throw new Error(`no question ${name}`)
}

describe('the shipped content', () => {
  it('passes every check: questionnaire 1.0.0 with model 1.1.0', () => {
    expect(checkQuestionnaire(questionnaireV1)).toEqual([])
    expect(checkModel(scoringModelV11Json).ok).toBe(true)
    expect(pair(questionnaireV1)).toEqual([])
  })
})

describe('checkQuestionnaire', () => {
  it('refuses what is not an object, has no questions, or survey-core cannot load', () => {
    expect(checkQuestionnaire([1])[0]?.code).toBe('questionnaireNotObject')
    expect(checkQuestionnaire({ pages: [] }).map((p) => p.code)).toEqual([
      'questionnaireNoQuestions',
    ])
    const problems = checkQuestionnaire({
      pages: [{ name: 'p', elements: [{ type: 'text', name: 'a', colour: 'red' }] }],
    })
    expect(problems).toContainEqual<Problem>({
      code: 'surveyJson',
      item: 'text.colour',
      expected: 'unknownproperty',
      found: "Unknown property in class 'text': 'colour'.",
    })
  })

  it('refuses a question name used twice and a visibleIf the server cannot evaluate', () => {
    const problems = checkQuestionnaire({
      pages: [
        {
          name: 'p',
          elements: [
            { type: 'text', name: 'a' },
            { type: 'text', name: 'a' },
            { type: 'text', name: 'b', visibleIf: '{a} > 3' },
          ],
        },
      ],
    })
    expect(problems.map((p) => [p.code, p.item])).toEqual([
      ['duplicateQuestion', 'a'],
      ['visibleIfNotCanonical', 'b'],
    ])
  })
})

describe('checkModel', () => {
  it('names each schema problem at its path with the value found', () => {
    const bad = copy(scoringModelV11Json) as { version: string; domains: Array<{ weight: number }> }
    bad.version = '1.2'
    const first = bad.domains[0]
    if (first) first.weight = 0.5
    const result = checkModel(bad)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toContainEqual<Problem>({
      code: 'modelSchema',
      item: 'version',
      expected: 'versions look like 1.0.0',
      found: '1.2',
    })
    expect(result.problems.some((p) => p.item === 'domains' && /sum to/.test(p.expected))).toBe(
      true,
    )
  })
})

describe('checkPair', () => {
  it('refuses a model written for another questionnaire version', () => {
    const model = { ...scoringModelV1_1, questionnaireVersion: '9.9.9' }
    expect(pair(questionnaireV1, model)).toEqual([
      {
        code: 'questionnaireVersion',
        item: 'questionnaireVersion',
        expected: '1.0.0',
        found: '9.9.9',
      },
    ])
  })

  it('refuses a scored item the questionnaire does not ask', () => {
    const item = scoringModelV1_1.items[0]
    if (!item) throw new Error('no item')
    const model = {
      ...scoringModelV1_1,
      items: [{ ...item, id: 'not_asked' }, ...scoringModelV1_1.items.slice(1)],
    }
    expect(pair(questionnaireV1, model)).toContainEqual(
      expect.objectContaining({ code: 'missingQuestion', item: 'not_asked' }),
    )
  })

  it('refuses a question of the wrong type', () => {
    const item = scoringModelV1_1.items.find((i) => i.rule.type === 'choice')
    if (!item) throw new Error('no choice item')
    const q = copy(questionnaireV1)
    questionOf(q, item.id).type = 'checkbox'
    expect(pair(q)).toContainEqual({
      code: 'questionType',
      item: item.id,
      expected: 'radiogroup',
      found: 'checkbox',
    })
  })

  it('refuses a scored choice the question does not offer, and an offered one with no score', () => {
    const item = scoringModelV1_1.items.find(
      (i) => i.rule.type === 'choice' && !i.allowDontKnow && !i.allowNotApplicable,
    )
    if (!item || item.rule.type !== 'choice') throw new Error('no plain choice item')
    const q = copy(questionnaireV1)
    const question = questionOf(q, item.id)
    const removed = question.choices?.[0]?.value
    question.choices = [
      ...(question.choices ?? []).slice(1),
      { value: 'extra', text: { default: 'x', en: 'x' } } as never,
    ]
    const problems = pair(q).filter((p) => p.item === item.id)
    expect(problems.map((p) => p.code).sort()).toEqual(['choiceNotOffered', 'choiceNotScored'])
    expect(problems.find((p) => p.code === 'choiceNotOffered')?.expected).toBe(removed)
    expect(problems.find((p) => p.code === 'choiceNotScored')?.found).toBe('extra')
  })

  it('refuses a "don\'t know" the item does not allow, and one it allows but is not offered', () => {
    const item = scoringModelV1_1.items.find(
      (i) => i.rule.type === 'choice' && !i.allowDontKnow && !i.allowNotApplicable,
    )
    if (!item) throw new Error('no plain choice item')
    const q = copy(questionnaireV1)
    const question = questionOf(q, item.id)
    question.choices = [...(question.choices ?? []), { value: 'dontknow' }]
    expect(pair(q)).toContainEqual({
      code: 'tokenNotAllowed',
      item: item.id,
      expected: '—',
      found: 'dontknow',
    })
    const model = {
      ...scoringModelV1_1,
      items: scoringModelV1_1.items.map((i) =>
        i.id === item.id ? { ...i, allowNotApplicable: true } : i,
      ),
    }
    expect(pair(questionnaireV1, model)).toContainEqual(
      expect.objectContaining({ code: 'tokenNotOffered', item: item.id, expected: 'na' }),
    )
  })

  it('refuses a number item whose status question is missing', () => {
    const item = scoringModelV1_1.items.find((i) => i.statusQuestion)
    if (!item?.statusQuestion) throw new Error('no item with a status question')
    const q = copy(questionnaireV1)
    questionOf(q, item.statusQuestion).name = 'renamed_status'
    expect(pair(q)).toContainEqual(
      expect.objectContaining({ code: 'statusQuestion', item: item.id, found: '—' }),
    )
  })

  it('refuses an applicableIf that does not mirror the visibleIf', () => {
    const item = scoringModelV1_1.items.find((i) => i.applicableIf)
    if (!item) throw new Error('no conditional item')
    const model = {
      ...scoringModelV1_1,
      items: scoringModelV1_1.items.map((i) =>
        i.id === item.id ? { ...i, applicableIf: undefined } : i,
      ),
    }
    expect(pair(questionnaireV1, model)).toContainEqual(
      expect.objectContaining({ code: 'applicableIf', item: item.id, found: '—' }),
    )
  })

  it('refuses an answer rule reading a question that does not exist', () => {
    const rule = scoringModelV1_1.answerRules?.[0]
    if (!rule) throw new Error('no answer rule')
    const model = {
      ...scoringModelV1_1,
      answerRules: [{ ...rule, question: 'no_such_question' }],
    }
    expect(pair(questionnaireV1, model)).toContainEqual({
      code: 'ruleQuestion',
      item: 'no_such_question',
      expected: 'a question',
      found: '—',
    })
  })
})
