/**
 * The survey-core adapter: answer kinds and offered values as survey-core
 * holds them, and the JSON-level reading the seed uses agreeing with it on
 * the shipped questionnaire.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { listQuestions, offeredValues } from '../../../db/content/questionnaire.ts'
import {
  answerKind,
  exclusiveChoices,
  loadSurvey,
  offeredItems,
  ownMaxLength,
} from '../../../app/questionnaire/survey.server.ts'
import { describeAnswer, getQuestionTexts } from '../../../app/questionnaire/texts.server.ts'

const small = {
  pages: [
    {
      name: 'p',
      elements: [
        { type: 'radiogroup', name: 'one', choices: ['a', 'b'] },
        {
          type: 'checkbox',
          name: 'many',
          choices: ['x', { value: 'only', text: 'Only this', isExclusive: true }],
          showNoneItem: true,
          showDontKnowItem: true,
        },
        { type: 'dropdown', name: 'refusable', choices: [1, 2], showRefuseItem: true },
        { type: 'text', name: 'beds', inputType: 'number' },
        { type: 'text', name: 'name', maxLength: 80 },
        { type: 'comment', name: 'note' },
        { type: 'boolean', name: 'flag' },
        { type: 'html', name: 'intro', html: '<p>x</p>' },
        { type: 'matrix', name: 'grid', columns: ['c'], rows: ['r'] },
      ],
    },
  ],
}

describe('answerKind and offered values', () => {
  const model = loadSurvey(small)
  const q = (name: string) => {
    const question = model.getQuestionByName(name)
    if (!question) throw new Error(name)
    return question
  }
  it('reads each kind of question', () => {
    expect(
      ['one', 'many', 'beds', 'name', 'note', 'flag', 'intro', 'grid'].map((n) => answerKind(q(n))),
    ).toEqual(['single', 'multi', 'number', 'text', 'text', 'boolean', 'none', 'other'])
  })
  it('offers the choices, then the shown none and don’t-know items', () => {
    expect(offeredItems(q('one')).map((c) => c.value as unknown)).toEqual(['a', 'b'])
    expect(offeredItems(q('many')).map((c) => c.value as unknown)).toEqual([
      'x',
      'only',
      'none',
      'dontknow',
    ])
    expect(exclusiveChoices(q('many')).map((c) => c.value as unknown)).toEqual(['only'])
  })
  it('reads a question’s own text limit', () => {
    expect(ownMaxLength(q('name'))).toBe(80)
    expect(ownMaxLength(q('note'))).toBeNull()
  })
  it('labels in the chosen language', () => {
    const json = {
      elements: [
        {
          type: 'radiogroup',
          name: 'r',
          choices: [{ value: 'y', text: { default: 'Có', en: 'Yes' } }],
        },
      ],
    }
    const label = (locale: 'vi' | 'en') => {
      const question = loadSurvey(json, locale).getQuestionByName('r')
      return question ? offeredItems(question)[0]?.text : undefined
    }
    expect([label('vi'), label('en')]).toEqual(['Có', 'Yes'])
  })
})

describe('the JSON reading of db/content agrees with survey-core', () => {
  it('on every kind of select question, short-form choices included', () => {
    const model = loadSurvey(small)
    for (const question of listQuestions(small)) {
      const surveyQuestion = model.getQuestionByName(question.name)
      if (!surveyQuestion) throw new Error(question.name)
      expect(
        offeredItems(surveyQuestion).map((c) => String(c.value)),
        question.name,
      ).toEqual(offeredValues(question))
    }
  })
})

describe('the seed’s JSON reading agrees with survey-core on the shipped questionnaire', () => {
  it('offers the same values for every question', () => {
    const json = JSON.parse(readFileSync('db/content/questionnaire-v1.json', 'utf8')) as object
    const model = loadSurvey(json)
    const questions = listQuestions(json)
    expect(questions.length).toBeGreaterThan(50)
    for (const question of questions) {
      const surveyQuestion = model.getQuestionByName(question.name)
      expect(surveyQuestion, question.name).toBeTruthy()
      if (!surveyQuestion) continue
      expect(
        offeredItems(surveyQuestion).map((c) => String(c.value)),
        question.name,
      ).toEqual(offeredValues(question))
    }
  })
})

describe('answers as a person reads them', () => {
  it('labels "none of the above", never its code', () => {
    const texts = getQuestionTexts(small, 'survey-test', 'vi')
    expect(describeAnswer(texts.get('many'), ['none'], '—')).not.toContain('none')
    expect(describeAnswer(texts.get('many'), ['x', 'only'], '—')).toBe('x; Only this')
  })
})
