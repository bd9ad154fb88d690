import * as z from 'zod'

/**
 * The mappers from stored JSON text to typed values, used by the model
 * functions that read those columns (feature code receives decoded values and
 * never calls JSON.parse on a column). The rows were written by this app from
 * validated input, so a decode failure is corruption, not user error: it
 * throws.
 */

/** Answers as stored: question name → SurveyJS value. */
export type Answers = Record<string, unknown>

/** `assessments.answers` (and any answers object) as a plain object. */
export function decodeAnswers(json: string): Answers {
  const value: unknown = JSON.parse(json)
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('stored answers are not an object')
  return value as Answers
}

/** One stored answer value (`verified_values.value_json`, `assessment_changes.*_value`). */
export function decodeValue(json: string): unknown {
  return JSON.parse(json)
}

/**
 * Answers picked out of `assessments.answers` by SQL as a JSON array, one
 * entry per asked question in the order asked (`json_extract(answers, '$.q1',
 * …)` in `listWaveScorePayloads`, which adds one path of its own at the end):
 * an unanswered question is null.
 */
export function decodeAnswerList(json: string, questions: number): unknown[] {
  const value: unknown = JSON.parse(json)
  if (!Array.isArray(value) || value.length < questions)
    throw new Error(`stored answer list does not hold ${questions} answers`)
  return value
}

/** `questionnaires.json`: a SurveyJS questionnaire, an object (checked at upload). */
export function decodeQuestionnaireJson(json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json)
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('stored questionnaire is not an object')
  return value as Record<string, unknown>
}

/**
 * Which of the model's configurable gates a round switches on or off
 * (`rounds.gate_settings`, 0013); a gate it does not name keeps the model's
 * setting.
 */
export type GateSettings = Record<string, boolean>

const StoredGateSettingsSchema = z.record(z.string(), z.boolean())

/** `rounds.gate_settings` as a gate id → on/off object. */
export function decodeGateSettings(json: string): GateSettings {
  return StoredGateSettingsSchema.parse(JSON.parse(json))
}
