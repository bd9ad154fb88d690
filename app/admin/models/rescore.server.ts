/**
 * Re-scoring a round under another model version. The round's own rows are
 * never touched: the new version's results are **new** score rows tagged
 * with its `scoring_model_id`, one for each row the round's own model holds
 * (declared for every assessment that has one, verified where a verification
 * recorded one, on the verified values that apply today). The current score
 * stays on the round's model (score.server.ts), so no page changes; the wave
 * planner can rank on the re-scored rows by naming the model.
 *
 * A second re-score of the same round under the same model is refused
 * (409 at the route), not repeated: the first one's rows are the record,
 * dated by their `computed_at`, and rewriting them would lose it.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema.ts'
import { scoreAssessment, type Answers } from '../../../scoring/score.ts'
import { writeAudit } from '../../models/audit.server.ts'
import { getQuestionnaire, getScoringModel } from '../../models/content.server.ts'
import {
  countRoundScores,
  insertScores,
  listRoundAnswers,
  listRoundScoreBases,
  scoringModelExists,
} from '../../models/model-version.server.ts'
import { listAppliedVerifiedValues } from '../../models/review.server.ts'
import { getRound } from '../../models/round.server.ts'
import { gateSettingsFor, getRoundScoring } from '../../models/round-scoring.server.ts'

export type RescoreResult =
  | { kind: 'rescored'; declared: number; verified: number }
  | { kind: 'missing'; what: 'round' | 'model' }
  /** The round's own model scores the round already. */
  | { kind: 'ownModel' }
  | { kind: 'questionnaireMismatch'; round: string; model: string }
  | { kind: 'alreadyRescored'; rows: number }

/** Rows are inserted this many at a time (SQLite's bound-parameter limit, 8 columns each). */
const CHUNK = 500

export async function rescoreRound(
  db: Kysely<Database>,
  input: {
    roundId: number
    modelId: number
    userId: number
    ip: string
    requestId: string
    now: string
  },
): Promise<RescoreResult> {
  return db.transaction().execute(async (trx) => {
    const round = await getRound(trx, input.roundId)
    if (!round) return { kind: 'missing', what: 'round' } as const
    if (!(await scoringModelExists(trx, input.modelId))) {
      return { kind: 'missing', what: 'model' } as const
    }
    if (input.modelId === round.scoring_model_id) return { kind: 'ownModel' } as const
    const [model, questionnaire] = await Promise.all([
      getScoringModel(trx, input.modelId),
      getQuestionnaire(trx, round.questionnaire_id),
    ])
    if (model.questionnaireVersion !== questionnaire.version) {
      return {
        kind: 'questionnaireMismatch',
        round: questionnaire.version,
        model: model.questionnaireVersion,
      } as const
    }
    // Inside the write transaction: two concurrent re-scores cannot both find none.
    const existing = await countRoundScores(trx, {
      roundId: round.id,
      scoringModelId: input.modelId,
    })
    if (existing > 0) return { kind: 'alreadyRescored', rows: existing } as const
    const bases = await listRoundScoreBases(trx, {
      roundId: round.id,
      scoringModelId: round.scoring_model_id,
    })
    const declaredIds = new Set(
      bases.filter((b) => b.basis === 'declared').map((b) => b.assessment_id),
    )
    const verifiedIds = new Set(
      bases.filter((b) => b.basis === 'verified').map((b) => b.assessment_id),
    )
    const assessments = (await listRoundAnswers(trx, { roundId: round.id })).filter(
      (a) => declaredIds.has(a.id) || verifiedIds.has(a.id),
    )
    const gateEnabled = gateSettingsFor(model, (await getRoundScoring(trx, round.id)).gateEnabled)
    let declared = 0
    let verified = 0
    for (let i = 0; i < assessments.length; i += CHUNK) {
      const slice = assessments.slice(i, i + CHUNK)
      const values = new Map<number, Record<string, unknown>>()
      for (const v of await listAppliedVerifiedValues(
        trx,
        slice.filter((a) => verifiedIds.has(a.id)).map((a) => a.id),
      )) {
        const own = values.get(v.assessment_id) ?? {}
        own[v.question] = v.value
        values.set(v.assessment_id, own)
      }
      const rows: Parameters<typeof insertScores>[1][number][] = []
      const push = (
        assessmentId: number,
        basis: 'declared' | 'verified',
        answers: Answers,
        v?: Answers,
      ) => {
        const score = scoreAssessment(
          model,
          answers,
          v ? { verified: v, gateEnabled } : { gateEnabled },
        )
        rows.push({
          assessmentId,
          scoringModelId: input.modelId,
          basis,
          compositeBp: score.compositeBp,
          level: score.level.id,
          completeness: score.completeness,
          resultJson: JSON.stringify(score),
          now: input.now,
        })
      }
      for (const a of slice) {
        if (declaredIds.has(a.id)) {
          push(a.id, 'declared', a.answers)
          declared++
        }
        if (verifiedIds.has(a.id)) {
          const v = values.get(a.id)
          push(a.id, 'verified', a.answers, v && Object.keys(v).length > 0 ? v : undefined)
          verified++
        }
      }
      for (let j = 0; j < rows.length; j += CHUNK / 5)
        await insertScores(trx, rows.slice(j, j + CHUNK / 5))
    }
    await writeAudit(trx, {
      actorId: input.userId,
      action: 'models.rescore',
      entityType: 'round',
      entityId: round.id,
      detail: {
        scoringModelId: input.modelId,
        model: { id: model.id, version: model.version },
        declared,
        verified,
      },
      ip: input.ip,
      requestId: input.requestId,
      at: input.now,
    })
    return { kind: 'rescored', declared, verified } as const
  })
}
