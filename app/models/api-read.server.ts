/**
 * The API's reads (app/api/read.server.ts shapes them): registry rows,
 * rounds with their versions, assessments with their answers and status
 * events. Every facility list goes through `whereInScope`; pages are
 * keyset-paginated on id (`afterId`), so a page never shifts under a caller.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { AssessmentStatus, Database, EmrStatus, Ownership, Tier } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { decodeAnswers } from './stored-json.server.ts'

export interface RegistryApiQuery {
  province?: string
  tier?: Tier
  ownership?: Ownership
  emrStatus?: EmrStatus
  closed?: boolean
  afterId: number
  limit: number
}

const FACILITY_COLUMNS = [
  'facilities.id',
  'facilities.code',
  'facilities.name',
  'facilities.province_code',
  'provinces.full_name as province_name',
  'provinces.full_name_en as province_name_en',
  'facilities.tier',
  'facilities.ownership',
  'facilities.beds',
  'facilities.autonomy_group',
  'facilities.emr_status',
  'facilities.facility_class',
  'facilities.referral_role',
  'facilities.has_imaging',
  'facilities.address',
  'facilities.phone',
  'facilities.closed_at',
  'facilities.created_at',
] as const

function facilityQuery(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .select(FACILITY_COLUMNS)
}

/** One page of the registry in the caller's scope, by id. */
export async function listRegistryForApi(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: RegistryApiQuery,
) {
  let query = facilityQuery(db, filter).where('facilities.id', '>', q.afterId)
  if (q.province) query = query.where('facilities.province_code', '=', q.province)
  if (q.tier) query = query.where('facilities.tier', '=', q.tier)
  if (q.ownership) query = query.where('facilities.ownership', '=', q.ownership)
  if (q.emrStatus) query = query.where('facilities.emr_status', '=', q.emrStatus)
  if (q.closed === true) query = query.where('facilities.closed_at', 'is not', null)
  if (q.closed === false) query = query.where('facilities.closed_at', 'is', null)
  return query.orderBy('facilities.id').limit(q.limit).execute()
}

/** One facility's registry row (the caller checks the scope). */
export async function getRegistryRowForApi(db: Kysely<Database>, facilityId: number) {
  return facilityQuery(db, { kind: 'all' })
    .where('facilities.id', '=', facilityId)
    .executeTakeFirst()
}

/** Every round with its questionnaire and model versions, newest first. */
export async function listRoundsWithVersions(db: Kysely<Database>) {
  return db
    .selectFrom('rounds')
    .innerJoin('questionnaires', 'questionnaires.id', 'rounds.questionnaire_id')
    .innerJoin('scoring_models', 'scoring_models.id', 'rounds.scoring_model_id')
    .select([
      'rounds.id',
      'rounds.name',
      'rounds.opens_on',
      'rounds.closes_on',
      'rounds.hospital_emr_deadline',
      'rounds.other_emr_deadline',
      'questionnaires.version as questionnaire_version',
      'scoring_models.model_id',
      'scoring_models.version as model_version',
    ])
    .orderBy('rounds.opens_on', 'desc')
    .orderBy('rounds.id', 'desc')
    .execute()
}

export interface AssessmentApiQuery {
  roundId: number
  province?: string
  status?: AssessmentStatus
  afterId: number
  limit: number
}

function assessmentQuery(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .innerJoin('questionnaires', 'questionnaires.id', 'rounds.questionnaire_id')
    .select([
      'assessments.id',
      'assessments.round_id',
      'assessments.facility_id',
      'facilities.code as facility_code',
      'facilities.name as facility_name',
      'facilities.province_code',
      'assessments.status',
      'assessments.version',
      'assessments.answers',
      'assessments.created_at',
      'assessments.updated_at',
      'assessments.submitted_at',
      'assessments.verified_at',
      'questionnaires.version as questionnaire_version',
    ])
}

function decodeAssessmentRow<R extends { answers: string }>(row: R) {
  return { ...row, answers: decodeAnswers(row.answers) }
}

/** One page of a round's assessments in the caller's scope, by id, answers decoded. */
export async function listAssessmentsForApi(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: AssessmentApiQuery,
) {
  let query = assessmentQuery(db, filter)
    .where('assessments.round_id', '=', q.roundId)
    .where('assessments.id', '>', q.afterId)
  if (q.province) query = query.where('facilities.province_code', '=', q.province)
  if (q.status) query = query.where('assessments.status', '=', q.status)
  const rows = await query.orderBy('assessments.id').limit(q.limit).execute()
  return rows.map(decodeAssessmentRow)
}

/** One assessment with its answers decoded (the caller checks the scope). */
export async function getAssessmentForApi(db: Kysely<Database>, assessmentId: number) {
  const row = await assessmentQuery(db, { kind: 'all' })
    .where('assessments.id', '=', assessmentId)
    .executeTakeFirst()
  return row && decodeAssessmentRow(row)
}

/** The audit actions that move an assessment's status, and the status each leads to. */
const STATUS_ACTIONS = {
  'assessment.submit': 'submitted',
  'assessment.verify': 'verified',
  'assessment.return': 'returned',
  'assessment.unlock': 'returned',
} as const satisfies Record<string, AssessmentStatus>
type StatusAction = keyof typeof STATUS_ACTIONS

const StatusDetailSchema = z.object({ to: z.enum(['submitted', 'returned', 'verified']) })

/**
 * The status changes of some assessments, oldest first, read from the audit
 * chain (the one record of who moved an assessment when): a review row's
 * detail names the status it led to; a submission always leads to `submitted`.
 */
export async function listStatusEvents(db: Kysely<Database>, assessmentIds: number[]) {
  if (assessmentIds.length === 0) return []
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'action', 'at', 'detail_json'])
    .where('entity_type', '=', 'assessment')
    .where('entity_id', 'in', assessmentIds.map(String))
    .where('action', 'in', Object.keys(STATUS_ACTIONS) as StatusAction[])
    .orderBy('id')
    .execute()
  return rows.map((r) => {
    const detail = StatusDetailSchema.safeParse(JSON.parse(r.detail_json))
    const status: AssessmentStatus = detail.success
      ? detail.data.to
      : STATUS_ACTIONS[r.action as StatusAction]
    return { assessmentId: Number(r.entity_id), status, at: r.at }
  })
}
