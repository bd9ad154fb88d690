/**
 * Sliding-window rate limits kept in the database (rate_events, 0022), so
 * every application process behind a load balancer counts the same window:
 * a limit of 30 a minute is 30 whichever process answers. A restart forgets
 * nothing; expired events are deleted by the next event of their bucket.
 */
import type { Kysely } from 'kysely'
import type { Database, RateBucket } from '../../db/schema.ts'
import {
  deleteRateEventsUpTo,
  insertRateEvent,
  readRateWindow,
} from '../models/rate-event.server.ts'
import { lockKeyForWriting } from '../models/sql-dialect.server.ts'

/** At most `max` events per key in any `windowMs`. */
export interface RateLimit {
  max: number
  windowMs: number
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number }

/**
 * Whether one more event fits a window holding `count` events, the oldest at
 * `oldest`; when it does not, the wait until the oldest leaves the window:
 * retryAfter = max(1, ⌈(oldest + windowMs − now) / 1000⌉) seconds.
 */
export function windowDecision(
  count: number,
  oldest: number | null,
  now: number,
  limit: RateLimit,
): RateDecision {
  if (count < limit.max) return { ok: true }
  const first = oldest ?? now
  return {
    ok: false,
    retryAfterSeconds: Math.max(1, Math.ceil((first + limit.windowMs - now) / 1000)),
  }
}

/** Records an event of `key` at `now` when the window has room; otherwise says how long to wait. */
export async function takeRate(
  db: Kysely<Database>,
  bucket: RateBucket,
  key: string | number,
  limit: RateLimit,
  now: number,
): Promise<RateDecision> {
  const who = String(key)
  const since = now - limit.windowMs
  return db.transaction().execute(async (trx) => {
    await lockKeyForWriting(trx, `rate:${bucket}:${who}`)
    await deleteRateEventsUpTo(trx, bucket, since)
    const window = await readRateWindow(trx, bucket, who, since)
    const decision = windowDecision(window.count, window.oldest, now, limit)
    if (decision.ok) await insertRateEvent(trx, bucket, who, now)
    return decision
  })
}
