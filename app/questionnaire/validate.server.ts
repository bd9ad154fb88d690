/**
 * The answer rules, and the full validation of a set of answers against the
 * round's questionnaire with survey-core itself.
 *
 * survey-core silently drops or repairs bad values (a choice not offered
 * becomes "no answer"; text stays in a number field), so we first check each
 * value's type against its question (`typeError`, our rule), then compare
 * what survey-core keeps with what was sent and reject any difference,
 * naming the question. Nothing is ever stored repaired.
 *
 * Building a survey-core `Model` and loading every answer into it costs tens
 * of milliseconds, so autosave does not come here: it checks the changed
 * answers with the questionnaire compiled once (compiled-validator.server.ts),
 * which applies the same rules (`typeError`, `exclusiveError` below) and is
 * held to this function by a property test. Submit, and the reviewer's
 * verified values, use this one.
 */
import type { ItemValue, Model, Question } from 'survey-core'
import {
  answerKind,
  exclusiveChoices,
  loadSurvey,
  offeredItems,
  ownMaxLength,
  specialItems,
} from './survey.server.ts'
import { formatNumber } from '../utils/number-format.ts'
import { bilingual, type Bilingual } from '../utils/bilingual.server.ts'

export interface AnswerError {
  question: string
  message: Bilingual
}

export interface ValidationResult {
  ok: boolean
  errors: AnswerError[]
}

/** The longest text any text or comment question takes, whatever its own `maxLength`. */
export const MAX_TEXT_LENGTH = 5_000

type Answers = Record<string, unknown>

/**
 * What a value must be to answer a question:
 * - `number`: a finite number (a text question with `inputType: 'number'`);
 * - `text`: a string of at most `maxLength` characters (text, comment);
 * - `single` / `multi`: one offered value / a list of distinct offered values
 *   (offered = the choices plus the shown none, don't-know and refuse items);
 * - `boolean`: true or false;
 * - `none`: nothing (html, expression, image: elements that take no answer);
 * - `other`: a type these rules do not know; survey-core alone judges it.
 */
export type AnswerShape =
  | { kind: 'number' }
  | { kind: 'text'; maxLength: number }
  | { kind: 'single' | 'multi'; offered: ReadonlySet<unknown> }
  | { kind: 'boolean' | 'none' | 'other' }

/** An option of a checklist that must be ticked alone; its text in both languages, when needed. */
export interface ExclusiveItem {
  value: unknown
  text: () => Bilingual
}

export function isEmptyAnswer(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

const message = (key: string) => bilingual(`assessment:validation.${key}`)

export const unknownQuestionMessage = (): Bilingual => message('unknownQuestion')
export const hiddenMessage = (): Bilingual => message('hidden')

/** Checks one (non-empty) value's type against its question; null when it fits. */
export function typeError(shape: AnswerShape, value: unknown): Bilingual | null {
  switch (shape.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : message('notNumber')
    case 'text':
      if (typeof value !== 'string') return message('notText')
      if (value.length > shape.maxLength) {
        return bilingual('assessment:validation.tooLong', (locale) => ({
          max: formatNumber(shape.maxLength, locale),
        }))
      }
      return null
    case 'single':
      return shape.offered.has(value) ? null : message('notOffered')
    case 'multi':
      if (!Array.isArray(value) || !value.every((v) => shape.offered.has(v))) {
        return message('someNotOffered')
      }
      return new Set(value).size === value.length ? null : message('repeated')
    case 'boolean':
      return typeof value === 'boolean' ? null : message('notBoolean')
    case 'none':
      return message('noAnswer')
    case 'other':
      return null
  }
}

/**
 * "None of the above" (or another option that stands alone) ticked together
 * with other options. survey-core's UI clears the others when one is ticked,
 * but keeps a stored combination as it is. The first of `items` found names
 * the option.
 */
export function exclusiveError(items: readonly ExclusiveItem[], value: unknown): Bilingual | null {
  if (!Array.isArray(value) || value.length < 2) return null
  const alone = items.find((item) => value.includes(item.value))
  if (!alone) return null
  const text = alone.text()
  return bilingual('assessment:validation.exclusive', (locale) => ({ option: text[locale] }))
}

/** The answer shape of a question as survey-core read it from the JSON. */
function shapeOf(question: Question): AnswerShape {
  const kind = answerKind(question)
  if (kind === 'text') {
    return { kind, maxLength: Math.min(ownMaxLength(question) ?? MAX_TEXT_LENGTH, MAX_TEXT_LENGTH) }
  }
  if (kind === 'single' || kind === 'multi') {
    return { kind, offered: new Set(offeredItems(question).map((c) => c.value as unknown)) }
  }
  return { kind }
}

/** The text of an item in one language of the questionnaire. */
function itemText(model: Model, item: ItemValue, locale: 'vi' | 'en'): string {
  const previous = model.locale
  model.locale = locale
  const text = item.text
  model.locale = previous
  return text
}

/**
 * The options of a checklist that stand alone: any choice marked
 * `isExclusive`, then "none of the above", "don't know" and "refuse" when shown.
 */
function exclusiveItemsOf(model: Model, question: Question): ExclusiveItem[] {
  return [...exclusiveChoices(question), ...specialItems(question)].map((item) => ({
    value: item.value as unknown,
    // Switching the model's language is slow: only for the message.
    text: () => ({ vi: itemText(model, item, 'vi'), en: itemText(model, item, 'en') }),
  }))
}

/**
 * Validates answers. `mode: 'save'` checks every given value (type, choices,
 * min/max and other validators) but not missing required answers; `mode:
 * 'submit'` also requires every visible required question.
 */
export function validateAnswers(
  questionnaire: object,
  answers: Answers,
  mode: 'save' | 'submit',
): ValidationResult {
  const model = loadSurvey(questionnaire)
  model.locale = 'vi'
  const errors: AnswerError[] = []

  for (const [name, value] of Object.entries(answers)) {
    const question = model.getQuestionByName(name)
    if (!question) {
      errors.push({ question: name, message: unknownQuestionMessage() })
      continue
    }
    if (isEmptyAnswer(value)) continue
    const problem = typeError(shapeOf(question), value)
    if (problem) errors.push({ question: name, message: problem })
  }
  if (errors.length > 0) return { ok: false, errors }

  model.data = answers
  // What survey-core keeps must be exactly what was sent.
  model.clearIncorrectValues(true)
  for (const [name, value] of Object.entries(answers)) {
    if (!isEmptyAnswer(value) && JSON.stringify(model.getValue(name)) !== JSON.stringify(value)) {
      errors.push({ question: name, message: message('invalid') })
    }
  }
  if (errors.length > 0) return { ok: false, errors }

  // Judged on these answers, i.e. after the save: an answer in the same request
  // may hide a question (its answer must then be cleared in that request too).
  for (const [name, value] of Object.entries(answers)) {
    if (isEmptyAnswer(value)) continue
    const question = model.getQuestionByName(name)
    if (!question) continue
    if (!question.isVisible || !question.isParentVisible) {
      errors.push({ question: name, message: hiddenMessage() })
      continue
    }
    const alone = exclusiveError(exclusiveItemsOf(model, question), value)
    if (alone) errors.push({ question: name, message: alone })
  }
  if (errors.length > 0) return { ok: false, errors }

  for (const question of model.getAllQuestions(true)) {
    const value = model.getValue(question.name)
    if (mode === 'save' && isEmptyAnswer(value)) continue
    question.validate(true)
    if (question.errors.length === 0) continue
    const vi = question.errors.map((e) => e.getText()).join(' ')
    model.locale = 'en'
    const en = question.errors.map((e) => e.getText()).join(' ')
    model.locale = 'vi'
    errors.push({ question: question.name, message: { vi, en } })
  }
  return { ok: errors.length === 0, errors }
}
