/** What a wave is ranked from: each facility in scope with its score for a round. */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { jsonValuesAt } from './sql-dialect.server.ts'

/**
 * The change counters of the planner's sources (migration 0005), as
 * `{ facilities, provinces, assessments, scores }`; a source without its row
 * reads as -1, which no counter ever holds, so nothing kept is reused.
 */
export async function getChangeCounters(db: Kysely<Database>) {
  const rows = await db.selectFrom('change_counters').select(['name', 'value']).execute()
  const value = (name: string) => rows.find((r) => r.name === name)?.value ?? -1
  return {
    facilities: value('facilities'),
    provinces: value('provinces'),
    assessments: value('assessments'),
    scores: value('scores'),
  }
}

/**
 * Open facilities in scope with the attributes ranking reads (a closed one,
 * migration 0009, is never ranked for a wave). The planner joins
 * them in memory with the round's assessments and scores (each read from a
 * covering index, migration 0004): for a national page that is three index
 * or table scans instead of 13,000 row look-ups into wide rows.
 */
export async function listScopedFacilities(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'facilities.tier',
      'facilities.ownership',
      'facilities.beds',
      'facilities.autonomy_group',
      'facilities.emr_status',
      'facilities.has_imaging',
      'facilities.referral_role',
      'facilities.facility_class',
    ])
    .where('facilities.closed_at', 'is', null)
    .orderBy('facilities.id')
    .execute()
}

export async function listProvinceNames(db: Kysely<Database>) {
  return db.selectFrom('provinces').select(['code', 'name']).execute()
}

/**
 * A round's assessments in the given states. Not scoped by itself: callers
 * keep only those of facilities from `listScopedFacilities`.
 */
export async function listRoundAssessments(
  db: Kysely<Database>,
  input: { roundId: number; statuses: ReadonlyArray<'submitted' | 'verified'> },
) {
  return db
    .selectFrom('assessments')
    .select(['id', 'facility_id', 'version', 'status'])
    .where('round_id', '=', input.roundId)
    .where('status', 'in', [...input.statuses])
    .execute()
}

/**
 * Every score of a model on a basis with its `computed_at`, read from the
 * covering index `scores_model_basis_stamp` (never from the wide row).
 */
export async function listScoreStamps(
  db: Kysely<Database>,
  input: { scoringModelId: number; basis: 'declared' | 'verified' },
) {
  return db
    .selectFrom('scores')
    .select(['id', 'assessment_id', 'computed_at'])
    .where('scoring_model_id', '=', input.scoringModelId)
    .where('basis', '=', input.basis)
    .execute()
}

/**
 * The stored engine result of the given scores and the answers the planner
 * reads (`questions`), taken out in SQL as one JSON array in that order, so
 * the whole answer document is never shipped to JavaScript.
 */
export async function listWaveScorePayloads(
  db: Kysely<Database>,
  scoreIds: readonly number[],
  questions: readonly string[],
) {
  if (scoreIds.length === 0) return []
  return db
    .selectFrom('scores')
    .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
    .select([
      'scores.id as score_id',
      'scores.assessment_id',
      'scores.result_json',
      jsonValuesAt(db, sql.ref('assessments.answers'), questions).as('answers_json'),
    ])
    .where('scores.id', 'in', scoreIds)
    .execute()
}

/** A round's EMR deadlines (0011) and its closing date, which the deadline term is judged at. */
export async function getRoundDeadlines(db: Kysely<Database>, roundId: number) {
  return db
    .selectFrom('rounds')
    .select(['closes_on', 'hospital_emr_deadline', 'other_emr_deadline'])
    .where('id', '=', roundId)
    .executeTakeFirst()
}

/** The scoring models that scored assessments of the round (a round may be re-scored). */
export async function listScoredModels(db: Kysely<Database>, roundId: number) {
  return db
    .selectFrom('scoring_models')
    .select(['scoring_models.id', 'scoring_models.model_id', 'scoring_models.version'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('scores')
          .innerJoin('assessments', 'assessments.id', 'scores.assessment_id')
          .select(sql`1`.as('one'))
          .whereRef('scores.scoring_model_id', '=', 'scoring_models.id')
          .where('assessments.round_id', '=', roundId),
      ),
    )
    .orderBy('scoring_models.id', 'desc')
    .execute()
}
