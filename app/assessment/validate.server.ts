/**
 * Server-side validation of answers against the round's questionnaire, with
 * survey-core itself. survey-core silently drops or repairs bad values (a
 * choice not offered becomes "no answer"; text stays in a number field), so
 * we compare what it keeps with what was sent and reject any difference,
 * naming the question. Nothing is ever stored repaired.
 */
import { Model, surveyLocalization, type ItemValue, type Question } from 'survey-core'
import 'survey-core/i18n/vietnamese'
import { bilingual } from './messages.server.ts'

// The questionnaire's `default` strings are Vietnamese (see db/content/questionnaire.ts).
surveyLocalization.defaultLocale = 'vi'

export interface AnswerError {
  question: string
  message: { vi: string; en: string }
}

const MAX_TEXT_LENGTH = 5_000

type Answers = Record<string, unknown>

function isDeepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
}

function choiceValues(question: Question): unknown[] {
  const q = question as Question & {
    choices?: Array<{ value: unknown }>
    showNoneItem?: boolean
    showDontKnowItem?: boolean
    showRefuseItem?: boolean
    noneItem?: { value: unknown }
    dontKnowItem?: { value: unknown }
    refuseItem?: { value: unknown }
  }
  const values = (q.choices ?? []).map((c) => c.value)
  if (q.showNoneItem && q.noneItem) values.push(q.noneItem.value)
  if (q.showDontKnowItem && q.dontKnowItem) values.push(q.dontKnowItem.value)
  if (q.showRefuseItem && q.refuseItem) values.push(q.refuseItem.value)
  return values
}

/**
 * The options of a checklist that stand alone: "none of the above" (and
 * "don't know", "refuse" when shown) and any choice marked `isExclusive`.
 * survey-core's UI clears the others when one is ticked, but keeps a stored
 * combination as it is.
 */
function exclusiveItems(question: Question): ItemValue[] {
  const q = question as Question & {
    choices?: ItemValue[]
    showNoneItem?: boolean
    showDontKnowItem?: boolean
    showRefuseItem?: boolean
    noneItem?: ItemValue
    dontKnowItem?: ItemValue
    refuseItem?: ItemValue
  }
  const items = (q.choices ?? []).filter(
    (c) => (c as ItemValue & { isExclusive?: boolean }).isExclusive,
  )
  if (q.showNoneItem && q.noneItem) items.push(q.noneItem)
  if (q.showDontKnowItem && q.dontKnowItem) items.push(q.dontKnowItem)
  if (q.showRefuseItem && q.refuseItem) items.push(q.refuseItem)
  return items
}

/** The text of an item in one language of the questionnaire. */
function itemText(model: Model, item: ItemValue, locale: 'vi' | 'en'): string {
  const previous = model.locale
  model.locale = locale
  const text = item.text
  model.locale = previous
  return text
}

/** Checks one value's type against its question; null when it fits. */
function typeError(question: Question, value: unknown): AnswerError['message'] | null {
  const type = question.getType()
  const inputType = (question as Question & { inputType?: string }).inputType
  if (type === 'text' && inputType === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { vi: 'Phải là một số.', en: 'Must be a number.' }
    }
    return null
  }
  if (type === 'text' || type === 'comment') {
    if (typeof value !== 'string') return { vi: 'Phải là văn bản.', en: 'Must be text.' }
    if (value.length > MAX_TEXT_LENGTH) {
      return {
        vi: `Tối đa ${MAX_TEXT_LENGTH} ký tự.`,
        en: `At most ${MAX_TEXT_LENGTH} characters.`,
      }
    }
    return null
  }
  if (type === 'radiogroup' || type === 'rating' || type === 'dropdown') {
    if (!choiceValues(question).some((c) => c === value)) {
      return { vi: 'Lựa chọn không có trong danh sách.', en: 'This choice is not offered.' }
    }
    return null
  }
  if (type === 'checkbox' || type === 'tagbox') {
    const allowed = choiceValues(question)
    if (!Array.isArray(value) || !value.every((v) => allowed.some((c) => c === v))) {
      return { vi: 'Có lựa chọn không có trong danh sách.', en: 'A choice is not offered.' }
    }
    if (new Set(value).size !== value.length) {
      return { vi: 'Lựa chọn bị lặp.', en: 'A choice is repeated.' }
    }
    return null
  }
  if (type === 'boolean') {
    return typeof value === 'boolean'
      ? null
      : { vi: 'Phải là Có hoặc Không.', en: 'Must be yes or no.' }
  }
  if (type === 'html' || type === 'expression' || type === 'image') {
    return { vi: 'Câu này không nhận câu trả lời.', en: 'This element takes no answer.' }
  }
  return null
}

export interface ValidationResult {
  ok: boolean
  errors: AnswerError[]
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
  const model = new Model(questionnaire)
  model.locale = 'vi'
  const errors: AnswerError[] = []

  for (const [name, value] of Object.entries(answers)) {
    const question = model.getQuestionByName(name)
    if (!question) {
      errors.push({
        question: name,
        message: { vi: 'Câu hỏi không tồn tại.', en: 'Unknown question.' },
      })
      continue
    }
    if (isEmpty(value)) continue
    const problem = typeError(question, value)
    if (problem) errors.push({ question: name, message: problem })
  }
  if (errors.length > 0) return { ok: false, errors }

  model.data = answers
  // What survey-core keeps must be exactly what was sent.
  model.clearIncorrectValues(true)
  for (const [name, value] of Object.entries(answers)) {
    if (!isEmpty(value) && !isDeepEqual(model.getValue(name), value)) {
      errors.push({
        question: name,
        message: {
          vi: 'Giá trị không hợp lệ cho câu hỏi này.',
          en: 'The value is not valid here.',
        },
      })
    }
  }
  if (errors.length > 0) return { ok: false, errors }

  // Judged on these answers, i.e. after the save: an answer in the same request
  // may hide a question (its answer must then be cleared in that request too).
  for (const [name, value] of Object.entries(answers)) {
    if (isEmpty(value)) continue
    const question = model.getQuestionByName(name)
    if (!question) continue
    if (!question.isVisible || !question.isParentVisible) {
      errors.push({ question: name, message: bilingual('assessment:validation.hidden') })
      continue
    }
    if (Array.isArray(value) && value.length > 1) {
      const alone = exclusiveItems(question).find((item) => value.includes(item.value))
      if (alone) {
        errors.push({
          question: name,
          message: bilingual('assessment:validation.exclusive', (locale) => ({
            option: itemText(model, alone, locale),
          })),
        })
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors }

  for (const question of model.getAllQuestions(true)) {
    const value = model.getValue(question.name)
    if (mode === 'save' && isEmpty(value)) continue
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
