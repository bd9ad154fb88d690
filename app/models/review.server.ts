/** Review: the queue, the assessment as a reviewer sees it, state transitions, comments. */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { AssessmentStatus, Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { likePattern } from './facility-list.server.ts'
import { whereInScope } from './facility.server.ts'
import { currentScoreJoin } from './score.server.ts'
import { decodeAnswers, decodeValue } from './stored-json.server.ts'

export interface ReviewQueueQuery {
  roundId: number
  /** A province code; rows outside the user's scope never match whatever it says. */
  province?: string
  tier?: 'central' | 'provincial' | 'basic'
  /** Submitted at or after this instant (ISO-8601 UTC). */
  submittedFrom?: string
  /** Submitted before this instant (ISO-8601 UTC). */
  submittedTo?: string
  /** Already folded with foldSearchKey; matched like the facilities table. */
  search?: string
}

/** Submitted assessments of a round in the reviewer's scope, filtered. */
function reviewQueueBase(db: Kysely<Database>, filter: FacilityFilter, q: ReviewQueueQuery) {
  let query = whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .where('assessments.round_id', '=', q.roundId)
    .where('assessments.status', '=', 'submitted')
  if (q.province) query = query.where('facilities.province_code', '=', q.province)
  if (q.tier) query = query.where('facilities.tier', '=', q.tier)
  if (q.submittedFrom) query = query.where('assessments.submitted_at', '>=', q.submittedFrom)
  if (q.submittedTo) query = query.where('assessments.submitted_at', '<', q.submittedTo)
  if (q.search)
    query = query.where(
      sql<boolean>`facilities.search_key LIKE ${likePattern(q.search)} ESCAPE '\\'`,
    )
  return query
}

/** One page of the review queue, oldest submission first. */
export async function listReviewQueue(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: ReviewQueueQuery,
  page: { limit: number; offset: number },
) {
  return reviewQueueBase(db, filter, q)
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('scores', currentScoreJoin)
    .select([
      'assessments.id',
      'assessments.version',
      'assessments.submitted_at',
      'facilities.id as facility_id',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'provinces.name as province_name',
      'scores.composite_bp',
      'scores.level',
    ])
    .orderBy('assessments.submitted_at')
    .orderBy('assessments.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/** How many submissions match the queue's filters. */
export async function countReviewQueue(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: ReviewQueueQuery,
) {
  const row = await reviewQueueBase(db, filter, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Id and version of every matching submission ("select all N matching"), at most `limit`. */
export async function listReviewQueueKeys(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: ReviewQueueQuery,
  limit: number,
) {
  return reviewQueueBase(db, filter, q)
    .select(['assessments.id', 'assessments.version'])
    .orderBy('assessments.submitted_at')
    .orderBy('assessments.id')
    .limit(limit)
    .execute()
}

/** Names of the facilities of these assessments, within the user's scope (for refusals). */
export async function listAssessmentFacilityNames(
  db: Kysely<Database>,
  filter: FacilityFilter,
  assessmentIds: readonly number[],
) {
  if (assessmentIds.length === 0) return []
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .select(['assessments.id', 'facilities.code', 'facilities.name'])
    .where('assessments.id', 'in', [...assessmentIds])
    .execute()
}

/**
 * The first facilities of the user's scope in code order, for examples in
 * placeholders (a province reviewer's examples come from their province).
 */
export async function listExampleFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  limit: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .select(['facilities.code', 'facilities.search_key'])
    .orderBy('facilities.code')
    .limit(limit)
    .execute()
}

export async function getAssessmentForReview(db: Kysely<Database>, id: number) {
  const row = await db
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
  return row && { ...row, answers: decodeAnswers(row.answers) }
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

/** Facilities of the user's scope among `ids`, with their assessment of a round (if any). */
export async function listCompareFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  ids: readonly number[],
  roundId: number,
) {
  if (ids.length === 0) return []
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', roundId),
    )
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'facilities.province_code',
      'provinces.name as province_name',
      'assessments.id as assessment_id',
      'assessments.status',
    ])
    .where('facilities.id', 'in', [...ids])
    .execute()
}

/** Ids of the facilities with these codes, within the user's scope. */
export async function findFacilityIdsByCode(
  db: Kysely<Database>,
  filter: FacilityFilter,
  codes: readonly string[],
) {
  if (codes.length === 0) return []
  return whereInScope(db.selectFrom('facilities'), filter)
    .select(['facilities.id', 'facilities.code'])
    .where('facilities.code', 'in', [...codes])
    .execute()
}

export interface PeerGroup {
  roundId: number
  tier?: 'central' | 'provincial' | 'basic'
  provinceCode?: string
}

/**
 * The current score (score.server.ts) of every submitted or verified
 * assessment of a round in a peer group (a tier or a province).
 */
function peerScores(db: Kysely<Database>, group: PeerGroup) {
  let query = db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .innerJoin('scores', currentScoreJoin)
    .where('assessments.round_id', '=', group.roundId)
    .where('assessments.status', 'in', ['submitted', 'verified'])
  if (group.tier) query = query.where('facilities.tier', '=', group.tier)
  if (group.provinceCode) query = query.where('facilities.province_code', '=', group.provinceCode)
  return query
}

/** Composite scores (bp) of a peer group, for its median. */
export async function listPeerComposites(db: Kysely<Database>, group: PeerGroup) {
  return peerScores(db, group).select('scores.composite_bp').execute()
}

/** Domain scores (bp) of a peer group, for the median of each domain. */
export async function listPeerDomainScores(db: Kysely<Database>, group: PeerGroup) {
  return peerScores(db, group)
    .innerJoin('score_domains', 'score_domains.score_id', 'scores.id')
    .select(['score_domains.domain_id', 'score_domains.score_bp'])
    .execute()
}

export async function insertVerifiedValue(
  db: Kysely<Database>,
  input: {
    assessmentId: number
    question: string
    valueJson: string
    reason: string
    reviewerId: number
    at: string
  },
): Promise<void> {
  await db
    .insertInto('verified_values')
    .values({
      assessment_id: input.assessmentId,
      question: input.question,
      value_json: input.valueJson,
      reason: input.reason,
      reviewer_id: input.reviewerId,
      created_at: input.at,
    })
    .execute()
}

/**
 * Whether the facility changed this answer after the value was recorded (after
 * an unlock): such a value is history and no longer applies. One rule for the
 * review page and for every reader of applied values.
 */
function supersededValue(eb: ExpressionBuilder<Database, 'verified_values'>) {
  return eb.exists(
    eb
      .selectFrom('assessment_changes')
      .select(sql`1`.as('one'))
      .whereRef('assessment_changes.assessment_id', '=', 'verified_values.assessment_id')
      .whereRef('assessment_changes.question', '=', 'verified_values.question')
      .whereRef('assessment_changes.changed_at', '>', 'verified_values.created_at'),
  )
}

/**
 * The verified values that apply, for many assessments at once: the latest
 * per question, unless superseded. What the verified basis reads everywhere
 * (the score at verification, the planner's inputs).
 */
export async function listAppliedVerifiedValues(
  db: Kysely<Database>,
  assessmentIds: readonly number[],
) {
  if (assessmentIds.length === 0) return []
  const rows = await db
    .selectFrom('verified_values')
    .select([
      'verified_values.assessment_id',
      'verified_values.question',
      'verified_values.value_json',
    ])
    .where('verified_values.assessment_id', 'in', [...assessmentIds])
    .where((eb) =>
      eb(
        'verified_values.id',
        'in',
        eb
          .selectFrom('verified_values as latest')
          .select((e) => e.fn.max('latest.id').as('id'))
          .where('latest.assessment_id', 'in', [...assessmentIds])
          .groupBy(['latest.assessment_id', 'latest.question']),
      ),
    )
    .where((eb) => eb.not(supersededValue(eb)))
    .execute()
  return rows.map(({ value_json, ...r }) => ({ ...r, value: decodeValue(value_json) }))
}

/** The latest verified value of each question of an assessment (earlier ones are history). */
export async function listLatestVerifiedValues(db: Kysely<Database>, assessmentId: number) {
  const rows = await db
    .selectFrom('verified_values')
    .innerJoin('users', 'users.id', 'verified_values.reviewer_id')
    .select((eb) => [
      'verified_values.id',
      'verified_values.question',
      'verified_values.value_json',
      'verified_values.reason',
      'verified_values.created_at',
      'users.display_name as reviewer',
      supersededValue(eb).as('superseded'),
    ])
    .where('verified_values.assessment_id', '=', assessmentId)
    .where((eb) =>
      eb(
        'verified_values.id',
        'in',
        eb
          .selectFrom('verified_values as latest')
          .select((e) => e.fn.max('latest.id').as('id'))
          .where('latest.assessment_id', '=', assessmentId)
          .groupBy('latest.question'),
      ),
    )
    .orderBy('verified_values.question')
    .execute()
  return rows.map(({ value_json, superseded, ...r }) => ({
    ...r,
    value: decodeValue(value_json),
    superseded: Boolean(superseded),
  }))
}
