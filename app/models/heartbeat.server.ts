/** The heartbeat row (migration 0006): a commit that proves the database can write now. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

/** Rewrites the one heartbeat row; throws what the database throws (SQLITE_FULL, SQLITE_READONLY …). */
export async function writeHeartbeat(db: Kysely<Database>, at: string): Promise<void> {
  await db
    .insertInto('heartbeat')
    .values({ id: 1, at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ at }))
    .execute()
}
