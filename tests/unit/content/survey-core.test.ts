import { Model, surveyLocalization } from 'survey-core'
import 'survey-core/i18n/vietnamese'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SURVEY_DEFAULT_LOCALE,
  isVisible,
  listQuestions,
  questionnaireV1,
  scoringModelV1,
} from '../../../db/content/questionnaire.ts'
import { samples } from './samples.ts'
import { surveyErrors } from './survey-check.ts'

const questions = listQuestions(questionnaireV1)

let previousDefault = ''
beforeAll(() => {
  previousDefault = surveyLocalization.defaultLocale
  surveyLocalization.defaultLocale = SURVEY_DEFAULT_LOCALE
})
afterAll(() => {
  surveyLocalization.defaultLocale = previousDefault
})

describe('questionnaire v1 in survey-core 3.0.0', () => {
  it('loads with no unknown properties', () => {
    const model = new Model(questionnaireV1)
    expect(model.jsonErrors ?? []).toEqual([])
    expect(model.getAllQuestions().map((q) => q.name)).toEqual(questions.map((q) => q.name))
  })

  it('shows Vietnamese by default and English with locale "en"', () => {
    const model = new Model(questionnaireV1)
    const first = questions.find((q) => q.name === 'has_imaging')
    const q = model.getQuestionByName('has_imaging')
    expect(q.title).toBe(first?.title?.default)
    model.locale = 'en'
    expect(q.title).toBe(first?.title?.en)
    for (const json of questions) {
      expect(model.getQuestionByName(json.name).title, json.name).toBe(json.title?.en)
    }
    model.locale = ''
    expect(q.title).toBe(first?.title?.default)
    model.data = {}
    model.validate(true)
    expect(q.errors[0]?.getText()).toBe('Vui lòng trả lời câu hỏi này.')
  })

  it('hides the PACS questions when the facility has no imaging', () => {
    const model = new Model(questionnaireV1)
    model.data = { has_imaging: 'no' }
    expect(model.getQuestionByName('ris_pacs_status').isVisible).toBe(false)
    model.data = { has_imaging: 'yes' }
    expect(model.getQuestionByName('ris_pacs_status').isVisible).toBe(true)
  })

  it('accepts "don\'t know" instead of a number', () => {
    expect(surveyErrors({ ...samples['provincial-middle'] })).toEqual([])
    const { workstations_modern_pct__status: _status, ...withoutFigure } =
      samples['provincial-middle']
    expect(surveyErrors(withoutFigure)).toEqual([
      'workstations_modern_pct: Vui lòng nhập số liệu, hoặc chọn “Không biết” ở câu ngay dưới.',
    ])
  })

  it('rejects an empty submission and out-of-range numbers', () => {
    expect(surveyErrors({}).length).toBeGreaterThan(60)
    const errors = surveyErrors({ ...samples['central-near-ready'], key_users_pct: 120 })
    expect(errors).toEqual(['key_users_pct: Giá trị không được lớn hơn 100.'])
  })
})

describe.each(Object.entries(samples))('sample %s', (_name, sample) => {
  it('names only questions of the questionnaire, all visible', () => {
    const names = new Set(questions.map((q) => q.name))
    for (const key of Object.keys(sample)) expect(names.has(key), key).toBe(true)
    for (const q of questions) {
      if (q.name in sample) expect(isVisible(q, sample), `${q.name} is hidden`).toBe(true)
    }
  })

  it('passes survey-core validation untouched', () => {
    expect(surveyErrors(sample)).toEqual([])
  })

  it('answers every visible scored item (directly or with its status)', () => {
    for (const item of scoringModelV1.items) {
      const q = questions.find((x) => x.name === item.id)
      if (!q || !isVisible(q, sample)) continue
      const answered = item.id in sample || (item.statusQuestion ?? '') in sample
      expect(answered, item.id).toBe(true)
    }
  })
})
