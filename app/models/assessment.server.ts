/** Assessments: reads, optimistic-concurrency writes, change history, status summaries. */
import type { Kysely } from 'kysely'
import type { AssessmentStatus, Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { lockKeyForWriting } from './sql-dialect.server.ts'

const ASSESSMENT_COLUMNS = [
  'id',
  'facility_id',
  'round_id',
  'status',
  'version',
  'answers',
  'current_page',
  'submission_id',
  'submitted_at',
  'submitted_by',
  'verified_at',
  'updated_at',
  'updated_by',
] as const

export async function getAssessmentStatus(
  db: Kysely<Database>,
  facilityId: number,
  roundId: number,
) {
  return db
    .selectFrom('assessments')
    .select(['id', 'status', 'updated_at', 'submitted_at'])
    .where('facility_id', '=', facilityId)
    .where('round_id', '=', roundId)
    .executeTakeFirst()
}

/**
 * Makes this transaction the only writer of the facility's assessment in the
 * round until it ends (saves, submit, evidence), so a read-check-write never
 * interleaves with another: SQLite has one writer at a time already,
 * PostgreSQL takes an advisory lock (sql-dialect.server.ts). Held even
 * before the assessment row exists, so two first saves cannot both insert.
 */
export async function lockAssessment(
  trx: Kysely<Database>,
  facilityId: number,
  roundId: number,
): Promise<void> {
  await lockKeyForWriting(trx, `assessment:${facilityId}:${roundId}`)
}

export async function getAssessmentForFacility(
  db: Kysely<Database>,
  facilityId: number,
  roundId: number,
) {
  return db
    .selectFrom('assessments')
    .select(ASSESSMENT_COLUMNS)
    .where('facility_id', '=', facilityId)
    .where('round_id', '=', roundId)
    .executeTakeFirst()
}

export async function getAssessmentById(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('assessments')
    .select(ASSESSMENT_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertAssessment(
  db: Kysely<Database>,
  input: { facilityId: number; roundId: number; userId: number; now: string },
) {
  return db
    .insertInto('assessments')
    .values({
      facility_id: input.facilityId,
      round_id: input.roundId,
      status: 'draft',
      version: 1,
      answers: '{}',
      current_page: 0,
      created_at: input.now,
      updated_at: input.now,
      updated_by: input.userId,
    })
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirstOrThrow()
}

/**
 * Writes answers only if nobody wrote since `expectedVersion` and the
 * assessment is still editable; returns false otherwise (→ 409).
 */
export async function updateAnswers(
  db: Kysely<Database>,
  input: {
    id: number
    expectedVersion: number
    answers: string
    currentPage: number
    userId: number
    now: string
  },
): Promise<boolean> {
  const result = await db
    .updateTable('assessments')
    .set({
      answers: input.answers,
      current_page: input.currentPage,
      version: input.expectedVersion + 1,
      updated_at: input.now,
      updated_by: input.userId,
    })
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .where('status', 'in', ['draft', 'returned'])
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function insertAnswerChanges(
  db: Kysely<Database>,
  rows: Array<{
    assessmentId: number
    question: string
    oldValue: unknown
    newValue: unknown
    userId: number
    at: string
    version: number
    /** The version the author had seen (older than `version - 1` for a merged save). */
    basedOnVersion: number
  }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('assessment_changes')
    .values(
      rows.map((r) => ({
        assessment_id: r.assessmentId,
        question: r.question,
        old_value: r.oldValue === undefined ? null : JSON.stringify(r.oldValue),
        new_value: r.newValue === undefined ? null : JSON.stringify(r.newValue),
        user_id: r.userId,
        changed_at: r.at,
        version: r.version,
        based_on_version: r.basedOnVersion,
      })),
    )
    .execute()
}

/** Who changed what after `version` (for the conflict screen). */
export async function getChangesSince(db: Kysely<Database>, assessmentId: number, version: number) {
  return db
    .selectFrom('assessment_changes')
    .innerJoin('users', 'users.id', 'assessment_changes.user_id')
    .select([
      'assessment_changes.question',
      'assessment_changes.new_value',
      'assessment_changes.changed_at',
      'assessment_changes.version',
      'users.display_name',
    ])
    .where('assessment_changes.assessment_id', '=', assessmentId)
    .where('assessment_changes.version', '>', version)
    .orderBy('assessment_changes.id')
    .execute()
}

export async function markSubmitted(
  db: Kysely<Database>,
  input: { id: number; expectedVersion: number; submissionId: string; userId: number; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('assessments')
    .set({
      status: 'submitted' satisfies AssessmentStatus,
      version: input.expectedVersion + 1,
      submission_id: input.submissionId,
      submitted_at: input.now,
      submitted_by: input.userId,
      updated_at: input.now,
      updated_by: input.userId,
    })
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .where('status', 'in', ['draft', 'returned'])
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function getAssessmentBySubmissionId(db: Kysely<Database>, submissionId: string) {
  return db
    .selectFrom('assessments')
    .select(['id', 'facility_id', 'status'])
    .where('submission_id', '=', submissionId)
    .executeTakeFirst()
}

/** Facilities in scope per assessment status for a round; no assessment = not_started. */
export async function countAssessmentsByStatus(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', roundId),
    )
    .select([
      (eb) => eb.fn.coalesce('assessments.status', eb.val('not_started')).as('status'),
      (eb) => eb.fn.countAll<number>().as('count'),
    ])
    .groupBy('status')
    .execute()
}

/** The facility's assessments across rounds, newest round first. */
export async function listFacilityAssessments(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('assessments')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .select([
      'assessments.id',
      'assessments.status',
      'assessments.round_id',
      'rounds.name as round_name',
      'rounds.opens_on',
      'rounds.scoring_model_id',
      'rounds.questionnaire_id',
      'assessments.answers',
    ])
    .where('assessments.facility_id', '=', facilityId)
    .orderBy('rounds.opens_on', 'desc')
    .execute()
}

/** Remembers the page the form was on (resume from any device); not an answer change. */
export async function updateCurrentPage(db: Kysely<Database>, id: number, currentPage: number) {
  await db
    .updateTable('assessments')
    .set({ current_page: currentPage })
    .where('id', '=', id)
    .execute()
}

/**
 * Drafts (any status but submitted and verified) that have answers and whose
 * declared score under their round's model is missing or older than the
 * answers: the score a stopped process left waiting.
 */
export async function listStaleDraftScores(db: Kysely<Database>) {
  return db
    .selectFrom('assessments')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .leftJoin('scores', (join) =>
      join
        .onRef('scores.assessment_id', '=', 'assessments.id')
        .onRef('scores.scoring_model_id', '=', 'rounds.scoring_model_id')
        .on('scores.basis', '=', 'declared'),
    )
    .select(['assessments.id', 'assessments.round_id'])
    .where('assessments.status', 'not in', ['submitted', 'verified'])
    .where('assessments.answers', '!=', '{}')
    .where((eb) =>
      eb.or([
        eb('scores.id', 'is', null),
        eb('scores.computed_at', '<', eb.ref('assessments.updated_at')),
      ]),
    )
    .orderBy('assessments.id')
    .execute()
}
