/**
 * Session cookies. The cookie holds a 256-bit random token; the database
 * holds its SHA-256, so sessions can be revoked server-side (logout, a
 * disabled user) and a leaked database does not leak live sessions.
 * Idle and absolute timeouts are checked on every request.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, Role, SessionStage } from '../../db/schema.ts'
import {
  getSessionWithUser,
  insertSession,
  promoteSession,
  revokeSession,
  touchSession,
} from '../models/session.server.ts'
import { getEnv } from './env.server.ts'
import { nowIso } from './time.server.ts'

/** How often last_seen_at is written: enough for the idle timeout, not on every click. */
const TOUCH_INTERVAL_MS = 60_000

/** A session that has passed the password but not the second factor lives this long. */
export const PENDING_SESSION_MINUTES = 10

export interface SessionUser {
  id: number
  login: string
  displayName: string
  role: Role
  facilityId: number | null
  provinceCode: string | null
  sessionIdHash: string
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function isSecure(request: Request): boolean {
  const setting = getEnv().COOKIE_SECURE
  if (setting === 'auto') return new URL(request.url).protocol === 'https:'
  return setting === 'true'
}

/** `__Host-` requires Secure; on plain http (local use) the name has no prefix. */
export function sessionCookieName(request: Request): string {
  return isSecure(request) ? '__Host-sansang_session' : 'sansang_session'
}

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim())
      } catch {
        return null
      }
    }
  }
  return null
}

function serializeSessionCookie(request: Request, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${sessionCookieName(request)}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
  ]
  if (isSecure(request)) parts.push('Secure')
  return parts.join('; ')
}

export interface CreatedSession {
  setCookie: string
  idHash: string
}

/**
 * Starts a new session (a fresh token at every step of signing in: the id
 * rotates at login and again when the second factor is passed) and revokes
 * the one the browser held before, if any. A session short of `full` lives
 * PENDING_SESSION_MINUTES and opens no page but its sign-in step.
 */
export async function createUserSession(
  db: Kysely<Database>,
  request: Request,
  userId: number,
  clientIp: string,
  stage: SessionStage = 'full',
): Promise<CreatedSession> {
  const env = getEnv()
  const previous = readCookie(request, sessionCookieName(request))
  const now = nowIso()
  if (previous) await revokeSession(db, hashToken(previous), now)
  const token = randomBytes(32).toString('base64url')
  const idHash = hashToken(token)
  const lifetimeMs =
    stage === 'full' ? env.SESSION_ABSOLUTE_HOURS * 3_600_000 : PENDING_SESSION_MINUTES * 60_000
  await insertSession(db, {
    idHash,
    userId,
    now,
    expiresAt: new Date(Date.parse(now) + lifetimeMs).toISOString(),
    ip: clientIp,
    userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? null,
    stage,
  })
  return { setCookie: serializeSessionCookie(request, token, lifetimeMs / 1000), idHash }
}

/**
 * Finishes signing in within the same session (the token was issued after
 * the password, so nobody else can hold it): used where the page that
 * completes the step renders its answer itself, as enrolment shows its
 * recovery codes, so the request's own cookie must stay valid.
 */
export async function promoteUserSession(
  db: Kysely<Database>,
  request: Request,
  state: SessionState,
): Promise<string> {
  const absoluteMs = getEnv().SESSION_ABSOLUTE_HOURS * 3_600_000
  const expiresAt = new Date(Date.now() + absoluteMs).toISOString()
  if (!(await promoteSession(db, state.user.sessionIdHash, expiresAt)))
    throw new Error('the session to promote is gone')
  return serializeSessionCookie(request, state.token, absoluteMs / 1000)
}

export function clearSessionCookie(request: Request): string {
  return serializeSessionCookie(request, '', 0)
}

/** What the browser's cookie stands for: a signed-in user, or one still signing in. */
export type SessionState =
  | { stage: 'full'; user: SessionUser; token: string }
  | { stage: 'second_factor' | 'enrol'; user: SessionUser; token: string }

/** The signed-in user, or null when the cookie is absent, unknown, revoked, expired or idle. */
export async function readSessionUser(
  db: Kysely<Database>,
  request: Request,
): Promise<SessionUser | null> {
  const state = await readSession(db, request)
  return state?.stage === 'full' ? state.user : null
}

/**
 * The session the cookie names, at whatever stage of signing in, or null
 * when it is absent, unknown, revoked, expired or idle. Only guards and the
 * sign-in steps read a session short of `full`.
 */
export async function readSession(
  db: Kysely<Database>,
  request: Request,
): Promise<SessionState | null> {
  const token = readCookie(request, sessionCookieName(request))
  if (!token || token.length > 100) return null
  const idHash = hashToken(token)
  const row = await getSessionWithUser(db, idHash)
  if (!row || row.revoked_at !== null || row.disabled === 1) return null
  const now = Date.now()
  if (Date.parse(row.expires_at) <= now) return null
  const idleMs = getEnv().SESSION_IDLE_MINUTES * 60_000
  const lastSeen = Date.parse(row.last_seen_at)
  if (now - lastSeen > idleMs) return null
  // Session bookkeeping, not user data: the only write a GET may cause.
  if (now - lastSeen > TOUCH_INTERVAL_MS)
    await touchSession(db, idHash, new Date(now).toISOString())
  const user: SessionUser = {
    id: row.user_id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    facilityId: row.facility_id,
    provinceCode: row.province_code,
    sessionIdHash: idHash,
  }
  return { stage: row.stage, user, token }
}
