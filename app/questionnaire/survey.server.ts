/**
 * The one adapter over survey-core's question objects: which answer a
 * question takes and which values it offers. survey-core types every
 * question as `Question`; the select parts (choices, the shown "none",
 * "don't know" and "refuse" items) live on subclasses, so the casts are
 * written here once and every reader (autosave and submit validation,
 * reviewers' verified values, question texts, printed copies) sees the same
 * set of offered values.
 *
 * `db/content/questionnaire.ts` reads the same rules off the JSON for the
 * seed's answer generator, which cannot load app code; its `offeredValues`
 * must agree with `offeredItems` (tests/unit/questionnaire/survey.test.ts).
 */
import { Model, surveyLocalization, type ItemValue, type Question } from 'survey-core'
import 'survey-core/i18n/vietnamese'
import type { Locale } from '../i18n.ts'

// Our questionnaires keep Vietnamese in `default`: the empty locale is Vietnamese.
surveyLocalization.defaultLocale = 'vi'

interface SelectParts {
  choices?: ItemValue[]
  showNoneItem?: boolean
  showDontKnowItem?: boolean
  showRefuseItem?: boolean
  noneItem?: ItemValue
  dontKnowItem?: ItemValue
  refuseItem?: ItemValue
  inputType?: string
  maxLength?: number
}

const parts = (question: Question) => question as Question & SelectParts

/** A survey-core model of a questionnaire, in one language (or the default, Vietnamese). */
export function loadSurvey(questionnaire: object, locale?: Locale): Model {
  const model = new Model(questionnaire)
  if (locale) model.locale = locale === 'en' ? 'en' : ''
  return model
}

/** What kind of answer a question takes. */
export type AnswerKind = 'single' | 'multi' | 'number' | 'text' | 'boolean' | 'none' | 'other'

/** @example answerKind(textQuestionWithInputTypeNumber) // 'number' */
export function answerKind(question: Question): AnswerKind {
  const type = question.getType()
  if (type === 'text' && parts(question).inputType === 'number') return 'number'
  if (type === 'text' || type === 'comment') return 'text'
  if (type === 'radiogroup' || type === 'rating' || type === 'dropdown') return 'single'
  if (type === 'checkbox' || type === 'tagbox') return 'multi'
  if (type === 'boolean') return 'boolean'
  if (type === 'html' || type === 'expression' || type === 'image') return 'none'
  return 'other'
}

/** The question's own maximum text length, if it sets one. */
export function ownMaxLength(question: Question): number | null {
  const max = parts(question).maxLength
  return typeof max === 'number' && max > 0 ? max : null
}

/** The shown none, don't-know and refuse items of a select question, in that order. */
export function specialItems(question: Question): ItemValue[] {
  const q = parts(question)
  const items: ItemValue[] = []
  if (q.showNoneItem && q.noneItem) items.push(q.noneItem)
  if (q.showDontKnowItem && q.dontKnowItem) items.push(q.dontKnowItem)
  if (q.showRefuseItem && q.refuseItem) items.push(q.refuseItem)
  return items
}

/** Every value a select question offers: its choices, then the shown special items. */
export function offeredItems(question: Question): ItemValue[] {
  return [...(parts(question).choices ?? []), ...specialItems(question)]
}

/** Choices marked `isExclusive` (they stand alone in a checklist). */
export function exclusiveChoices(question: Question): ItemValue[] {
  return (parts(question).choices ?? []).filter(
    (c) => (c as ItemValue & { isExclusive?: boolean }).isExclusive,
  )
}
