/**
 * Deadline extensions (0013 `round_extensions`): one facility's later
 * closing date in one round. A row is ended, never deleted or rewritten: a
 * change ends the row in force and inserts its successor.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

const EXTENSION_COLUMNS = [
  'round_extensions.id',
  'round_extensions.round_id',
  'round_extensions.facility_id',
  'round_extensions.closes_on',
  'round_extensions.reason',
  'round_extensions.granted_by',
  'round_extensions.granted_at',
] as const

/** The extension in force for a facility in a round, if any. */
export async function getExtensionInForce(
  db: Kysely<Database>,
  roundId: number,
  facilityId: number,
) {
  return db
    .selectFrom('round_extensions')
    .innerJoin('users', 'users.id', 'round_extensions.granted_by')
    .select([...EXTENSION_COLUMNS, 'users.display_name as granted_by_name'])
    .where('round_extensions.round_id', '=', roundId)
    .where('round_extensions.facility_id', '=', facilityId)
    .where('round_extensions.ended_at', 'is', null)
    .executeTakeFirst()
}

/** Every extension of a facility in a round, newest first, ended ones included. */
export async function listExtensionHistory(
  db: Kysely<Database>,
  roundId: number,
  facilityId: number,
) {
  return db
    .selectFrom('round_extensions')
    .innerJoin('users as granter', 'granter.id', 'round_extensions.granted_by')
    .leftJoin('users as ender', 'ender.id', 'round_extensions.ended_by')
    .select([
      ...EXTENSION_COLUMNS,
      'round_extensions.ended_at',
      'round_extensions.ended_how',
      'granter.display_name as granted_by_name',
      'ender.display_name as ended_by_name',
    ])
    .where('round_extensions.round_id', '=', roundId)
    .where('round_extensions.facility_id', '=', facilityId)
    .orderBy('round_extensions.id', 'desc')
    .execute()
}

export async function insertExtension(
  db: Kysely<Database>,
  input: {
    roundId: number
    facilityId: number
    closesOn: string
    reason: string
    grantedBy: number
    now: string
  },
) {
  const row = await db
    .insertInto('round_extensions')
    .values({
      round_id: input.roundId,
      facility_id: input.facilityId,
      closes_on: input.closesOn,
      reason: input.reason,
      granted_by: input.grantedBy,
      granted_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Ends the row if it is still in force; false when someone else ended it first. */
export async function endExtension(
  db: Kysely<Database>,
  id: number,
  how: 'changed' | 'withdrawn',
  userId: number,
  now: string,
) {
  const result = await db
    .updateTable('round_extensions')
    .set({ ended_at: now, ended_by: userId, ended_how: how })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}
