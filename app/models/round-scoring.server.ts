/**
 * How a round scores: its scoring model and its settings of the model's
 * configurable gates (0013). Every scoring call of a round's assessments
 * (draft score, preview, submit, verify, seed) reads this and passes
 * `gateEnabled` to `scoreAssessment`, so a round with G6 switched off scores
 * the same everywhere.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { getScoringModel } from './content.server.ts'
import { decodeGateSettings, type GateSettings } from './stored-json.server.ts'

export interface RoundScoring {
  roundId: number
  /** `scoring_models.id` of the round's model (scores rows are tagged with it). */
  scoringModelId: number
  model: ScoringModel
  /** For `scoreAssessment(model, answers, { gateEnabled })`. */
  gateEnabled: GateSettings
}

export async function getRoundScoring(
  db: Kysely<Database>,
  roundId: number,
): Promise<RoundScoring> {
  const row = await db
    .selectFrom('rounds')
    .select(['scoring_model_id', 'gate_settings'])
    .where('id', '=', roundId)
    .executeTakeFirstOrThrow()
  return {
    roundId,
    scoringModelId: row.scoring_model_id,
    model: await getScoringModel(db, row.scoring_model_id),
    gateEnabled: decodeGateSettings(row.gate_settings),
  }
}

/**
 * Each gate of the model as the round applies it: on or off, whether the
 * round may switch it, and whether the round's setting differs from the
 * model's (for the methodology page and the rounds page).
 */
export function roundGates(model: ScoringModel, gateEnabled: GateSettings) {
  return model.gates.map((gate) => ({
    id: gate.id,
    title: gate.title,
    configurable: gate.configurable,
    modelEnabled: gate.enabled,
    enabled: gate.configurable ? (gateEnabled[gate.id] ?? gate.enabled) : gate.enabled,
  }))
}

/**
 * A round's gate settings as they apply to another model version (the
 * models page's preview and re-score): only the gates that model has and
 * lets a round switch; any other gate keeps that model's own setting.
 */
export function gateSettingsFor(model: ScoringModel, gateEnabled: GateSettings): GateSettings {
  const switchable = new Set(model.gates.filter((g) => g.configurable).map((g) => g.id))
  return Object.fromEntries(Object.entries(gateEnabled).filter(([id]) => switchable.has(id)))
}
