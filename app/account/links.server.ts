/**
 * One-time links: an invitation (a new user sets their first password) or a
 * reset (an administrator asked for one). The token is 256 random bits in
 * the URL; the database holds only its SHA-256. A link is single-use,
 * expires (INVITATION_LINK_HOURS, RESET_LINK_HOURS; 24 h from the
 * create-admin command), and a newer link of the same user replaces it.
 * Opening the page changes nothing (mail scanners follow links); setting
 * the password uses the link up and signs the user in.
 */
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AccountTokenKind, Database } from '../../db/schema.ts'
import {
  consumeAccountToken,
  getAccountToken,
  replaceAccountToken,
} from '../models/account-token.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { revokeUserSessions } from '../models/session.server.ts'
import { getUserByLogin, setUserPassword } from '../models/user.server.ts'
import { getEnv } from '../utils/env.server.ts'
import { startSignIn, type RequestMeta } from '../utils/login.server.ts'
import { checkNewPassword, hashPassword, type PasswordProblem } from '../utils/password.server.ts'
import { hashToken } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'

export const LINK_PATH = '/set-password/'

/** Where links point: PUBLIC_URL, else the address the administrator is using. */
export function linkOrigin(request: Request | null): string {
  const env = getEnv()
  if (env.PUBLIC_URL) return env.PUBLIC_URL
  return request ? new URL(request.url).origin : `http://localhost:${env.PORT}`
}

export interface IssuedLink {
  url: string
  expiresAt: string
  kind: AccountTokenKind
}

export interface IssueLinkInput {
  userId: number
  kind: AccountTokenKind
  /** The administrator, or null for the command line. */
  createdBy: number | null
  /** Overrides the configured lifetime (create-admin: 24 h). */
  hours?: number
  origin: string
  meta: RequestMeta
}

/** Issues a link (replacing the user's earlier ones) and audits it; the URL is returned once. */
export async function issueLink(db: Kysely<Database>, input: IssueLinkInput): Promise<IssuedLink> {
  const env = getEnv()
  const token = randomBytes(32).toString('base64url')
  const now = nowIso()
  const hours =
    input.hours ?? (input.kind === 'invitation' ? env.INVITATION_LINK_HOURS : env.RESET_LINK_HOURS)
  const expiresAt = new Date(Date.parse(now) + hours * 3_600_000).toISOString()
  await db.transaction().execute((trx) =>
    replaceAccountToken(trx, {
      userId: input.userId,
      kind: input.kind,
      tokenHash: hashToken(token),
      createdBy: input.createdBy,
      now,
      expiresAt,
    }),
  )
  await writeAudit(db, {
    at: now,
    actorId: input.createdBy,
    action: input.kind === 'invitation' ? 'link.invitation_issued' : 'link.reset_issued',
    entityType: 'user',
    entityId: input.userId,
    detail: { expiresAt },
    ip: input.meta.clientIp,
    requestId: input.meta.requestId,
  })
  return { url: `${input.origin}${LINK_PATH}${token}`, expiresAt, kind: input.kind }
}

/** Tokens are 43 base64url characters; anything else is not one of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export type LinkState =
  | { kind: 'valid'; linkKind: AccountTokenKind; login: string; displayName: string }
  | { kind: 'unknown' | 'expired' | 'used' | 'replaced' }

/** What a link stands for now (read only: opening the page uses nothing up). */
export async function getLinkState(db: Kysely<Database>, token: string): Promise<LinkState> {
  if (!TOKEN_SHAPE.test(token)) return { kind: 'unknown' }
  const row = await getAccountToken(db, hashToken(token))
  // A disabled account's link reads as unknown: it says nothing about the account.
  if (!row || row.disabled === 1) return { kind: 'unknown' }
  if (row.used_at) return { kind: 'used' }
  if (row.revoked_at) return { kind: 'replaced' }
  if (row.expires_at <= nowIso()) return { kind: 'expired' }
  return { kind: 'valid', linkKind: row.kind, login: row.login, displayName: row.display_name }
}

export type RedeemResult =
  | { kind: 'signed_in'; setCookie: string; stage: 'full' | 'second_factor' | 'enrol' }
  | { kind: 'refused'; state: Exclude<LinkState['kind'], 'valid'> }
  | { kind: 'weak'; problem: PasswordProblem }

/**
 * Sets the password and uses the link up (atomically: the same link twice
 * signs in once), ends the user's other sessions, and starts signing in —
 * the second factor still applies: a reset link alone never passes it.
 */
export async function redeemLink(
  db: Kysely<Database>,
  request: Request,
  token: string,
  password: string,
  meta: RequestMeta,
): Promise<RedeemResult> {
  const state = await getLinkState(db, token)
  if (state.kind !== 'valid') return { kind: 'refused', state: state.kind }
  const problem = await checkNewPassword(password, state.login)
  if (problem) return { kind: 'weak', problem }
  const row = await getAccountToken(db, hashToken(token))
  if (!row) return { kind: 'refused', state: 'unknown' }
  const hash = await hashPassword(password)
  const now = nowIso()
  const consumed = await db.transaction().execute(async (trx) => {
    if (!(await consumeAccountToken(trx, row.id, now))) return false
    await setUserPassword(trx, row.user_id, hash, now)
    await revokeUserSessions(trx, row.user_id, now)
    return true
  })
  if (!consumed)
    return {
      kind: 'refused',
      state: (await getLinkState(db, token)).kind === 'expired' ? 'expired' : 'used',
    }
  await writeAudit(db, {
    at: now,
    actorId: row.user_id,
    action: row.kind === 'invitation' ? 'link.invitation_used' : 'link.reset_used',
    entityType: 'user',
    entityId: row.user_id,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  const user = await getUserByLogin(db, row.login)
  if (!user) return { kind: 'refused', state: 'unknown' }
  const started = await startSignIn(db, request, user, meta, 'link')
  return { kind: 'signed_in', setCookie: started.setCookie, stage: started.stage }
}
