/** The reviewers' facilities table: filtered, searched, sorted and paged in SQL. */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { currentScoreJoin } from './score.server.ts'

export interface FacilityListQuery {
  roundId: number | null
  province?: string
  tier?: 'central' | 'provincial' | 'basic'
  ownership?: 'public' | 'private'
  status?: 'not_started' | 'draft' | 'submitted' | 'returned' | 'verified'
  level?: string
  emr?: 'none' | 'in_progress' | 'live'
  /** Already folded with foldSearchKey. */
  search?: string
  /** A column, or `domain.<domainId>` to sort by one domain's score. */
  sort: 'name' | 'code' | 'composite' | 'level' | `domain.${string}`
  dir: 'asc' | 'desc'
  page: number
  pageSize: number
}

/** LIKE pattern for a folded search text, with %, _ and \ escaped. */
export function likePattern(folded: string): string {
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function baseQuery(db: Kysely<Database>, filter: FacilityFilter, q: FacilityListQuery) {
  let query = whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', q.roundId ?? -1),
    )
    .leftJoin('scores', currentScoreJoin)
  if (q.province) query = query.where('facilities.province_code', '=', q.province)
  if (q.tier) query = query.where('facilities.tier', '=', q.tier)
  if (q.ownership) query = query.where('facilities.ownership', '=', q.ownership)
  if (q.emr) query = query.where('facilities.emr_status', '=', q.emr)
  if (q.level) query = query.where('scores.level', '=', q.level)
  if (q.status === 'not_started') query = query.where('assessments.id', 'is', null)
  else if (q.status) query = query.where('assessments.status', '=', q.status)
  if (q.search)
    query = query.where(
      sql<boolean>`facilities.search_key LIKE ${likePattern(q.search)} ESCAPE '\\'`,
    )
  return query
}

export async function countFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: FacilityListQuery,
) {
  const row = await baseQuery(db, filter, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: FacilityListQuery,
) {
  const sortColumn = {
    name: 'facilities.search_key',
    code: 'facilities.code',
    composite: 'scores.composite_bp',
    level: 'scores.level',
  } as const
  const domainId = q.sort.startsWith('domain.') ? q.sort.slice('domain.'.length) : null
  const base = baseQuery(db, filter, q)
    // A domain's score comes from score_domains (kept in step with scores by triggers).
    .leftJoin('score_domains', (join) =>
      join
        .onRef('score_domains.score_id', '=', 'scores.id')
        .on('score_domains.domain_id', '=', domainId ?? ''),
    )
  const sorted =
    domainId === null
      ? base.orderBy(sortColumn[q.sort as keyof typeof sortColumn], q.dir)
      : // Facilities without a score go last whichever the direction.
        base.orderBy(sql`score_domains.score_bp IS NULL`).orderBy('score_domains.score_bp', q.dir)
  return sorted
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'facilities.ownership',
      'facilities.emr_status',
      'provinces.name as province_name',
      'assessments.id as assessment_id',
      'assessments.status',
      'scores.composite_bp',
      'scores.level',
      'score_domains.score_bp as domain_bp',
    ])
    .orderBy('facilities.code')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute()
}
