/** Changing one's own password, and setting one through a link. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import { revokeOtherSessions } from '../models/session.server.ts'
import { setUserPassword } from '../models/user.server.ts'
import { checkNewPassword, hashPassword, type PasswordProblem } from '../utils/password.server.ts'
import { confirmPassword, type RequestMeta } from '../utils/login.server.ts'
import type { SessionUser } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'

export type ChangePasswordResult =
  | { kind: 'changed'; otherSessionsEnded: number }
  | { kind: 'current_wrong' }
  | { kind: 'rate_limited'; retryMinutes: number }
  | { kind: 'weak'; problem: PasswordProblem }

/**
 * Current password required (counted like a sign-in, so a borrowed session
 * cannot guess it), the new one under the same rule as every new password;
 * every other session of the user ends.
 */
export async function changePassword(
  db: Kysely<Database>,
  user: SessionUser,
  current: string,
  next: string,
  meta: RequestMeta,
): Promise<ChangePasswordResult> {
  const check = await confirmCurrentPassword(db, user, current, meta, 'password.change_refused')
  if (check.kind !== 'ok') return check
  const problem = await checkNewPassword(next, user.login)
  if (problem) return { kind: 'weak', problem }
  const now = nowIso()
  const hash = await hashPassword(next)
  const ended = await db.transaction().execute(async (trx) => {
    await setUserPassword(trx, user.id, hash, now)
    return revokeOtherSessions(trx, user.id, user.sessionIdHash, now)
  })
  await audit(db, user.id, 'password.changed', meta, { otherSessionsEnded: ended })
  return { kind: 'changed', otherSessionsEnded: ended }
}

export type CurrentPasswordCheck =
  { kind: 'ok' } | { kind: 'current_wrong' } | { kind: 'rate_limited'; retryMinutes: number }

/**
 * Re-asks the password before a change to the account's security (new
 * password, second factor, recovery codes): the one re-check, `confirmPassword`
 * (counted and limited like a sign-in, so a borrowed session cannot guess it).
 */
export async function confirmCurrentPassword(
  db: Kysely<Database>,
  user: SessionUser,
  password: string,
  meta: RequestMeta,
  refusedAction: string,
): Promise<CurrentPasswordCheck> {
  const check = await confirmPassword(db, user, password, meta, refusedAction)
  if (check.ok) return { kind: 'ok' }
  if (check.reason === 'rate_limited')
    return { kind: 'rate_limited', retryMinutes: check.retryMinutes }
  return { kind: 'current_wrong' }
}

function audit(
  db: Kysely<Database>,
  userId: number,
  action: string,
  meta: RequestMeta,
  detail: Record<string, unknown>,
) {
  return writeAudit(db, {
    at: nowIso(),
    actorId: userId,
    action,
    entityType: 'user',
    entityId: userId,
    detail,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
}
