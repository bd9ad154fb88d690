/**
 * Autosave's validator: the questionnaire compiled once per version into
 * plain data (each question's answer shape, offered values, options that
 * stand alone, range and visibility conditions), then each save checks only
 * the answers it changes and the questions whose conditions read them.
 *
 * It gives the same answer as `validateAnswers(questionnaire, after, 'save')`
 * (survey-core, validate.server.ts) whenever the answers before the save
 * passed it, with the same errors in the same order; a property test holds
 * the two together on thousands of generated answer sets. It uses the same
 * rules (`typeError`, `exclusiveError`), and does in microseconds what a
 * survey-core `Model` built per request did in tens of milliseconds.
 *
 * The compiler reads a deliberately small part of SurveyJS's JSON: the
 * element types, properties and condition forms listed below. Anything else
 * makes it throw, naming the element and the property: a future
 * questionnaire cannot be validated wrong in silence. Teach the compiler
 * (and the property test's questionnaire) the new part first.
 */
import { settings, surveyLocalization } from 'survey-core'
import type { Bilingual } from '../utils/bilingual.server.ts'
import {
  conditionQuestions,
  ConditionSyntaxError,
  equalsLiteral,
  evaluateCondition,
  parseCondition,
  type Condition,
} from './compiled-validator-conditions.ts'
import {
  exclusiveError,
  hiddenMessage,
  isEmptyAnswer,
  MAX_TEXT_LENGTH,
  typeError,
  unknownQuestionMessage,
  type AnswerError,
  type AnswerShape,
  type ExclusiveItem,
  type ValidationResult,
} from '../questionnaire/validate.server.ts'

export interface CompiledQuestion {
  name: string
  /** Position in the questionnaire (pages, panels and questions in order). */
  order: number
  shape: AnswerShape
  /** Options that must be ticked alone, in the order survey-core looks for them. */
  exclusive: readonly ExclusiveItem[]
  min: { value: number; message: Bilingual } | null
  max: { value: number; message: Bilingual } | null
  /** All must hold for the question to show: its page's, its panels' and its own `visibleIf`. */
  visibleIf: readonly Condition[]
}

export interface CompiledQuestionnaire {
  questions: ReadonlyMap<string, CompiledQuestion>
  /** For each question, the questions whose visibility reads its answer. */
  readers: ReadonlyMap<string, readonly CompiledQuestion[]>
}

export class QuestionnaireCompileError extends Error {}

type Json = Record<string, unknown>

/** Properties that only change how an element looks, never which answers it takes. */
const PRESENTATION = [
  'title',
  'description',
  'colCount',
  'showClearButton',
  'placeholder',
  'titleLocation',
  'descriptionLocation',
  'hideNumber',
  'startWithNewLine',
  'rows',
  'autoGrow',
  'allowResize',
  'labelTrue',
  'labelFalse',
]
/** Read by submit's validation (survey-core) only; the compiler checks their conditions' form. */
const SUBMIT_ONLY = ['isRequired', 'requiredErrorText', 'requiredIf']
const COMMON = ['type', 'name', 'visibleIf', 'enableIf', ...PRESENTATION, ...SUBMIT_ONLY]
const SELECT = [
  'choices',
  'showNoneItem',
  'noneText',
  'showDontKnowItem',
  'dontKnowText',
  'showRefuseItem',
  'refuseText',
]
const QUESTION_PROPERTIES: Record<string, readonly string[]> = {
  text: [...COMMON, 'inputType', 'min', 'max', 'minErrorText', 'maxErrorText', 'maxLength'],
  comment: [...COMMON, 'maxLength'],
  radiogroup: [...COMMON, ...SELECT],
  dropdown: [...COMMON, ...SELECT],
  checkbox: [...COMMON, ...SELECT],
  tagbox: [...COMMON, ...SELECT],
  boolean: COMMON,
  html: ['type', 'name', 'visibleIf', 'html'],
}
const PANEL_PROPERTIES = ['type', 'name', 'title', 'description', 'visibleIf', 'elements']
const PAGE_PROPERTIES = ['name', 'title', 'description', 'visibleIf', 'elements']
const SURVEY_PROPERTIES = [
  'title',
  'description',
  'completedHtml',
  'showQuestionNumbers',
  'showProgressBar',
  'progressBarLocation',
  'checkErrorsMode',
  'showTitle',
  'showPageTitles',
  'pages',
]
const NAME = /^[a-z][a-z0-9_]*$/

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

interface Draft {
  name: string
  type: string
  order: number
  visibleIf: Condition[]
  conditions: Array<{ property: string; condition: Condition }>
  shape: AnswerShape
  offered: Array<string | number>
  exclusive: ExclusiveItem[]
  min: CompiledQuestion['min']
  max: CompiledQuestion['max']
}

/**
 * Compiles a questionnaire's JSON; throws `QuestionnaireCompileError` naming
 * the first element and property it does not understand.
 */
export function compileQuestionnaire(json: unknown): CompiledQuestionnaire {
  const fail = (where: string, what: string): never => {
    throw new QuestionnaireCompileError(`questionnaire ${where}: ${what}`)
  }
  const only = (where: string, value: Json, allowed: readonly string[]) => {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) fail(where, `the property "${key}" is not understood`)
    }
  }
  /** A localizable string as survey-core reads it, with 'vi' the default locale. */
  const text = (where: string, value: unknown, fallback: Bilingual): Bilingual => {
    if (value === undefined) return fallback
    if (typeof value === 'string') return { vi: value, en: value }
    if (!isRecord(value) || typeof value.default !== 'string') {
      return fail(where, 'a text must be a string or { "default": …, "en": … }')
    }
    only(where, value, ['default', 'en'])
    if (value.en !== undefined && typeof value.en !== 'string') fail(where, '"en" must be a string')
    return { vi: value.default, en: typeof value.en === 'string' ? value.en : value.default }
  }
  const libraryText = (key: string): Bilingual => ({
    vi: surveyLocalization.getString(key, 'vi'),
    en: surveyLocalization.getString(key, 'en'),
  })
  const condition = (where: string, property: string, expression: unknown): Condition => {
    if (typeof expression !== 'string') return fail(where, `${property} must be a string`)
    try {
      return parseCondition(expression)
    } catch (error) {
      if (error instanceof ConditionSyntaxError) return fail(where, `${property}: ${error.message}`)
      throw error
    }
  }

  if (!isRecord(json)) return fail('root', 'not an object')
  only('root', json, SURVEY_PROPERTIES)
  if (!Array.isArray(json.pages)) return fail('root', '"pages" must be a list')

  const drafts: Draft[] = []
  const names = new Set<string>()
  const walk = (elements: unknown, inherited: Condition[], where: string) => {
    if (elements === undefined) return
    if (!Array.isArray(elements)) return fail(where, '"elements" must be a list')
    for (const element of elements) {
      if (!isRecord(element)) return fail(where, 'an element is not an object')
      const { name, type } = element
      if (typeof name !== 'string' || !NAME.test(name)) {
        return fail(
          where,
          `an element's name must be lower_snake_case (got ${JSON.stringify(name)})`,
        )
      }
      if (names.has(name)) fail(`"${name}"`, 'the name is used twice')
      names.add(name)
      const at = `"${name}"`
      const own =
        element.visibleIf === undefined ? [] : [condition(at, 'visibleIf', element.visibleIf)]
      if (type === 'panel') {
        only(at, element, PANEL_PROPERTIES)
        walk(element.elements, [...inherited, ...own], at)
        continue
      }
      if (typeof type !== 'string' || !(type in QUESTION_PROPERTIES)) {
        return fail(at, `the element type ${JSON.stringify(type)} is not understood`)
      }
      only(at, element, QUESTION_PROPERTIES[type] ?? [])
      drafts.push(compileQuestion(element, name, type, drafts.length, [...inherited, ...own]))
    }
  }

  const compileQuestion = (
    element: Json,
    name: string,
    type: string,
    order: number,
    visibleIf: Condition[],
  ): Draft => {
    const at = `"${name}"`
    const conditions = [
      ...(['requiredIf', 'enableIf'] as const).flatMap((property) =>
        element[property] === undefined
          ? []
          : [{ property, condition: condition(at, property, element[property]) }],
      ),
    ]
    const draft: Draft = {
      name,
      type,
      order,
      visibleIf,
      conditions,
      shape: { kind: 'other' },
      offered: [],
      exclusive: [],
      min: null,
      max: null,
    }
    switch (type) {
      case 'text': {
        const inputType = element.inputType ?? 'text'
        if (inputType !== 'text' && inputType !== 'number') {
          fail(at, `the inputType ${JSON.stringify(inputType)} is not understood`)
        }
        if (inputType === 'number') {
          draft.shape = { kind: 'number' }
          if (element.maxLength !== undefined) fail(at, 'maxLength on a number')
          const bound = (key: 'min' | 'max', textKey: string, libraryKey: string) => {
            const value = element[key]
            if (value === undefined) {
              if (element[textKey] !== undefined) fail(at, `${textKey} without ${key}`)
              return null
            }
            if (typeof value !== 'number' || !Number.isFinite(value)) {
              return fail(at, `${key} must be a number`)
            }
            const template = text(at, element[textKey], libraryText(libraryKey))
            return {
              value,
              message: {
                vi: template.vi.replace('{0}', value.toString()),
                en: template.en.replace('{0}', value.toString()),
              },
            }
          }
          draft.min = bound('min', 'minErrorText', 'minError')
          draft.max = bound('max', 'maxErrorText', 'maxError')
          if (draft.min && draft.max && draft.min.value > draft.max.value) fail(at, 'min > max')
          break
        }
        for (const key of ['min', 'max', 'minErrorText', 'maxErrorText']) {
          if (element[key] !== undefined) fail(at, `${key} on a text that is not a number`)
        }
        draft.shape = { kind: 'text', maxLength: maxLengthOf(element, at, fail) }
        break
      }
      case 'comment':
        draft.shape = { kind: 'text', maxLength: maxLengthOf(element, at, fail) }
        break
      case 'radiogroup':
      case 'dropdown':
      case 'checkbox':
      case 'tagbox': {
        const multi = type === 'checkbox' || type === 'tagbox'
        if (!Array.isArray(element.choices) || element.choices.length === 0) {
          return fail(at, '"choices" must be a non-empty list')
        }
        const exclusive: ExclusiveItem[] = []
        for (const choice of element.choices) {
          const item: Json = isRecord(choice) ? choice : { value: choice }
          only(at, item, multi ? ['value', 'text', 'isExclusive'] : ['value', 'text'])
          const { value } = item
          if (!(typeof value === 'number' || (typeof value === 'string' && !value.includes('|')))) {
            return fail(
              at,
              `a choice value must be a number or a string without "|" (got ${JSON.stringify(value)})`,
            )
          }
          if (draft.offered.includes(value))
            fail(at, `the choice ${JSON.stringify(value)} is listed twice`)
          draft.offered.push(value)
          if (item.isExclusive !== undefined && typeof item.isExclusive !== 'boolean') {
            fail(at, 'isExclusive must be true or false')
          }
          if (item.isExclusive === true) {
            const label = text(at, item.text, { vi: String(value), en: String(value) })
            exclusive.push({ value, text: () => label })
          }
        }
        const specials = [
          ['showNoneItem', 'noneText', settings.noneItemValue, 'noneItemText'],
          ['showDontKnowItem', 'dontKnowText', settings.dontKnowItemValue, 'dontKnowItemText'],
          ['showRefuseItem', 'refuseText', settings.refuseItemValue, 'refuseItemText'],
        ] as const
        for (const [show, textKey, value, libraryKey] of specials) {
          if (element[show] === undefined) {
            if (element[textKey] !== undefined) fail(at, `${textKey} without ${show}`)
            continue
          }
          if (typeof element[show] !== 'boolean') return fail(at, `${show} must be true or false`)
          if (!element[show]) continue
          if (draft.offered.includes(value)) fail(at, `a choice has the ${show} value "${value}"`)
          draft.offered.push(value)
          const label = text(at, element[textKey], libraryText(libraryKey))
          exclusive.push({ value, text: () => label })
        }
        draft.shape = { kind: multi ? 'multi' : 'single', offered: new Set(draft.offered) }
        // survey-core stops a checklist at the first option that stands alone.
        draft.exclusive = multi ? exclusive : []
        break
      }
      case 'boolean':
        draft.shape = { kind: 'boolean' }
        break
      case 'html':
        draft.shape = { kind: 'none' }
        break
    }
    return draft
  }

  json.pages.forEach((page, index) => {
    const where = `page ${index + 1}`
    if (!isRecord(page)) return fail(where, 'not an object')
    only(where, page, PAGE_PROPERTIES)
    const own = page.visibleIf === undefined ? [] : [condition(where, 'visibleIf', page.visibleIf)]
    walk(page.elements, own, where)
  })

  // Each condition must read a question that can take its form, and compare
  // with values that question offers (a typo would otherwise hide a question for ever).
  const byName = new Map(drafts.map((d) => [d.name, d]))
  for (const d of drafts) {
    const at = `"${d.name}"`
    const all = [
      ...d.visibleIf.map((condition) => ({ property: 'visibleIf', condition })),
      ...d.conditions,
    ]
    for (const { property, condition } of all) checkCondition(condition, byName, at, property, fail)
  }

  const questions = new Map<string, CompiledQuestion>()
  for (const d of drafts) {
    questions.set(d.name, {
      name: d.name,
      order: d.order,
      shape: d.shape,
      exclusive: d.exclusive,
      min: d.min,
      max: d.max,
      visibleIf: d.visibleIf,
    })
  }
  const readers = new Map<string, CompiledQuestion[]>()
  for (const q of questions.values()) {
    for (const source of new Set(q.visibleIf.flatMap(conditionQuestions))) {
      readers.set(source, [...(readers.get(source) ?? []), q])
    }
  }
  return { questions, readers }
}

function maxLengthOf(element: Json, at: string, fail: (where: string, what: string) => never) {
  const { maxLength } = element
  if (maxLength === undefined) return MAX_TEXT_LENGTH
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 1) {
    return fail(at, 'maxLength must be a positive whole number')
  }
  return Math.min(maxLength, MAX_TEXT_LENGTH)
}

function checkCondition(
  condition: Condition,
  questions: ReadonlyMap<string, Draft>,
  at: string,
  property: string,
  fail: (where: string, what: string) => never,
): void {
  if (condition.kind === 'and' || condition.kind === 'or') {
    for (const part of condition.parts) checkCondition(part, questions, at, property, fail)
    return
  }
  const source = questions.get(condition.question)
  const where = `${property} of ${at}`
  if (!source) return fail(at, `${property} reads {${condition.question}}, which is no question`)
  if (condition.kind === 'empty') {
    if (source.shape.kind === 'none')
      fail(at, `${where} reads {${source.name}}, which takes no answer`)
    return
  }
  const kind = source.shape.kind
  const allowed =
    condition.kind === 'equals'
      ? kind === 'single'
      : condition.kind === 'allof'
        ? kind === 'multi'
        : kind === 'single' || kind === 'multi'
  if (!allowed) {
    fail(at, `${where}: this form cannot read {${source.name}} (a ${source.type} question)`)
  }
  const values = condition.kind === 'equals' ? [condition.value] : condition.values
  for (const value of values) {
    if (!source.offered.some((offered) => equalsLiteral(offered, value))) {
      fail(at, `${where} compares {${source.name}} with '${value}', which it does not offer`)
    }
  }
}

const compiledByJson = new WeakMap<object, CompiledQuestionnaire>()

/**
 * The compiled form of a questionnaire's JSON, compiled on first use. Keyed
 * by the JSON object itself, which content.server.ts parses once per
 * questionnaire version and keeps: one compile per version per process.
 */
export function getCompiledQuestionnaire(json: object): CompiledQuestionnaire {
  let compiled = compiledByJson.get(json)
  if (!compiled) {
    compiled = compileQuestionnaire(json)
    compiledByJson.set(json, compiled)
  }
  return compiled
}

function isShown(question: CompiledQuestion, answers: Record<string, unknown>): boolean {
  return question.visibleIf.every((c) => evaluateCondition(c, answers))
}

/**
 * Validates a save: `after` holds every answer once the save is applied,
 * `changed` the questions the save sets or clears. Checks those answers and
 * the visibility of every answered question whose conditions read one of
 * them, in the steps and order of `validateAnswers(…, 'save')`: unknown
 * questions and types, then hidden answers and options that stand alone,
 * then ranges.
 */
export function validateChangedAnswers(
  compiled: CompiledQuestionnaire,
  after: Record<string, unknown>,
  changed: Iterable<string>,
): ValidationResult {
  const touched = new Set<string>()
  for (const name of changed) {
    touched.add(name)
    for (const reader of compiled.readers.get(name) ?? []) touched.add(reader.name)
  }
  // In the order of `after`'s keys, as validateAnswers reports them.
  const checked: Array<{ name: string; value: unknown; question: CompiledQuestion | undefined }> =
    []
  for (const name of Object.keys(after)) {
    if (touched.has(name))
      checked.push({ name, value: after[name], question: compiled.questions.get(name) })
  }

  const errors: AnswerError[] = []
  for (const { name, value, question } of checked) {
    if (!question) errors.push({ question: name, message: unknownQuestionMessage() })
    else if (!isEmptyAnswer(value)) {
      const problem = typeError(question.shape, value)
      if (problem) errors.push({ question: name, message: problem })
    }
  }
  if (errors.length > 0) return { ok: false, errors }

  const answered = checked.filter(
    (c): c is (typeof checked)[number] & { question: CompiledQuestion } =>
      c.question !== undefined && !isEmptyAnswer(c.value),
  )
  for (const { name, value, question } of answered) {
    if (!isShown(question, after)) {
      errors.push({ question: name, message: hiddenMessage() })
      continue
    }
    const alone = exclusiveError(question.exclusive, value)
    if (alone) errors.push({ question: name, message: alone })
  }
  if (errors.length > 0) return { ok: false, errors }

  // Ranges in questionnaire order, as survey-core walks its questions.
  for (const { name, value, question } of [...answered].sort(
    (a, b) => a.question.order - b.question.order,
  )) {
    if (typeof value !== 'number') continue
    const out = [
      question.min && value < question.min.value ? question.min.message : null,
      question.max && value > question.max.value ? question.max.message : null,
    ].filter((m) => m !== null)
    if (out.length > 0) {
      errors.push({
        question: name,
        message: { vi: out.map((m) => m.vi).join(' '), en: out.map((m) => m.en).join(' ') },
      })
    }
  }
  return { ok: errors.length === 0, errors }
}
