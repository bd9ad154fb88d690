/**
 * Signing in: rate limit, verify, audit, start a session — the password
 * step, then the second factor. Messages never say whether a login exists
 * or is disabled; the unknown-login path still runs argon2 so its timing
 * matches a wrong password, and the audit row keeps the real reason.
 */
import type { Kysely } from 'kysely'
import type { Database, Role, SessionStage } from '../../db/schema.ts'
import { hashRecoveryCode, isRecoveryCodeShape, matchTotpStep } from '../account/totp.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  countAddressFailures,
  countConsecutiveFailures,
  countFailuresEverywhere,
  recordLoginAttempt,
} from '../models/login-attempt.server.ts'
import { spendRecoveryCode } from '../models/recovery-code.server.ts'
import { acceptTotpStep, getUserByLogin, getUserCredentials } from '../models/user.server.ts'
import { getEnv } from './env.server.ts'
import { getDummyHash, verifyPassword } from './password.server.ts'
import { createUserSession, type SessionState } from './session.server.ts'
import { isoMinutesAgo, nowIso } from './time.server.ts'

/** Failures from one address across all logins before it counts as under attack. */
const ADDRESS_FAILURE_FACTOR = 10
/**
 * From an address under attack (a hospital's NAT, say), an account is
 * refused after this many failures of its own instead of LOGIN_MAX_FAILURES
 * — never before it has any: the colleagues behind the same address still
 * sign in, while a sprayer gets few guesses per account.
 */
export const FLAGGED_ADDRESS_ACCOUNT_FAILURES = 3

export interface RequestMeta {
  clientIp: string
  requestId: string
}

export type LoginResult =
  | { ok: true; setCookie: string; userId: number; stage: SessionStage }
  | { ok: false; reason: 'invalid' | 'rate_limited'; retryMinutes?: number }

export interface LoginInput extends RequestMeta {
  login: string
  password: string
}

function auditSignIn(
  db: Kysely<Database>,
  meta: RequestMeta,
  login: string,
  action: string,
  userId: number | null,
  detail: Record<string, unknown> = {},
) {
  return writeAudit(db, {
    at: nowIso(),
    actorId: userId,
    action,
    entityType: 'user',
    entityId: userId,
    detail: { login, ...detail },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
}

/** Does this role have to use a second factor (MFA_REQUIRED_ROLES)? */
export function secondFactorRequired(role: Role): boolean {
  return getEnv().MFA_REQUIRED_ROLES.includes(role)
}

/** Where a user who has passed the password goes next. */
export function stageAfterPassword(user: { role: Role; totp_secret: string | null }): SessionStage {
  if (user.totp_secret !== null) return 'second_factor'
  return secondFactorRequired(user.role) ? 'enrol' : 'full'
}

/**
 * The user has proven the password (at the login form, or by setting one
 * through a link): a session at the stage they have reached, audited.
 */
export async function startSignIn(
  db: Kysely<Database>,
  request: Request,
  user: { id: number; login: string; role: Role; totp_secret: string | null },
  meta: RequestMeta,
  via: 'password' | 'link',
): Promise<{ setCookie: string; stage: SessionStage }> {
  const stage = stageAfterPassword(user)
  const session = await createUserSession(db, request, user.id, meta.clientIp, stage)
  await auditSignIn(
    db,
    meta,
    user.login,
    stage === 'full' ? 'login.success' : 'login.password_ok',
    user.id,
    { via, next: stage },
  )
  return { setCookie: session.setCookie, stage }
}

export async function authenticate(
  db: Kysely<Database>,
  request: Request,
  input: LoginInput,
): Promise<LoginResult> {
  const env = getEnv()
  const since = isoMinutesAgo(env.LOGIN_WINDOW_MINUTES)
  const record = (succeeded: boolean) =>
    recordLoginAttempt(db, { login: input.login, ip: input.clientIp, succeeded, at: nowIso() })

  const [perAccount, perAddress] = await Promise.all([
    countConsecutiveFailures(db, input.login, input.clientIp, since),
    countAddressFailures(db, input.clientIp, since),
  ])
  const addressFlagged = perAddress >= env.LOGIN_MAX_FAILURES * ADDRESS_FAILURE_FACTOR
  if (
    perAccount >= env.LOGIN_MAX_FAILURES ||
    (addressFlagged && perAccount >= FLAGGED_ADDRESS_ACCOUNT_FAILURES)
  ) {
    await record(false)
    await auditSignIn(db, input, input.login, 'login.rate_limited', null, {
      perAccount,
      perAddress,
    })
    return { ok: false, reason: 'rate_limited', retryMinutes: env.LOGIN_WINDOW_MINUTES }
  }

  const user = await getUserByLogin(db, input.login)
  const valid = await verifyPassword(user?.password_hash ?? (await getDummyHash()), input.password)
  if (!user || !valid) {
    await record(false)
    const reason = !user ? 'unknown_login' : user.password_hash ? 'wrong_password' : 'no_password'
    await auditSignIn(db, input, input.login, 'login.failed', user?.id ?? null, { reason })
    return { ok: false, reason: 'invalid' }
  }
  if (user.disabled === 1) {
    // The same answer as a wrong password: the form must not confirm that
    // a password is right. The audit row keeps the reason.
    await record(false)
    await auditSignIn(db, input, input.login, 'login.refused_disabled', user.id)
    return { ok: false, reason: 'invalid' }
  }
  await record(true)
  const started = await startSignIn(db, request, user, input, 'password')
  return { ok: true, setCookie: started.setCookie, userId: user.id, stage: started.stage }
}

export type SecondFactorLimit = { limited: false } | { limited: true; retryMinutes: number }

/**
 * Wrong second-factor codes are limited like passwords: LOGIN_MAX_FAILURES
 * in a row per account and address, and ten times that per account from
 * all addresses (someone who has the password trying codes from many).
 */
export async function checkSecondFactorLimit(
  db: Kysely<Database>,
  login: string,
  clientIp: string,
): Promise<SecondFactorLimit> {
  const env = getEnv()
  const since = isoMinutesAgo(env.LOGIN_WINDOW_MINUTES)
  const [here, everywhere] = await Promise.all([
    countConsecutiveFailures(db, login, clientIp, since, 'second_factor'),
    countFailuresEverywhere(db, login, since, 'second_factor'),
  ])
  if (
    here >= env.LOGIN_MAX_FAILURES ||
    everywhere >= env.LOGIN_MAX_FAILURES * ADDRESS_FAILURE_FACTOR
  )
    return { limited: true, retryMinutes: env.LOGIN_WINDOW_MINUTES }
  return { limited: false }
}

export async function recordSecondFactorAttempt(
  db: Kysely<Database>,
  login: string,
  clientIp: string,
  succeeded: boolean,
): Promise<void> {
  await recordLoginAttempt(db, {
    login,
    ip: clientIp,
    succeeded,
    at: nowIso(),
    factor: 'second_factor',
  })
}

export type SecondFactorResult =
  | { kind: 'signed_in'; setCookie: string; usedRecoveryCode: boolean }
  | { kind: 'invalid' }
  | { kind: 'rate_limited'; retryMinutes: number }

/**
 * The second step of signing in: a TOTP code (each accepted once) or one of
 * the user's recovery codes. Success rotates the session into a full one.
 */
export async function verifySecondFactor(
  db: Kysely<Database>,
  request: Request,
  state: SessionState & { stage: 'second_factor' },
  code: string,
  meta: RequestMeta,
): Promise<SecondFactorResult> {
  const { user } = state
  const limit = await checkSecondFactorLimit(db, user.login, meta.clientIp)
  if (limit.limited) {
    await recordSecondFactorAttempt(db, user.login, meta.clientIp, false)
    await auditSignIn(db, meta, user.login, 'login.second_factor_rate_limited', user.id)
    return { kind: 'rate_limited', retryMinutes: limit.retryMinutes }
  }
  const credentials = await getUserCredentials(db, user.id)
  let accepted: 'totp' | 'recovery_code' | null = null
  if (credentials?.totp_secret) {
    if (isRecoveryCodeShape(code)) {
      if (await spendRecoveryCode(db, user.id, hashRecoveryCode(code), nowIso()))
        accepted = 'recovery_code'
    } else {
      // Apps show codes as "123 456"; the space is not part of it.
      const step = matchTotpStep(credentials.totp_secret, code.replace(/\s/g, ''))
      if (step !== null && (await acceptTotpStep(db, user.id, step))) accepted = 'totp'
    }
  }
  await recordSecondFactorAttempt(db, user.login, meta.clientIp, accepted !== null)
  if (accepted === null) {
    await auditSignIn(db, meta, user.login, 'login.second_factor_failed', user.id)
    return { kind: 'invalid' }
  }
  const session = await createUserSession(db, request, user.id, meta.clientIp, 'full')
  await auditSignIn(db, meta, user.login, 'login.success', user.id, { factor: accepted })
  return {
    kind: 'signed_in',
    setCookie: session.setCookie,
    usedRecoveryCode: accepted === 'recovery_code',
  }
}

export type PasswordConfirmation =
  | { ok: true }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'rate_limited'; retryMinutes: number }

/**
 * Asks a signed-in user's password again, as an e-signature (the director's
 * sign-off of a submission). The same argon2 check and the same limit per
 * account and address as sign-in; a wrong password counts as a failed
 * sign-in (and is audited as `refusedAction`), so a borrowed session cannot
 * guess it. The one re-check: the account pages' `confirmCurrentPassword`
 * calls it too.
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
    row.password_hash !== null &&
    (await verifyPassword(row.password_hash, password))
  if (!valid) {
    await refuse('wrong_password')
    return { ok: false, reason: 'invalid' }
  }
  return { ok: true }
}
