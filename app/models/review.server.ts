/** Review: the queue, the assessment as a reviewer sees it, state transitions, comments. */
import type { Kysely } from 'kysely'
import type { AssessmentStatus, Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'

/** Submitted assessments of a round in the reviewer's scope, oldest submission first. */
export async function listReviewQueue(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('scores', (join) =>
      join.onRef('scores.assessment_id', '=', 'assessments.id').on('scores.basis', '=', 'declared'),
    )
    .select([
      'assessments.id',
      'assessments.version',
      'assessments.submitted_at',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'provinces.name as province_name',
      'scores.composite_bp',
      'scores.level',
    ])
    .where('assessments.round_id', '=', roundId)
    .where('assessments.status', '=', 'submitted')
    .orderBy('assessments.submitted_at')
    .orderBy('assessments.id')
    .execute()
}

export async function getAssessmentForReview(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .select([
      'assessments.id',
      'assessments.status',
      'assessments.version',
      'assessments.answers',
      'assessments.submitted_at',
      'assessments.verified_at',
      'facilities.id as facility_id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'facilities.tier',
      'rounds.id as round_id',
      'rounds.name as round_name',
      'rounds.questionnaire_id',
      'rounds.scoring_model_id',
    ])
    .where('assessments.id', '=', id)
    .executeTakeFirst()
}

/**
 * Moves an assessment from one state to another only if nobody changed it
 * since `expectedVersion`; false otherwise (→ 409).
 */
export async function transitionAssessment(
  db: Kysely<Database>,
  input: {
    id: number
    from: AssessmentStatus
    to: AssessmentStatus
    expectedVersion: number
    userId: number
    now: string
  },
): Promise<boolean> {
  const result = await db
    .updateTable('assessments')
    .set({
      status: input.to,
      version: input.expectedVersion + 1,
      updated_at: input.now,
      updated_by: input.userId,
      ...(input.to === 'verified'
        ? { verified_at: input.now, verified_by: input.userId }
        : { verified_at: null, verified_by: null }),
      // A returned assessment can be submitted again under a new submission id.
      ...(input.to === 'returned' ? { submission_id: null } : {}),
    })
    .where('id', '=', input.id)
    .where('status', '=', input.from)
    .where('version', '=', input.expectedVersion)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function insertComments(
  db: Kysely<Database>,
  rows: Array<{
    assessmentId: number
    question: string | null
    body: string
    authorId: number
    at: string
  }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('review_comments')
    .values(
      rows.map((r) => ({
        assessment_id: r.assessmentId,
        question: r.question,
        author_id: r.authorId,
        body: r.body,
        created_at: r.at,
        resolved_at: null,
      })),
    )
    .execute()
}

/** Comments of earlier returns are settled when the facility resubmits and the reviewer acts again. */
export async function resolveComments(
  db: Kysely<Database>,
  assessmentId: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('review_comments')
    .set({ resolved_at: now })
    .where('assessment_id', '=', assessmentId)
    .where('resolved_at', 'is', null)
    .execute()
}
