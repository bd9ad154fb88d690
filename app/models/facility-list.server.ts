/** The reviewers' facilities table: filtered, searched, sorted and paged in SQL. */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
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

/**
 * The page's filters over `facilities` alone: the registry columns directly,
 * the round's status and the current score's level as EXISTS tests, so a
 * count or a name-ordered page reads no assessment or score row it does not
 * test (the joins cost more than the rows at 13,000 facilities).
 */
function filteredFacilities(db: Kysely<Database>, filter: FacilityFilter, q: FacilityListQuery) {
  let query = whereInScope(db.selectFrom('facilities'), filter)
  if (q.province) query = query.where('facilities.province_code', '=', q.province)
  if (q.tier) query = query.where('facilities.tier', '=', q.tier)
  if (q.ownership) query = query.where('facilities.ownership', '=', q.ownership)
  if (q.emr) query = query.where('facilities.emr_status', '=', q.emr)
  if (q.search)
    query = query.where(
      sql<boolean>`facilities.search_key LIKE ${likePattern(q.search)} ESCAPE '\\'`,
    )
  // The facility's assessment in the round, as a correlated subquery of the outer row.
  const roundAssessment = (eb: ExpressionBuilder<Database, 'facilities'>) =>
    eb
      .selectFrom('assessments')
      .whereRef('assessments.facility_id', '=', 'facilities.id')
      .where('assessments.round_id', '=', q.roundId ?? -1)
  if (q.status === 'not_started') {
    query = query.where((eb) => eb.not(eb.exists(roundAssessment(eb).select('assessments.id'))))
  } else if (q.status) {
    const status = q.status
    query = query.where((eb) =>
      eb.exists(
        roundAssessment(eb).where('assessments.status', '=', status).select('assessments.id'),
      ),
    )
  }
  if (q.level) {
    const level = q.level
    query = query.where((eb) =>
      eb.exists(
        roundAssessment(eb)
          .innerJoin('scores', currentScoreJoin)
          .where('scores.level', '=', level)
          .select('scores.id'),
      ),
    )
  }
  return query
}

export async function countFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: FacilityListQuery,
) {
  const row = await filteredFacilities(db, filter, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const SORT_COLUMNS = {
  name: 'facilities.search_key',
  code: 'facilities.code',
  composite: 'scores.composite_bp',
  level: 'scores.level',
} as const

/**
 * One page of the table. The page is cut first — the filtered facilities'
 * ids in the page's order, `LIMIT/OFFSET` over as little as that order needs
 * (`facilities` alone for name and code; with the current score, or a
 * domain's score, when sorting by one) — and only its rows are then joined
 * to their province, assessment and score: a deep page no longer joins every
 * row before it. Ties are broken by code, so the order is total.
 */
export async function listFacilities(
  db: Kysely<Database>,
  filter: FacilityFilter,
  q: FacilityListQuery,
) {
  const domainId = q.sort.startsWith('domain.') ? q.sort.slice('domain.'.length) : null
  const byScore = q.sort !== 'name' && q.sort !== 'code'
  const withScores = () =>
    filteredFacilities(db, filter, q)
      .leftJoin('assessments', (join) =>
        join
          .onRef('assessments.facility_id', '=', 'facilities.id')
          .on('assessments.round_id', '=', q.roundId ?? -1),
      )
      .leftJoin('scores', currentScoreJoin)
      // A domain's score comes from score_domains (kept in step with scores by triggers).
      .leftJoin('score_domains', (join) =>
        join
          .onRef('score_domains.score_id', '=', 'scores.id')
          .on('score_domains.domain_id', '=', domainId ?? ''),
      )
  const offset = (q.page - 1) * q.pageSize
  const pageIds = !byScore
    ? await filteredFacilities(db, filter, q)
        .select('facilities.id')
        .orderBy(SORT_COLUMNS[q.sort as 'name' | 'code'], q.dir)
        .orderBy('facilities.code')
        .limit(q.pageSize)
        .offset(offset)
        .execute()
    : await (
        domainId === null
          ? withScores().orderBy(SORT_COLUMNS[q.sort as 'composite' | 'level'], q.dir)
          : // Facilities without a score go last whichever the direction.
            withScores()
              .orderBy(sql`score_domains.score_bp IS NULL`)
              .orderBy('score_domains.score_bp', q.dir)
      )
        .select('facilities.id')
        .orderBy('facilities.code')
        .limit(q.pageSize)
        .offset(offset)
        .execute()
  if (pageIds.length === 0) return []
  const rows = await db
    .selectFrom('facilities')
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', q.roundId ?? -1),
    )
    .leftJoin('scores', currentScoreJoin)
    .leftJoin('score_domains', (join) =>
      join
        .onRef('score_domains.score_id', '=', 'scores.id')
        .on('score_domains.domain_id', '=', domainId ?? ''),
    )
    .where(
      'facilities.id',
      'in',
      pageIds.map((r) => r.id),
    )
    .select([
      'facilities.id',
      'facilities.code',
      'facilities.name',
      'facilities.tier',
      'facilities.ownership',
      'facilities.emr_status',
      'facilities.province_code',
      'provinces.name as province_name',
      'assessments.id as assessment_id',
      'assessments.status',
      'scores.composite_bp',
      'scores.level',
      'score_domains.score_bp as domain_bp',
    ])
    .execute()
  // Back into the page's order (the IN list does not keep it).
  const position = new Map(pageIds.map((r, i) => [r.id, i]))
  return rows.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0))
}
