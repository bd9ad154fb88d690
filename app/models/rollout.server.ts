/** Waves, their members and milestones (migration 0020): one function per query, db first. */
import { sql, type Kysely } from 'kysely'
import type {
  Database,
  EmrStatus,
  MilestoneKind,
  MilestoneStatus,
  Ownership,
  Tier,
} from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { joinedText } from './sql-dialect.server.ts'

export async function insertWave(
  db: Kysely<Database>,
  input: {
    runId: number
    name: string
    targetGoLive: string
    budgetVnd: number
    adoptedBy: number
    adoptedAt: string
  },
): Promise<number> {
  const row = await db
    .insertInto('waves')
    .values({
      run_id: input.runId,
      name: input.name,
      target_go_live: input.targetGoLive,
      budget_vnd: input.budgetVnd,
      adopted_by: input.adoptedBy,
      adopted_at: input.adoptedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function insertWaveMembers(
  db: Kysely<Database>,
  waveId: number,
  members: ReadonlyArray<{ facilityId: number; costVnd: number }>,
): Promise<void> {
  // 300 rows × 3 values stays well under SQLite's 32,766 bound parameters.
  for (let i = 0; i < members.length; i += 300) {
    await db
      .insertInto('wave_members')
      .values(
        members
          .slice(i, i + 300)
          .map((m) => ({ wave_id: waveId, facility_id: m.facilityId, cost_vnd: m.costVnd })),
      )
      .execute()
  }
}

export async function getWaveIdOfRun(db: Kysely<Database>, runId: number) {
  const row = await db
    .selectFrom('waves')
    .select('id')
    .where('run_id', '=', runId)
    .executeTakeFirst()
  return row?.id ?? null
}

/**
 * Every wave with its size, planned cost (sum of members' costs) and committed
 * spending (members with a confirmed contract), counted within the scope.
 */
export async function listWaves(db: Kysely<Database>, filter: FacilityFilter) {
  return db
    .selectFrom('waves')
    .innerJoin('ranking_runs', 'ranking_runs.id', 'waves.run_id')
    .innerJoin('users', 'users.id', 'waves.adopted_by')
    .leftJoin(membersQuery(db, filter).as('m'), 'm.wave_id', 'waves.id')
    .select([
      'waves.id',
      'waves.name',
      'waves.run_id',
      'ranking_runs.name as run_name',
      'waves.target_go_live',
      'waves.budget_vnd',
      'waves.adopted_at',
      'users.display_name as adopted_by_name',
      sql<number>`coalesce(m.facilities, 0)`.as('facilities'),
      sql<number>`coalesce(m.planned_vnd, 0)`.as('planned_vnd'),
      sql<number>`coalesce(m.committed_vnd, 0)`.as('committed_vnd'),
      sql<number>`coalesce(m.live, 0)`.as('live'),
    ])
    .orderBy('waves.adopted_at', 'desc')
    .orderBy('waves.id', 'desc')
    .execute()
}

function membersQuery(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('wave_members', 'wave_members.facility_id', 'facilities.id')
    .leftJoin('milestones as contract', (join) =>
      join
        .onRef('contract.facility_id', '=', 'wave_members.facility_id')
        .on('contract.kind', '=', 'contract_signed')
        .on('contract.status', '=', 'confirmed'),
    )
    .select((eb) => [
      'wave_members.wave_id',
      eb.fn.countAll<number>().as('facilities'),
      eb.fn.sum<number>('wave_members.cost_vnd').as('planned_vnd'),
      sql<number>`sum(CASE WHEN contract.id IS NULL THEN 0 ELSE wave_members.cost_vnd END)`.as(
        'committed_vnd',
      ),
      sql<number>`sum(CASE WHEN facilities.emr_status = 'live' THEN 1 ELSE 0 END)`.as('live'),
    ])
    .groupBy('wave_members.wave_id')
}

/** The waves a facility belongs to, latest adoption first. */
export async function listWavesOfFacility(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('wave_members')
    .innerJoin('waves', 'waves.id', 'wave_members.wave_id')
    .select(['waves.id', 'waves.name', 'waves.target_go_live', 'waves.adopted_at'])
    .where('wave_members.facility_id', '=', facilityId)
    .orderBy('waves.adopted_at', 'desc')
    .orderBy('waves.id', 'desc')
    .execute()
}

/** Every milestone row of a facility, in step order then newest first (returned rows included). */
export async function listMilestonesOfFacility(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('milestones')
    .leftJoin('users as reviewer', 'reviewer.id', 'milestones.reviewed_by')
    .select([
      'milestones.id',
      'milestones.kind',
      'milestones.occurred_on',
      'milestones.note',
      'milestones.evidence_ref',
      'milestones.status',
      'milestones.proposed_at',
      'milestones.reviewed_at',
      'milestones.review_comment',
      'reviewer.display_name as reviewed_by_name',
    ])
    .where('milestones.facility_id', '=', facilityId)
    .orderBy('milestones.proposed_at', 'desc')
    .orderBy('milestones.id', 'desc')
    .execute()
}

/** The facility's proposed and confirmed steps (returned ones no longer stand). */
export async function listStandingMilestones(db: Kysely<Database>, facilityId: number) {
  return (
    db
      .selectFrom('milestones')
      .select(['kind', 'occurred_on', 'status'])
      .where('facility_id', '=', facilityId)
      .where('status', 'in', ['proposed', 'confirmed'])
      // The WHERE above is what narrows the status; Kysely's types cannot follow it.
      .execute() as Promise<
      Array<{ kind: MilestoneKind; occurred_on: string; status: 'proposed' | 'confirmed' }>
    >
  )
}

export async function insertMilestone(
  db: Kysely<Database>,
  input: {
    facilityId: number
    kind: MilestoneKind
    occurredOn: string
    note: string
    evidenceRef: string | null
    proposedBy: number
    proposedAt: string
  },
): Promise<number> {
  const row = await db
    .insertInto('milestones')
    .values({
      facility_id: input.facilityId,
      kind: input.kind,
      occurred_on: input.occurredOn,
      note: input.note,
      evidence_ref: input.evidenceRef,
      status: 'proposed',
      proposed_by: input.proposedBy,
      proposed_at: input.proposedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function getMilestone(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('milestones')
    .innerJoin('facilities', 'facilities.id', 'milestones.facility_id')
    .select([
      'milestones.id',
      'milestones.facility_id',
      'facilities.province_code',
      'facilities.emr_status',
      'milestones.kind',
      'milestones.occurred_on',
      'milestones.status',
    ])
    .where('milestones.id', '=', id)
    .executeTakeFirst()
}

/** Writes a proposal's review; false when it was no longer proposed (someone else reviewed it). */
export async function reviewMilestone(
  db: Kysely<Database>,
  input: {
    id: number
    status: Exclude<MilestoneStatus, 'proposed'>
    reviewedBy: number
    reviewedAt: string
    comment: string | null
  },
): Promise<boolean> {
  const result = await db
    .updateTable('milestones')
    .set({
      status: input.status,
      reviewed_by: input.reviewedBy,
      reviewed_at: input.reviewedAt,
      review_comment: input.comment,
    })
    .where('id', '=', input.id)
    .where('status', '=', 'proposed')
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export async function listConfirmedKinds(
  db: Kysely<Database>,
  facilityId: number,
): Promise<Set<MilestoneKind>> {
  const rows = await db
    .selectFrom('milestones')
    .select('kind')
    .where('facility_id', '=', facilityId)
    .where('status', '=', 'confirmed')
    .execute()
  return new Set(rows.map((r) => r.kind))
}

/** Only the confirmation module calls this: emr_status follows the confirmed steps. */
export async function setEmrStatus(
  db: Kysely<Database>,
  facilityId: number,
  status: EmrStatus,
): Promise<void> {
  await db
    .updateTable('facilities')
    .set({ emr_status: status })
    .where('id', '=', facilityId)
    .where('emr_status', '<>', status)
    .execute()
}

/** Proposals waiting for a review within the scope, oldest first. */
export async function listPendingMilestones(
  db: Kysely<Database>,
  filter: FacilityFilter,
  limit: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('milestones', 'milestones.facility_id', 'facilities.id')
    .innerJoin('users as proposer', 'proposer.id', 'milestones.proposed_by')
    .select([
      'milestones.id',
      'facilities.id as facility_id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'milestones.kind',
      'milestones.occurred_on',
      'milestones.note',
      'milestones.evidence_ref',
      'milestones.proposed_at',
      'proposer.display_name as proposed_by_name',
    ])
    .where('milestones.status', '=', 'proposed')
    .orderBy('milestones.proposed_at')
    .orderBy('milestones.id')
    .limit(limit)
    .execute()
}

/** How many proposals wait for a review within the scope (the review queue's count). */
export async function countPendingMilestones(
  db: Kysely<Database>,
  filter: FacilityFilter,
): Promise<number> {
  const row = await whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('milestones', 'milestones.facility_id', 'facilities.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('milestones.status', '=', 'proposed')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Open facilities in scope counted by EMR status, tier, ownership and class. */
export async function countFacilitiesByStatus(db: Kysely<Database>, filter: FacilityFilter) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .select((eb) => [
      'facilities.emr_status',
      'facilities.tier',
      'facilities.ownership',
      'facilities.facility_class',
      eb.fn.countAll<number>().as('count'),
    ])
    .where('facilities.closed_at', 'is', null)
    .groupBy([
      'facilities.emr_status',
      'facilities.tier',
      'facilities.ownership',
      'facilities.facility_class',
    ])
    .execute() as Promise<
    Array<{
      emr_status: EmrStatus
      tier: Tier
      ownership: Ownership
      facility_class: 'hospital' | 'other' | null
      count: number
    }>
  >
}

/** Confirmed steps of one kind in scope, counted by month (YYYY-MM) of their date. */
export async function countConfirmedByMonth(
  db: Kysely<Database>,
  filter: FacilityFilter,
  kind: MilestoneKind,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('milestones', 'milestones.facility_id', 'facilities.id')
    .select((eb) => [
      sql<string>`substr(milestones.occurred_on, 1, 7)`.as('month'),
      eb.fn.countAll<number>().as('count'),
    ])
    .where('milestones.kind', '=', kind)
    .where('milestones.status', '=', 'confirmed')
    .groupBy(sql`substr(milestones.occurred_on, 1, 7)`)
    .orderBy('month')
    .execute()
}

/**
 * Each wave member in scope (optionally of one wave) with its facility and its
 * confirmed steps as `kind@date` joined by commas (decoded in the caller's
 * module by `decodeConfirmed`).
 */
export async function listWaveMembers(
  db: Kysely<Database>,
  filter: FacilityFilter,
  waveId: number | null,
) {
  let query = whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('wave_members', 'wave_members.facility_id', 'facilities.id')
    .innerJoin('waves', 'waves.id', 'wave_members.wave_id')
    .innerJoin('ranking_runs', 'ranking_runs.id', 'waves.run_id')
    .innerJoin('rounds', 'rounds.id', 'ranking_runs.round_id')
    .select([
      'facilities.id as facility_id',
      'facilities.code',
      'facilities.name',
      'facilities.province_code',
      'facilities.tier',
      'facilities.ownership',
      'facilities.facility_class',
      'facilities.emr_status',
      'waves.id as wave_id',
      'waves.name as wave_name',
      'waves.adopted_at',
      'waves.target_go_live',
      'wave_members.cost_vnd',
      'rounds.hospital_emr_deadline',
      'rounds.other_emr_deadline',
      sql<string | null>`(SELECT ${joinedText(db, sql`m.kind || '@' || m.occurred_on`, ',')}
          FROM milestones m WHERE m.facility_id = facilities.id AND m.status = 'confirmed')`.as(
        'confirmed',
      ),
    ])
  if (waveId !== null) query = query.where('waves.id', '=', waveId)
  return query.orderBy('facilities.code').orderBy('waves.id').execute()
}

/**
 * Each member in scope of each wave whose target go-live date is before
 * `today` (its outcome is due), with the wave's run and adoption, and the
 * date of the member's confirmed full go-live (null while not live).
 */
export async function listDueWaveOutcomes(
  db: Kysely<Database>,
  filter: FacilityFilter,
  today: string,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('wave_members', 'wave_members.facility_id', 'facilities.id')
    .innerJoin('waves', 'waves.id', 'wave_members.wave_id')
    .leftJoin('milestones as live', (join) =>
      join
        .onRef('live.facility_id', '=', 'facilities.id')
        .on('live.kind', '=', 'full_live')
        .on('live.status', '=', 'confirmed'),
    )
    .select([
      'facilities.id as facility_id',
      'waves.id as wave_id',
      'waves.run_id',
      'waves.adopted_at',
      'live.occurred_on as live_on',
    ])
    .where('waves.target_go_live', '<', today)
    .orderBy('waves.id')
    .orderBy('facilities.id')
    .execute()
}
