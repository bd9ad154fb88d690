/**
 * Verified values: a reviewer corrects an answer only by recording a value
 * beside the declared one, with a reason; the director's answer is never
 * overwritten. The latest value per question wins, and the verified-basis
 * score uses them, unless the facility has changed that answer since.
 */
import type { Kysely } from 'kysely'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { validateAnswers } from '../questionnaire/validate.server.ts'
import { listAppliedVerifiedValues } from '../models/review.server.ts'
import { answerKind, loadSurvey, offeredItems } from '../questionnaire/survey.server.ts'
import { plannerQuestions } from '../waves/wave-inputs.server.ts'

export type QuestionKind = 'choice' | 'multi' | 'number' | 'boolean' | 'text'

export interface QuestionShape {
  kind: QuestionKind
  /** Offered values, as survey-core holds them (strings or numbers). */
  choices: unknown[]
}

const shapes = new Map<string, Map<string, QuestionShape>>()

/** What kind of value each question takes, read through survey-core; cached per version. */
export function getQuestionShapes(
  questionnaire: object,
  cacheKey: string,
): Map<string, QuestionShape> {
  const cached = shapes.get(cacheKey)
  if (cached) return cached
  const model = loadSurvey(questionnaire)
  const out = new Map<string, QuestionShape>()
  for (const q of model.getAllQuestions(false)) {
    const answer = answerKind(q)
    const kind: QuestionKind =
      answer === 'single'
        ? 'choice'
        : answer === 'multi' || answer === 'number' || answer === 'boolean'
          ? answer
          : 'text'
    out.set(q.name, { kind, choices: offeredItems(q).map((c) => c.value as unknown) })
  }
  shapes.set(cacheKey, out)
  return out
}

/**
 * The questions a reviewer may record a verified value for: every scored
 * item, and the unscored answers the wave planner and the answer rules read
 * (beds in use, EMR stage, imaging), so the verified basis is verified for
 * every input. Status companions ("don't know") go with their item.
 * @example verifiableQuestions(model).has('beds_in_use') // true
 */
export function verifiableQuestions(model: ScoringModel): ReadonlySet<string> {
  return new Set([
    ...model.items.map((i) => i.id),
    ...plannerQuestions(model, CURRENT_PRIORITY_MODEL).filter((q) => !q.endsWith('__status')),
  ])
}

export type ParsedValue =
  | { ok: true; value: unknown }
  | { ok: false; error: 'unknownQuestion' | 'valueRequired' | 'valueInvalid'; detail?: string }

/**
 * A form's raw strings for one question → the typed value survey-core
 * stores, then checked against the questionnaire exactly as a director's
 * answer is (choices offered, number ranges, validators).
 */
export function parseVerifiedValue(
  questionnaire: object,
  cacheKey: string,
  answers: Record<string, unknown>,
  question: string,
  raw: string[],
): ParsedValue {
  const shape = getQuestionShapes(questionnaire, cacheKey).get(question)
  if (!shape) return { ok: false, error: 'unknownQuestion' }
  const values = raw.map((r) => r.trim()).filter((r) => r !== '')
  if (values.length === 0) return { ok: false, error: 'valueRequired' }
  const offered = (v: string) => shape.choices.find((c) => String(c) === v)
  let value: unknown
  switch (shape.kind) {
    case 'multi': {
      const picked = values.map(offered)
      if (picked.some((p) => p === undefined)) return { ok: false, error: 'valueInvalid' }
      value = picked
      break
    }
    case 'choice':
      value = values.length === 1 && values[0] !== undefined ? offered(values[0]) : undefined
      if (value === undefined) return { ok: false, error: 'valueInvalid' }
      break
    case 'number': {
      const n = values.length === 1 ? Number(values[0]) : Number.NaN
      if (!Number.isFinite(n)) return { ok: false, error: 'valueInvalid' }
      value = n
      break
    }
    case 'boolean':
      if (values[0] !== 'true' && values[0] !== 'false') return { ok: false, error: 'valueInvalid' }
      value = values[0] === 'true'
      break
    case 'text':
      value = values.join('\n')
      break
  }
  const check = validateAnswers(questionnaire, { ...answers, [question]: value }, 'save')
  const problem = check.errors.find((e) => e.question === question)
  if (problem) return { ok: false, error: 'valueInvalid', detail: problem.message.vi }
  return { ok: true, value }
}

/**
 * `{ question: value }` of the latest verified values, for
 * `scoreAssessment(…, { verified })`. A value the facility answered again
 * after it was recorded (after an unlock) no longer applies: the reviewer
 * sees it marked and records a new one if the new answer is wrong too.
 */
export async function getVerifiedAnswers(
  db: Kysely<Database>,
  assessmentId: number,
): Promise<Record<string, unknown>> {
  const rows = await listAppliedVerifiedValues(db, [assessmentId])
  return Object.fromEntries(rows.map((r) => [r.question, r.value]))
}
