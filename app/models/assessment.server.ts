/** Assessments: status summaries for home pages. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { whereInScope } from './facility.server.ts'

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
