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
