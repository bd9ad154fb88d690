/**
 * The national EMR-readiness questionnaire (version 1) and the scoring models
 * that score it, as versioned data (`questionnaire-v1.json`,
 * `scoring-model-v1.json` = model 1.0.0, `scoring-model-v1.1.json` = model
 * 1.1.0: domain floors, levels on the basis points shown, answer rules), plus
 * small helpers the tests, the seed and the app share. No I/O beyond the JSON
 * imports.
 *
 * Languages. Every localizable string in the questionnaire is
 * `{ "default": "<Vietnamese>", "en": "<English>" }`: Vietnamese is the
 * default. survey-core treats `default` as the text of
 * `surveyLocalization.defaultLocale`, which is `'en'` out of the box, and then
 * ignores the `en` key. So the app sets, once at start-up, before any Model is
 * built:
 *
 *     import { surveyLocalization } from 'survey-core'
 *     import 'survey-core/i18n/vietnamese'
 *     surveyLocalization.defaultLocale = SURVEY_DEFAULT_LOCALE // 'vi'
 *
 * after which `survey.locale = ''` (or `'vi'`) shows Vietnamese and
 * `survey.locale = 'en'` shows English, for our texts and survey-core's own
 * UI strings alike. The JSON sets no `locale` of its own. The scoring model
 * uses `{ vi, en }` (see `LocalizedTextSchema`).
 *
 * Scored and unscored questions. A question is scored when the model has an
 * item with its `name`. Everything else is deliberately unscored and is one of:
 * - a facility-profile question (`UNSCORED_PROFILE_QUESTIONS`);
 * - `<itemId>__evidence_ref`: the written evidence reference after a gate item;
 * - `<itemId>__status`: the companion "don't know" answer of a number or
 *   percentage item (the model's `statusQuestion`).
 *
 * Conditions. Every `visibleIf` uses one of two canonical forms, so that it
 * can be mirrored exactly by the model's `applicableIf` and evaluated without
 * survey-core: `{q} = 'v'` or `{q} anyof ['a', 'b']` (see `parseCondition`).
 */
import { parseScoringModel, type Condition, type ScoringModel } from '../../scoring/model-schema.ts'
import questionnaireJson from './questionnaire-v1.json' with { type: 'json' }
import scoringModelJson from './scoring-model-v1.json' with { type: 'json' }
import scoringModelV11Json from './scoring-model-v1.1.json' with { type: 'json' }

export const QUESTIONNAIRE_VERSION = '1.0.0'
/** The language held by the `default` key of every localizable string. */
export const SURVEY_DEFAULT_LOCALE = 'vi'
/** The language held by the second key. */
export const SURVEY_SECOND_LOCALE = 'en'

export const EVIDENCE_SUFFIX = '__evidence_ref'
export const STATUS_SUFFIX = '__status'

/** Facility-profile questions: context only, never scored. */
export const UNSCORED_PROFILE_QUESTIONS: readonly string[] = [
  'respondent_role',
  'beds_in_use',
  'has_imaging',
  'emr_status',
  'his_vendor_name',
]

/** A localizable string as written in the questionnaire JSON. */
export interface LocalizableString {
  default: string
  en: string
}

export interface ChoiceJson {
  value: string
  text: LocalizableString
}

/** The subset of a SurveyJS question's JSON these helpers read. */
export interface QuestionJson {
  type: string
  name: string
  title?: LocalizableString
  visibleIf?: string
  requiredIf?: string
  isRequired?: boolean
  inputType?: string
  min?: number
  max?: number
  choices?: ChoiceJson[]
  showNoneItem?: boolean
  showDontKnowItem?: boolean
  showRefuseItem?: boolean
  elements?: QuestionJson[]
}

export interface PageJson {
  name: string
  title?: LocalizableString
  description?: LocalizableString
  elements: QuestionJson[]
}

export interface QuestionnaireJson {
  pages: PageJson[]
  [key: string]: unknown
}

export const questionnaireV1: QuestionnaireJson = questionnaireJson
export const scoringModelV1: ScoringModel = parseScoringModel(scoringModelJson)
/** Model 1.1.0: v1's items and weights, plus domain floors, the basis-points level rule and answer rules. */
export const scoringModelV1_1: ScoringModel = parseScoringModel(scoringModelV11Json)
/** Every shipped scoring model, oldest first (each is stored once, immutable). */
export const SCORING_MODELS: readonly ScoringModel[] = [scoringModelV1, scoringModelV1_1]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The pages of a questionnaire (an empty list for anything that has none). */
export function listPages(json: unknown): PageJson[] {
  if (!isRecord(json) || !Array.isArray(json.pages)) return []
  return json.pages.filter(isRecord).map((p) => ({
    ...p,
    name: typeof p.name === 'string' ? p.name : '',
    elements: Array.isArray(p.elements) ? (p.elements as QuestionJson[]) : [],
  }))
}

/**
 * Every question of a questionnaire in page order, panels flattened.
 * @example listQuestions(questionnaireV1).map((q) => q.name)[0] // 'respondent_role'
 */
export function listQuestions(json: unknown): QuestionJson[] {
  const out: QuestionJson[] = []
  const walk = (elements: unknown[]) => {
    for (const el of elements) {
      if (!isRecord(el)) continue
      if (Array.isArray(el.elements)) walk(el.elements)
      if (el.type !== 'panel' && typeof el.name === 'string' && typeof el.type === 'string') {
        out.push(el as unknown as QuestionJson)
      }
    }
  }
  for (const page of listPages(json)) walk(page.elements)
  return out
}

/** Why a question is not scored, or null when the model should score it. */
export function unscoredReason(name: string): 'profile' | 'evidence' | 'status' | null {
  if (UNSCORED_PROFILE_QUESTIONS.includes(name)) return 'profile'
  if (name.endsWith(EVIDENCE_SUFFIX)) return 'evidence'
  if (name.endsWith(STATUS_SUFFIX)) return 'status'
  return null
}

/**
 * The values a choice question offers, read off the JSON: its choices (objects
 * or SurveyJS's short form, plain values), then the shown "none", "don't know"
 * and "refuse" items with survey-core's values. Must agree with
 * `offeredItems` in app/questionnaire/survey.server.ts (a unit test checks it).
 */
export function offeredValues(question: QuestionJson): string[] {
  const values = (question.choices ?? []).map((c: ChoiceJson | string | number) =>
    typeof c === 'object' ? c.value : String(c),
  )
  if (question.showNoneItem) values.push('none')
  if (question.showDontKnowItem) values.push('dontknow')
  if (question.showRefuseItem) values.push('refused')
  return values
}

const EQUALS = /^\{([a-z][a-z0-9_]*)\} = '([^']*)'$/
const ANY_OF = /^\{([a-z][a-z0-9_]*)\} anyof \[('[^']*'(?:, '[^']*')*)\]$/

/**
 * Parses a canonical `visibleIf` into the model's condition shape; null for
 * any other expression.
 * @example parseCondition("{has_imaging} = 'yes'") // { question: 'has_imaging', in: ['yes'] }
 */
export function parseCondition(expression: string): Condition | null {
  const eq = EQUALS.exec(expression.trim())
  if (eq?.[1] !== undefined && eq[2] !== undefined) return { question: eq[1], in: [eq[2]] }
  const any = ANY_OF.exec(expression.trim())
  if (any?.[1] !== undefined && any[2] !== undefined) {
    const values = any[2].split(', ').map((v) => v.slice(1, -1))
    return { question: any[1], in: values }
  }
  return null
}

/** Whether a condition holds for the answers given so far. */
export function conditionHolds(condition: Condition, answers: Record<string, unknown>): boolean {
  const value = answers[condition.question]
  return condition.in.some((v) => v === value)
}

/**
 * Whether a question is visible for these answers. Throws on a `visibleIf`
 * that is not in canonical form, so a new expression cannot slip in unseen.
 */
export function isVisible(question: QuestionJson, answers: Record<string, unknown>): boolean {
  if (!question.visibleIf) return true
  const condition = parseCondition(question.visibleIf)
  if (!condition) throw new Error(`"${question.name}": visibleIf is not canonical`)
  return conditionHolds(condition, answers)
}
