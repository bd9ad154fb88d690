/**
 * Enrolling, re-enrolling and turning off the second factor, and recovery
 * codes. The sign-in step itself is in app/utils/login.server.ts.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import { countUnusedRecoveryCodes, replaceRecoveryCodes } from '../models/recovery-code.server.ts'
import { clearUserTotp, getUserCredentials, setUserTotp } from '../models/user.server.ts'
import {
  checkSecondFactorLimit,
  recordSecondFactorAttempt,
  secondFactorRequired,
  type RequestMeta,
} from '../utils/login.server.ts'
import { promoteUserSession, type SessionState } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'
import {
  enrolmentSecret,
  enrolmentView,
  generateRecoveryCodes,
  hashRecoveryCode,
  matchTotpStep,
  type EnrolmentView,
} from './totp.server.ts'

export interface TwoFactorStatus {
  enrolledAt: string | null
  recoveryCodesLeft: number
  required: boolean
}

export async function getTwoFactorStatus(
  db: Kysely<Database>,
  userId: number,
): Promise<TwoFactorStatus> {
  const [user, left] = await Promise.all([
    getUserCredentials(db, userId),
    countUnusedRecoveryCodes(db, userId),
  ])
  if (!user) throw new Error(`user ${userId} vanished`)
  return {
    enrolledAt: user.totp_enrolled_at,
    recoveryCodesLeft: left,
    required: secondFactorRequired(user.role),
  }
}

/** The QR code and secret offered to this session's user (derived; nothing is written). */
export async function getEnrolmentView(
  db: Kysely<Database>,
  state: SessionState,
): Promise<EnrolmentView> {
  const user = await getUserCredentials(db, state.user.id)
  if (!user) throw new Error(`user ${state.user.id} vanished`)
  return enrolmentView(
    enrolmentSecret(state.token, user.id, user.totp_enrolled_at),
    state.user.login,
  )
}

async function newRecoveryCodes(db: Kysely<Database>, userId: number, now: string) {
  const codes = generateRecoveryCodes()
  await replaceRecoveryCodes(db, userId, codes.map(hashRecoveryCode), now)
  return codes
}

export type EnrolmentResult =
  | { kind: 'enrolled'; recoveryCodes: string[]; setCookie: string | null }
  | { kind: 'invalid' }
  | { kind: 'rate_limited'; retryMinutes: number }

/**
 * Confirms the offered secret with a code from the app: stores it, replaces
 * the recovery codes, and — for a session that had to enrol before anything
 * else — rotates it into a full session. Wrong codes count like wrong
 * second-factor codes at sign-in.
 */
export async function confirmEnrolment(
  db: Kysely<Database>,
  request: Request,
  state: SessionState,
  code: string,
  meta: RequestMeta,
): Promise<EnrolmentResult> {
  const { user } = state
  const limit = await checkSecondFactorLimit(db, user.login, meta.clientIp)
  if (limit.limited) {
    await recordSecondFactorAttempt(db, user.login, meta.clientIp, false)
    return { kind: 'rate_limited', retryMinutes: limit.retryMinutes }
  }
  const current = await getUserCredentials(db, user.id)
  if (!current) throw new Error(`user ${user.id} vanished`)
  const secret = enrolmentSecret(state.token, user.id, current.totp_enrolled_at)
  const step = matchTotpStep(secret, code.replace(/\s/g, ''))
  await recordSecondFactorAttempt(db, user.login, meta.clientIp, step !== null)
  if (step === null) return { kind: 'invalid' }
  const now = nowIso()
  const recoveryCodes = await db.transaction().execute(async (trx) => {
    await setUserTotp(trx, user.id, secret, step, now)
    return newRecoveryCodes(trx, user.id, now)
  })
  await writeAudit(db, {
    at: now,
    actorId: user.id,
    action: current.totp_enrolled_at ? 'mfa.reenrolled' : 'mfa.enrolled',
    entityType: 'user',
    entityId: user.id,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  let setCookie: string | null = null
  if (state.stage === 'enrol') {
    setCookie = await promoteUserSession(db, request, state)
    await writeAudit(db, {
      at: now,
      actorId: user.id,
      action: 'login.success',
      entityType: 'user',
      entityId: user.id,
      detail: { login: user.login, factor: 'enrolment' },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
  }
  return { kind: 'enrolled', recoveryCodes, setCookie }
}

/** Ten new recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(
  db: Kysely<Database>,
  userId: number,
  meta: RequestMeta,
): Promise<string[]> {
  const now = nowIso()
  const codes = await db.transaction().execute((trx) => newRecoveryCodes(trx, userId, now))
  await writeAudit(db, {
    at: now,
    actorId: userId,
    action: 'mfa.recovery_codes_replaced',
    entityType: 'user',
    entityId: userId,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return codes
}

/**
 * Removes a user's second factor and recovery codes. `actorId` is the user
 * themselves (only when their role does not require one) or an
 * administrator resetting it (the caller checks which).
 */
export async function removeTwoFactor(
  db: Kysely<Database>,
  userId: number,
  actorId: number | null,
  meta: RequestMeta,
  action: 'mfa.disabled' | 'mfa.reset',
): Promise<void> {
  const now = nowIso()
  await db.transaction().execute(async (trx) => {
    await clearUserTotp(trx, userId, now)
    await replaceRecoveryCodes(trx, userId, [], now)
  })
  await writeAudit(db, {
    at: now,
    actorId,
    action,
    entityType: 'user',
    entityId: userId,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
}
