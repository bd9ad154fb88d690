/** Sign-in attempts, for rate limiting (and kept as a record of every attempt). */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

export async function recordLoginAttempt(
  db: Kysely<Database>,
  attempt: { login: string; ip: string; succeeded: boolean; at: string },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({
      login: attempt.login,
      ip: attempt.ip,
      succeeded: attempt.succeeded ? 1 : 0,
      created_at: attempt.at,
    })
    .execute()
}

/**
 * Consecutive failures for this login from this address since `since`
 * (failures after the last success), so an attacker elsewhere cannot lock
 * the real user out.
 */
export async function countConsecutiveFailures(
  db: Kysely<Database>,
  login: string,
  ip: string,
  since: string,
): Promise<number> {
  const lastSuccess = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('login', '=', login)
    .where('ip', '=', ip)
    .where('succeeded', '=', 1)
    .executeTakeFirst()
  const from = lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('login', '=', login)
    .where('ip', '=', ip)
    .where('succeeded', '=', 0)
    .where('created_at', '>', from)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Failures from one address across all logins since `since` (password spraying). */
export async function countAddressFailures(
  db: Kysely<Database>,
  ip: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', ip)
    .where('succeeded', '=', 0)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
