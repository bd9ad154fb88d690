/**
 * The rank-change preview: a round's answers scored under another model
 * version beside the round's own, before anyone uses it. Never writes.
 *
 * - Which assessments: those a wave ranks — submitted or verified, of open
 *   facilities, with the round's own declared score stored (the planner's
 *   inputs, `loadWaveInputs`, read once for the old side).
 * - Basis: **declared** on both sides (the facility's own answers; reviewers'
 *   verified values are not applied), so the two columns differ only by the
 *   model. The old side is the stored declared score under the round's model;
 *   the new side is `scoreAssessment(newModel, answers)` of the same answers, with the
 *   round's gate settings where the new version lets a round switch the gate.
 * - The wave: the planner's default parameters (`WaveParamsSchema` with
 *   nothing set: capacity, budget, cost, minimum level, readiness objective),
 *   the request built by `buildWaveRequest` and selected by `selectParsedWave` under
 *   each model; entering and leaving are the difference of the two selections.
 * - The numbers: `compareModels` (scoring/model-compare.ts has the formulas).
 */
import type { Kysely } from 'kysely'
import { CURRENT_PRIORITY_MODEL } from '../../../db/content/priority-model.ts'
import type { Database } from '../../../db/schema.ts'
import {
  compareModels,
  type CompareFacility,
  type ModelComparison,
} from '../../../scoring/model-compare.ts'
import type { ScoringModel } from '../../../scoring/model-schema.ts'
import { scoreAssessment } from '../../../scoring/score.ts'
import { selectParsedWave } from '../../../scoring/wave.ts'
import { getQuestionnaire, getScoringModel } from '../../models/content.server.ts'
import { listRoundAnswers, scoringModelExists } from '../../models/model-version.server.ts'
import { getRound } from '../../models/round.server.ts'
import { getChangeCounters, getRoundDeadlines } from '../../models/wave-input.server.ts'
import { MIB } from '../../utils/bytes.ts'
import { LruMap } from '../../utils/lru-map.ts'
import { canonicalJson } from '../../waves/canonical-json.ts'
import { getSolver } from '../../waves/solver.server.ts'
import { loadWaveInputs, type WaveInput } from '../../waves/wave-inputs.server.ts'
import { objectiveOf, WaveParamsSchema, type WaveParams } from '../../waves/wave-params.server.ts'
import { buildWaveRequest, type RoundDeadlines } from '../../waves/wave-request.server.ts'
import { gateSettingsFor, getRoundScoring } from '../../models/round-scoring.server.ts'

/** How many of the largest movers the preview lists. */
export const MOVERS_SHOWN = 20

export interface PreviewRow {
  facilityId: number
  code: string
  name: string
  provinceName: string
  oldCompositeBp: number
  oldLevel: string
  newCompositeBp: number
  newLevel: string
  oldRank: number
  newRank: number
  rankChange: number
  compositeChangeBp: number
  levelChange: 'up' | 'down' | 'same'
}

export interface ModelPreview {
  round: { id: number; name: string }
  oldModel: { rowId: number; id: string; version: string }
  newModel: { rowId: number; id: string; version: string }
  basis: 'declared'
  compared: number
  levels: ModelComparison['levels']
  kendallTauB: number | null
  meanAbsCompositeChangeBp: number
  /** Every facility compared, by new rank then code. */
  rows: PreviewRow[]
  movers: PreviewRow[]
  wave:
    | {
        kind: 'compared'
        capacity: number
        minLevel: string
        oldSize: number
        newSize: number
        entering: PreviewRow[]
        leaving: PreviewRow[]
      }
    /** The default minimum level is not a level of one of the models. */
    | { kind: 'noLevel'; minLevel: string; modelVersion: string }
    | { kind: 'infeasible' }
}

export type PreviewResult =
  | { kind: 'ok'; preview: ModelPreview }
  | { kind: 'missing'; what: 'round' | 'model' }
  /** The new model scores another questionnaire than the round's answers are for. */
  | { kind: 'questionnaireMismatch'; round: string; model: string }

const kept = new LruMap<string, PreviewResult>({ entries: 4, bytes: 48 * MIB })

/** The default wave's selection (facility ids), or why there is none. */
async function defaultWave(
  model: ScoringModel,
  inputs: readonly WaveInput[],
  deadlines: RoundDeadlines,
  params: WaveParams,
): Promise<string[] | 'noLevel' | 'infeasible'> {
  if (!model.levels.some((l) => l.id === params.minLevel)) return 'noLevel'
  const wave = buildWaveRequest({
    model,
    priority: CURRENT_PRIORITY_MODEL,
    inputs,
    round: deadlines,
    params,
    objective: objectiveOf(params),
  })
  const result = selectParsedWave(wave.request, wave.needsMilp ? await getSolver() : undefined)
  return result.feasible ? result.selected : 'infeasible'
}

export async function buildModelPreview(
  db: Kysely<Database>,
  input: { roundId: number; modelId: number },
): Promise<PreviewResult> {
  const round = await getRound(db, input.roundId)
  if (!round) return { kind: 'missing', what: 'round' }
  if (!(await scoringModelExists(db, input.modelId))) return { kind: 'missing', what: 'model' }
  const counters = await getChangeCounters(db)
  const key = canonicalJson({ counters, round: round.id, model: input.modelId })
  const cached = kept.get(key)
  if (cached) return cached
  const result = await computePreview(db, round, input.modelId)
  kept.set(key, result)
  return result
}

async function computePreview(
  db: Kysely<Database>,
  round: NonNullable<Awaited<ReturnType<typeof getRound>>>,
  modelId: number,
): Promise<PreviewResult> {
  const [oldModel, newModel, questionnaire, deadlineRow] = await Promise.all([
    getScoringModel(db, round.scoring_model_id),
    getScoringModel(db, modelId),
    getQuestionnaire(db, round.questionnaire_id),
    getRoundDeadlines(db, round.id),
  ])
  if (!deadlineRow) return { kind: 'missing', what: 'round' }
  if (newModel.questionnaireVersion !== questionnaire.version) {
    return {
      kind: 'questionnaireMismatch',
      round: questionnaire.version,
      model: newModel.questionnaireVersion,
    }
  }
  const deadlines: RoundDeadlines = {
    closesOn: deadlineRow.closes_on,
    hospital: deadlineRow.hospital_emr_deadline,
    other: deadlineRow.other_emr_deadline,
  }
  const { inputs } = await loadWaveInputs(
    db,
    { kind: 'all' },
    {
      roundId: round.id,
      model: oldModel,
      scoringModelId: round.scoring_model_id,
      verifiedOnly: false,
    },
  )
  const answers = new Map(
    (await listRoundAnswers(db, { roundId: round.id, statuses: ['submitted', 'verified'] })).map(
      (a) => [a.facility_id, a.answers],
    ),
  )
  // The round's switched gates apply to the new version too, where it lets a round switch them.
  const gateEnabled = gateSettingsFor(newModel, (await getRoundScoring(db, round.id)).gateEnabled)
  const newInputs: WaveInput[] = []
  const compared: CompareFacility[] = []
  for (const f of inputs) {
    const own = answers.get(f.facilityId)
    if (!own) throw new Error(`facility ${f.facilityId} has a score but no answers`)
    const score = scoreAssessment(newModel, own, { gateEnabled })
    newInputs.push({ ...f, score })
    compared.push({ facilityId: String(f.facilityId), code: f.code, old: f.score, new: score })
  }
  const params = WaveParamsSchema.parse({})
  const [oldWave, newWave] = [
    await defaultWave(oldModel, inputs, deadlines, params),
    await defaultWave(newModel, newInputs, deadlines, params),
  ]
  const comparison = compareModels({
    facilities: compared,
    moversLimit: MOVERS_SHOWN,
    wave:
      Array.isArray(oldWave) && Array.isArray(newWave) ? { old: oldWave, new: newWave } : undefined,
  })
  const inputById = new Map(inputs.map((f) => [String(f.facilityId), f]))
  const rowById = new Map<string, PreviewRow>()
  for (const c of comparison.facilities) {
    const f = inputById.get(c.facilityId)
    rowById.set(c.facilityId, {
      facilityId: Number(c.facilityId),
      code: c.code,
      name: f?.name ?? '',
      provinceName: f?.provinceName ?? '',
      oldCompositeBp: c.old.compositeBp,
      oldLevel: c.old.level.id,
      newCompositeBp: c.new.compositeBp,
      newLevel: c.new.level.id,
      oldRank: c.oldRank,
      newRank: c.newRank,
      rankChange: c.rankChange,
      compositeChangeBp: c.compositeChangeBp,
      levelChange: c.levelChange,
    })
  }
  const rowsOf = (ids: readonly string[]) => ids.flatMap((id) => rowById.get(id) ?? [])
  const rows = [...rowById.values()].sort(
    (a, b) => a.newRank - b.newRank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  )
  const wave: ModelPreview['wave'] =
    oldWave === 'noLevel' || newWave === 'noLevel'
      ? {
          kind: 'noLevel',
          minLevel: params.minLevel,
          modelVersion: oldWave === 'noLevel' ? oldModel.version : newModel.version,
        }
      : comparison.wave === null
        ? { kind: 'infeasible' }
        : {
            kind: 'compared',
            capacity: params.capacity,
            minLevel: params.minLevel,
            oldSize: comparison.wave.oldSize,
            newSize: comparison.wave.newSize,
            entering: rowsOf(comparison.wave.entering),
            leaving: rowsOf(comparison.wave.leaving),
          }
  return {
    kind: 'ok',
    preview: {
      round: { id: round.id, name: round.name },
      oldModel: { rowId: round.scoring_model_id, id: oldModel.id, version: oldModel.version },
      newModel: { rowId: modelId, id: newModel.id, version: newModel.version },
      basis: 'declared',
      compared: rows.length,
      levels: comparison.levels,
      kendallTauB: comparison.kendallTauB,
      meanAbsCompositeChangeBp: comparison.meanAbsCompositeChangeBp,
      rows,
      movers: rowsOf(comparison.movers.map((m) => m.facilityId)),
      wave,
    },
  }
}
