/** Queries for the shared sliding windows (rate_events, 0022). */
import type { Kysely } from 'kysely'
import type { Database, RateBucket } from '../../db/schema.ts'

/** Forgets the bucket's events at or before `since` (everyone's: the next event of a bucket cleans it). */
export async function deleteRateEventsUpTo(
  db: Kysely<Database>,
  bucket: RateBucket,
  since: number,
): Promise<void> {
  await db
    .deleteFrom('rate_events')
    .where('bucket', '=', bucket)
    .where('at_ms', '<=', since)
    .execute()
}

/** How many events `key` has in the bucket after `since`, and the oldest of them. */
export async function readRateWindow(
  db: Kysely<Database>,
  bucket: RateBucket,
  key: string,
  since: number,
): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .selectFrom('rate_events')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at_ms').as('oldest')])
    .where('bucket', '=', bucket)
    .where('key', '=', key)
    .where('at_ms', '>', since)
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), oldest: row.oldest === null ? null : Number(row.oldest) }
}

export async function insertRateEvent(
  db: Kysely<Database>,
  bucket: RateBucket,
  key: string,
  at: number,
): Promise<void> {
  await db.insertInto('rate_events').values({ bucket, key, at_ms: at }).execute()
}
