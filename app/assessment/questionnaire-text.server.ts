/**
 * Question titles and choice labels in one language, read through
 * survey-core (so localisation follows SurveyJS rules exactly), cached per
 * questionnaire version and language.
 */
import { Model, surveyLocalization } from 'survey-core'
import 'survey-core/i18n/vietnamese'
import type { Locale } from '../i18n.ts'

surveyLocalization.defaultLocale = 'vi'

export interface QuestionText {
  title: string
  page: string
  choices: Record<string, string>
}

const cache = new Map<string, Map<string, QuestionText>>()

export function getQuestionTexts(
  questionnaire: object,
  cacheKey: string,
  locale: Locale,
): Map<string, QuestionText> {
  const key = `${cacheKey}:${locale}`
  const cached = cache.get(key)
  if (cached) return cached
  const model = new Model(questionnaire)
  model.locale = locale === 'en' ? 'en' : ''
  const texts = new Map<string, QuestionText>()
  for (const question of model.getAllQuestions(false)) {
    const q = question as typeof question & { choices?: Array<{ value: unknown; text: string }> }
    const choices: Record<string, string> = {}
    for (const c of q.choices ?? []) choices[String(c.value)] = c.text
    texts.set(question.name, { title: question.title, page: question.page?.name ?? '', choices })
  }
  cache.set(key, texts)
  return texts
}

/** An answer as a person reads it: choice labels instead of codes. */
export function describeAnswer(
  text: QuestionText | undefined,
  value: unknown,
  empty: string,
): string {
  if (value === undefined || value === null || value === '') return empty
  const label = (v: unknown) => text?.choices[String(v)] ?? String(v)
  return Array.isArray(value) ? value.map(label).join('; ') : label(value)
}
