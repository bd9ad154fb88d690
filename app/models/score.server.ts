/** Stored scores: one row per assessment × scoring model × basis, replaced on recompute. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { AssessmentScore } from '../../scoring/score.ts'

export type ScoreBasis = 'declared' | 'verified'

export async function upsertScore(
  db: Kysely<Database>,
  input: {
    assessmentId: number
    scoringModelId: number
    basis: ScoreBasis
    score: AssessmentScore
    now: string
  },
): Promise<void> {
  const values = {
    assessment_id: input.assessmentId,
    scoring_model_id: input.scoringModelId,
    basis: input.basis,
    composite_bp: input.score.compositeBp,
    level: input.score.level.id,
    completeness: input.score.completeness,
    result_json: JSON.stringify(input.score),
    computed_at: input.now,
  }
  await db
    .insertInto('scores')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['assessment_id', 'scoring_model_id', 'basis']).doUpdateSet({
        composite_bp: values.composite_bp,
        level: values.level,
        completeness: values.completeness,
        result_json: values.result_json,
        computed_at: values.computed_at,
      }),
    )
    .execute()
}

export async function getScore(
  db: Kysely<Database>,
  assessmentId: number,
  scoringModelId: number,
  basis: ScoreBasis,
) {
  return db
    .selectFrom('scores')
    .select(['composite_bp', 'level', 'completeness', 'result_json', 'computed_at', 'basis'])
    .where('assessment_id', '=', assessmentId)
    .where('scoring_model_id', '=', scoringModelId)
    .where('basis', '=', basis)
    .executeTakeFirst()
}
