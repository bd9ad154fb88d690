/**
 * Signing in: rate limit, verify, audit, start a session. Messages never say
 * whether a login exists; the unknown-login path still runs argon2 so its
 * timing matches a wrong password.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  countAddressFailures,
  countConsecutiveFailures,
  recordLoginAttempt,
} from '../models/login-attempt.server.ts'
import { getUserByLogin } from '../models/user.server.ts'
import { getEnv } from './env.server.ts'
import { getDummyHash, verifyPassword } from './password.server.ts'
import { createUserSession } from './session.server.ts'
import { isoMinutesAgo, nowIso } from './time.server.ts'

/** Failures from one address across all logins before it is refused. */
const ADDRESS_FAILURE_FACTOR = 10

export type LoginResult =
  | { ok: true; setCookie: string; userId: number }
  | { ok: false; reason: 'invalid' | 'disabled' | 'rate_limited'; retryMinutes?: number }

export interface LoginInput {
  login: string
  password: string
  clientIp: string
  requestId: string
}

export async function authenticate(
  db: Kysely<Database>,
  request: Request,
  input: LoginInput,
): Promise<LoginResult> {
  const env = getEnv()
  const since = isoMinutesAgo(env.LOGIN_WINDOW_MINUTES)
  const audit = (action: string, actorId: number | null, detail: Record<string, unknown>) =>
    writeAudit(db, {
      at: nowIso(),
      actorId,
      action,
      entityType: 'user',
      entityId: actorId,
      detail: { login: input.login, ...detail },
      ip: input.clientIp,
      requestId: input.requestId,
    })

  const [perAccount, perAddress] = await Promise.all([
    countConsecutiveFailures(db, input.login, input.clientIp, since),
    countAddressFailures(db, input.clientIp, since),
  ])
  if (
    perAccount >= env.LOGIN_MAX_FAILURES ||
    perAddress >= env.LOGIN_MAX_FAILURES * ADDRESS_FAILURE_FACTOR
  ) {
    await recordLoginAttempt(db, {
      login: input.login,
      ip: input.clientIp,
      succeeded: false,
      at: nowIso(),
    })
    await audit('login.rate_limited', null, { perAccount, perAddress })
    return { ok: false, reason: 'rate_limited', retryMinutes: env.LOGIN_WINDOW_MINUTES }
  }

  const user = await getUserByLogin(db, input.login)
  const valid = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password)
  if (!user || !valid) {
    await recordLoginAttempt(db, {
      login: input.login,
      ip: input.clientIp,
      succeeded: false,
      at: nowIso(),
    })
    await audit('login.failed', user?.id ?? null, {
      reason: user ? 'wrong_password' : 'unknown_login',
    })
    return { ok: false, reason: 'invalid' }
  }
  if (user.disabled === 1) {
    await recordLoginAttempt(db, {
      login: input.login,
      ip: input.clientIp,
      succeeded: false,
      at: nowIso(),
    })
    await audit('login.refused_disabled', user.id, {})
    return { ok: false, reason: 'disabled' }
  }
  const session = await createUserSession(db, request, user.id, input.clientIp)
  await recordLoginAttempt(db, {
    login: input.login,
    ip: input.clientIp,
    succeeded: true,
    at: nowIso(),
  })
  await audit('login.success', user.id, {})
  return { ok: true, setCookie: session.setCookie, userId: user.id }
}

export type PasswordConfirmation =
  { ok: true } | { ok: false; reason: 'invalid' | 'rate_limited'; retryMinutes?: number }

/**
 * Asks a signed-in user's password again, as an e-signature (the director's
 * sign-off of a submission). The same argon2 check and the same limit per
 * account and address as sign-in; a wrong password counts as a failed
 * sign-in (and is audited as `refusedAction`), so a borrowed session cannot
 * guess it. Callers use this one function: the second-factor work keeps its
 * own re-check of the current password, and this is where to point it.
 */
export async function confirmPassword(
  db: Kysely<Database>,
  user: { id: number; login: string },
  password: string,
  meta: { clientIp: string; requestId: string },
  refusedAction: string,
): Promise<PasswordConfirmation> {
  const env = getEnv()
  const since = isoMinutesAgo(env.LOGIN_WINDOW_MINUTES)
  const refuse = async (reason: 'wrong_password' | 'rate_limited') => {
    await recordLoginAttempt(db, {
      login: user.login,
      ip: meta.clientIp,
      succeeded: false,
      at: nowIso(),
    })
    await writeAudit(db, {
      at: nowIso(),
      actorId: user.id,
      action: refusedAction,
      entityType: 'user',
      entityId: user.id,
      detail: { login: user.login, reason },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
  }
  if (
    (await countConsecutiveFailures(db, user.login, meta.clientIp, since)) >= env.LOGIN_MAX_FAILURES
  ) {
    await refuse('rate_limited')
    return { ok: false, reason: 'rate_limited', retryMinutes: env.LOGIN_WINDOW_MINUTES }
  }
  const row = await getUserByLogin(db, user.login)
  const valid =
    row !== undefined &&
    row.id === user.id &&
    row.disabled === 0 &&
    (await verifyPassword(row.password_hash, password))
  if (!valid) {
    await refuse('wrong_password')
    return { ok: false, reason: 'invalid' }
  }
  return { ok: true }
}
