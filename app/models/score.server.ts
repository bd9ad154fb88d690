/**
 * Stored scores: one row per assessment × scoring model × basis, replaced on
 * recompute. This file is the one home of **the current score** of an
 * assessment, which every page, list, median and export reads:
 *
 * - **model**: the round's own scoring model (`rounds.scoring_model_id`); a
 *   row under another model version is never current;
 * - **basis**: `verified` while the assessment is verified, `declared` in
 *   every other status. After an unlock the verified row stays as history and
 *   the declared score stands until the next verification.
 *
 * Stored JSON leaves the database decoded, here: `decodeScore` is the one
 * mapper from `scores.result_json` to the engine's `AssessmentScore`.
 */
import type { ExpressionBuilder, Kysely } from 'kysely'
import type { AssessmentStatus, Database } from '../../db/schema.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'

export type ScoreBasis = 'declared' | 'verified'

/** The basis of an assessment's current score in a given status. */
export function currentBasis(status: AssessmentStatus): ScoreBasis {
  return status === 'verified' ? 'verified' : 'declared'
}

/**
 * The one mapper from a stored result to the engine's type. The rows are
 * written only by `upsertScore` from the engine's own output, so the check is
 * of the frame (which model wrote it, the composite), not of every field.
 */
export function decodeScore(json: string): AssessmentScore {
  const value: unknown = JSON.parse(json)
  if (
    typeof value !== 'object' ||
    value === null ||
    !('modelId' in value) ||
    typeof value.modelId !== 'string' ||
    !('compositeBp' in value) ||
    typeof value.compositeBp !== 'number'
  ) {
    throw new Error('stored score is not an engine result')
  }
  return value as AssessmentScore
}

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

/** One basis of one assessment under one model, decoded (the review page shows both). */
export async function getScore(
  db: Kysely<Database>,
  assessmentId: number,
  scoringModelId: number,
  basis: ScoreBasis,
) {
  const row = await db
    .selectFrom('scores')
    .select(['composite_bp', 'level', 'completeness', 'result_json', 'computed_at', 'basis'])
    .where('assessment_id', '=', assessmentId)
    .where('scoring_model_id', '=', scoringModelId)
    .where('basis', '=', basis)
    .executeTakeFirst()
  return row ? { ...scoreFields(row), score: decodeScore(row.result_json) } : null
}

function scoreFields(row: {
  composite_bp: number
  level: string
  completeness: number
  computed_at: string
  basis: ScoreBasis
}) {
  return {
    compositeBp: row.composite_bp,
    level: row.level,
    completeness: row.completeness,
    computedAt: row.computed_at,
    basis: row.basis,
  }
}

/**
 * The join condition of the current score, for list queries that hold
 * `assessments`: `.leftJoin('scores', currentScoreJoin)` (or innerJoin).
 * SQL: scores.assessment_id = assessments.id AND scores.scoring_model_id =
 * (the round's model) AND scores.basis = CASE status WHEN 'verified' THEN
 * 'verified' ELSE 'declared' END.
 */
export function currentScoreJoin<
  J extends {
    onRef: (a: 'scores.assessment_id', op: '=', b: 'assessments.id') => J
    on: (f: (eb: ExpressionBuilder<Database, 'scores' | 'assessments'>) => unknown) => J
  },
>(join: J): J {
  return join
    .onRef('scores.assessment_id', '=', 'assessments.id')
    .on((eb) =>
      eb(
        'scores.scoring_model_id',
        '=',
        eb
          .selectFrom('rounds')
          .select('rounds.scoring_model_id')
          .whereRef('rounds.id', '=', 'assessments.round_id'),
      ),
    )
    .on((eb) =>
      eb(
        'scores.basis',
        '=',
        eb
          .case()
          .when('assessments.status', '=', 'verified')
          .then('verified' as const)
          .else('declared' as const)
          .end(),
      ),
    )
}

/** An assessment's current score (see the rule above), decoded; null when none is stored. */
export async function getCurrentScore(db: Kysely<Database>, assessmentId: number) {
  const row = await db
    .selectFrom('assessments')
    .innerJoin('scores', currentScoreJoin)
    .select([
      'scores.composite_bp',
      'scores.level',
      'scores.completeness',
      'scores.result_json',
      'scores.computed_at',
      'scores.basis',
    ])
    .where('assessments.id', '=', assessmentId)
    .executeTakeFirst()
  return row ? { ...scoreFields(row), score: decodeScore(row.result_json) } : null
}

/**
 * One page (by assessment id) of a round's assessments in scope with both
 * stored bases under the round's own model, decoded, and which of them is
 * current (`currentBasis`, the rule above). For the API's score list.
 */
export async function listRoundScores(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: { roundId: number; province?: string; afterId: number; limit: number },
) {
  let page = whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .select([
      'assessments.id',
      'assessments.round_id',
      'assessments.facility_id',
      'assessments.status',
      'facilities.code as facility_code',
    ])
    .where('assessments.round_id', '=', q.roundId)
    .where('assessments.id', '>', q.afterId)
  if (q.province) page = page.where('facilities.province_code', '=', q.province)
  const assessments = await page.orderBy('assessments.id').limit(q.limit).execute()
  if (assessments.length === 0) return []
  const rows = await db
    .selectFrom('scores')
    .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
    .innerJoin('rounds', (join) =>
      join
        .onRef('rounds.id', '=', 'assessments.round_id')
        .onRef('rounds.scoring_model_id', '=', 'scores.scoring_model_id'),
    )
    .select([
      'scores.assessment_id',
      'scores.composite_bp',
      'scores.level',
      'scores.completeness',
      'scores.result_json',
      'scores.computed_at',
      'scores.basis',
    ])
    .where(
      'scores.assessment_id',
      'in',
      assessments.map((a) => a.id),
    )
    .execute()
  const byKey = new Map(
    rows.map((r) => [
      `${r.assessment_id}:${r.basis}`,
      { ...scoreFields(r), score: decodeScore(r.result_json) },
    ]),
  )
  return assessments.map((a) => ({
    ...a,
    current: currentBasis(a.status),
    declared: byKey.get(`${a.id}:declared`) ?? null,
    verified: byKey.get(`${a.id}:verified`) ?? null,
  }))
}
