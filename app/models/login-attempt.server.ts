/** Sign-in attempts, for rate limiting (and kept as a record of every attempt). */
import type { Kysely } from 'kysely'
import type { Database, LoginFactor } from '../../db/schema.ts'

export async function recordLoginAttempt(
  db: Kysely<Database>,
  attempt: { login: string; ip: string; succeeded: boolean; at: string; factor?: LoginFactor },
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({
      login: attempt.login,
      ip: attempt.ip,
      succeeded: attempt.succeeded ? 1 : 0,
      created_at: attempt.at,
      factor: attempt.factor ?? 'password',
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
  factor: LoginFactor = 'password',
): Promise<number> {
  return countFailuresSinceSuccess(db, { login, ip, factor }, since)
}

/**
 * Failures of one login's second factor from every address since its last
 * success there (someone who has the password trying codes from many
 * addresses).
 */
export async function countFailuresEverywhere(
  db: Kysely<Database>,
  login: string,
  since: string,
  factor: LoginFactor,
): Promise<number> {
  return countFailuresSinceSuccess(db, { login, factor }, since)
}

async function countFailuresSinceSuccess(
  db: Kysely<Database>,
  key: { login: string; ip?: string; factor: LoginFactor },
  since: string,
): Promise<number> {
  let success = db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('login', '=', key.login)
    .where('factor', '=', key.factor)
    .where('succeeded', '=', 1)
  if (key.ip !== undefined) success = success.where('ip', '=', key.ip)
  const lastSuccess = await success.executeTakeFirst()
  const from = lastSuccess?.at && lastSuccess.at > since ? lastSuccess.at : since
  let failures = db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('login', '=', key.login)
    .where('factor', '=', key.factor)
    .where('succeeded', '=', 0)
    .where('created_at', '>', from)
  if (key.ip !== undefined) failures = failures.where('ip', '=', key.ip)
  const row = await failures.executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Password failures from one address across all logins since `since` (password spraying). */
export async function countAddressFailures(
  db: Kysely<Database>,
  ip: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ip', '=', ip)
    .where('factor', '=', 'password')
    .where('succeeded', '=', 0)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
