/** Round progress per province: facilities by status and by level. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'
import { currentScoreJoin } from './score.server.ts'

export async function countByProvinceAndStatus(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('provinces', 'provinces.code', 'facilities.province_code')
    .leftJoin('assessments', (join) =>
      join
        .onRef('assessments.facility_id', '=', 'facilities.id')
        .on('assessments.round_id', '=', roundId),
    )
    .select([
      'facilities.province_code',
      'provinces.name as province_name',
      (eb) => eb.fn.coalesce('assessments.status', eb.val('not_started')).as('status'),
      (eb) => eb.fn.countAll<number>().as('count'),
    ])
    .groupBy(['facilities.province_code', 'provinces.name', 'status'])
    .orderBy('facilities.province_code')
    .execute()
}

export async function countByProvinceAndLevel(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
) {
  return whereInScope(db.selectFrom('facilities'), filter)
    .innerJoin('assessments', 'assessments.facility_id', 'facilities.id')
    .innerJoin('scores', currentScoreJoin)
    .select([
      'facilities.province_code',
      'scores.level',
      (eb) => eb.fn.countAll<number>().as('count'),
    ])
    .where('assessments.round_id', '=', roundId)
    .where('assessments.status', 'in', ['submitted', 'verified'])
    .groupBy(['facilities.province_code', 'scores.level'])
    .execute()
}
