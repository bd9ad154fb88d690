/** A facility's history (migration 0009): append-only rows, newest first when read. */
import type { Kysely } from 'kysely'
import type { Database, NewFacilityChange } from '../../db/schema.ts'

export async function insertFacilityChanges(db: Kysely<Database>, rows: NewFacilityChange[]) {
  // 10 columns × 500 rows stays far below SQLite's limit on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('facility_changes')
      .values(rows.slice(i, i + 500))
      .execute()
  }
}

/** The facility's changes with who made them (null: the command line), newest first. */
export async function listFacilityChanges(
  db: Kysely<Database>,
  input: { facilityId: number; limit: number },
) {
  return db
    .selectFrom('facility_changes')
    .leftJoin('users', 'users.id', 'facility_changes.user_id')
    .select([
      'facility_changes.id',
      'facility_changes.kind',
      'facility_changes.field',
      'facility_changes.old_value',
      'facility_changes.new_value',
      'facility_changes.reason',
      'facility_changes.file_sha256',
      'facility_changes.changed_at',
      'users.display_name as user_name',
    ])
    .where('facility_changes.facility_id', '=', input.facilityId)
    .orderBy('facility_changes.id', 'desc')
    .limit(input.limit)
    .execute()
}

/** How many changes a facility has (the page shows the newest and says how many more). */
export async function countFacilityChanges(db: Kysely<Database>, facilityId: number) {
  const row = await db
    .selectFrom('facility_changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('facility_id', '=', facilityId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
