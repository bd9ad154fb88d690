/**
 * User administration: create, edit, disable and enable, links, second
 * factor reset — each checked against the rules (scope per role; never
 * yourself; never the last administrator) and audited.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { issueLink, type IssuedLink } from '../account/links.server.ts'
import { sendLinkEmail, type EmailResult, type Translations } from '../account/mailer.server.ts'
import { removeTwoFactor } from '../account/two-factor.server.ts'
import { getLatestAccountToken } from '../models/account-token.server.ts'
import { listAuditEntries } from '../models/audit-query.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getFacilitiesByCodes, listProvinces } from '../models/facility.server.ts'
import { listActiveSessions, revokeUserSessions } from '../models/session.server.ts'
import {
  findExistingLogins,
  getUserDetails,
  insertUser,
  setUserDisabled,
  updateUser,
} from '../models/user.server.ts'
import { getEnv } from '../utils/env.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import type { SessionUser } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { scopeKindOf, type NewUserFields, type UserFields } from './user-input.ts'

export type Scope = { facilityId: number | null; provinceCode: string | null }

/** The scope columns for a role from the codes typed in, or the field that is wrong. */
export async function resolveScope(
  db: Kysely<Database>,
  fields: Pick<UserFields, 'role' | 'facilityCode' | 'provinceCode'>,
): Promise<{ ok: true; scope: Scope } | { ok: false; field: string; error: string }> {
  switch (scopeKindOf(fields.role)) {
    case 'facility': {
      const [facility] = await getFacilitiesByCodes(db, [fields.facilityCode ?? ''])
      if (!facility) return { ok: false, field: 'facilityCode', error: 'facilityUnknown' }
      return { ok: true, scope: { facilityId: facility.id, provinceCode: null } }
    }
    case 'province': {
      const provinces = await listProvinces(db, { kind: 'all' })
      if (!provinces.some((p) => p.code === fields.provinceCode))
        return { ok: false, field: 'provinceCode', error: 'provinceUnknown' }
      return { ok: true, scope: { facilityId: null, provinceCode: fields.provinceCode } }
    }
    case 'none':
      return { ok: true, scope: { facilityId: null, provinceCode: null } }
  }
}

function audit(
  db: Kysely<Database>,
  actorId: number | null,
  action: string,
  userId: number,
  meta: RequestMeta,
  detail: Record<string, unknown> = {},
) {
  return writeAudit(db, {
    at: nowIso(),
    actorId,
    action,
    entityType: 'user',
    entityId: userId,
    detail,
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
}

export interface LinkHandout {
  link: IssuedLink
  /** Null when no email was tried (no SMTP_URL, or no address). */
  email: EmailResult | null
}

/** Issues a link and, when SMTP_URL is set and the user has an address, emails it (audited). */
export async function handOutLink(
  db: Kysely<Database>,
  input: {
    userId: number
    kind: 'invitation' | 'reset'
    actorId: number | null
    origin: string
    meta: RequestMeta
    hours?: number
    /** How to write the email; false: send none (the command line prints its link). */
    email: Translations | false
  },
): Promise<LinkHandout> {
  const user = await getUserDetails(db, input.userId)
  if (!user) throw new Error(`user ${input.userId} vanished`)
  const link = await issueLink(db, {
    userId: input.userId,
    kind: input.kind,
    createdBy: input.actorId,
    hours: input.hours,
    origin: input.origin,
    meta: input.meta,
  })
  if (input.email === false || !getEnv().SMTP_URL || !user.email) return { link, email: null }
  const email = await sendLinkEmail(
    {
      to: user.email,
      displayName: user.display_name,
      login: user.login,
      kind: input.kind,
      url: link.url,
      expiresAt: link.expiresAt,
    },
    input.email,
  )
  await audit(
    db,
    input.actorId,
    email.sent ? 'email.sent' : 'email.failed',
    input.userId,
    input.meta,
    email.sent ? { kind: input.kind } : { kind: input.kind, error: email.error },
  )
  return { link, email }
}

export type CreateUserResult =
  | { kind: 'created'; userId: number; handout: LinkHandout | null }
  | { kind: 'invalid'; errors: Record<string, string> }

/**
 * Creates an account. Without a password (the usual case) it gets an
 * invitation link; with `passwordHash` (the command line's --password-stdin)
 * it can sign in at once.
 */
export async function createUser(
  db: Kysely<Database>,
  actorId: number | null,
  fields: NewUserFields,
  options: {
    origin: string
    meta: RequestMeta
    passwordHash?: string
    linkHours?: number
    email: Translations | false
  },
): Promise<CreateUserResult> {
  if ((await findExistingLogins(db, [fields.login])).length > 0)
    return { kind: 'invalid', errors: { login: 'loginTaken' } }
  const scope = await resolveScope(db, fields)
  if (!scope.ok) return { kind: 'invalid', errors: { [scope.field]: scope.error } }
  const now = nowIso()
  const userId = await insertUser(db, {
    login: fields.login,
    displayName: fields.displayName,
    role: fields.role,
    ...scope.scope,
    email: fields.email,
    phone: fields.phone,
    passwordHash: options.passwordHash ?? null,
    now,
  })
  await audit(db, actorId, 'user.created', userId, options.meta, {
    login: fields.login,
    role: fields.role,
    ...scope.scope,
  })
  if (options.passwordHash) return { kind: 'created', userId, handout: null }
  const handout = await handOutLink(db, {
    userId,
    kind: 'invitation',
    actorId,
    origin: options.origin,
    meta: options.meta,
    hours: options.linkHours,
    email: options.email,
  })
  return { kind: 'created', userId, handout }
}

export type EditUserResult =
  | { kind: 'updated' }
  | { kind: 'not_found' }
  | { kind: 'conflict' }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'refused'; reason: 'self' | 'last_admin' }

export async function editUser(
  db: Kysely<Database>,
  actor: SessionUser,
  userId: number,
  version: number,
  fields: UserFields,
  meta: RequestMeta,
): Promise<EditUserResult> {
  const before = await getUserDetails(db, userId)
  if (!before) return { kind: 'not_found' }
  if (userId === actor.id && fields.role !== before.role) return { kind: 'refused', reason: 'self' }
  const scope = await resolveScope(db, fields)
  if (!scope.ok) return { kind: 'invalid', errors: { [scope.field]: scope.error } }
  const changed = await updateUser(db, userId, version, {
    displayName: fields.displayName,
    role: fields.role,
    ...scope.scope,
    email: fields.email,
    phone: fields.phone,
    now: nowIso(),
  })
  if (!changed) {
    const now = await getUserDetails(db, userId)
    if (!now) return { kind: 'not_found' }
    if (now.version !== version) return { kind: 'conflict' }
    return { kind: 'refused', reason: 'last_admin' }
  }
  await audit(db, actor.id, 'user.updated', userId, meta, {
    before: {
      displayName: before.display_name,
      role: before.role,
      facilityId: before.facility_id,
      provinceCode: before.province_code,
      email: before.email,
      phone: before.phone,
    },
    after: {
      displayName: fields.displayName,
      role: fields.role,
      ...scope.scope,
      email: fields.email,
      phone: fields.phone,
    },
  })
  return { kind: 'updated' }
}

export type DisableResult =
  | { kind: 'done'; sessionsEnded: number }
  | { kind: 'not_found' }
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: 'self' | 'last_admin' }

/** Disabling ends every session of the user at once (in the same transaction). */
export async function setDisabledByAdmin(
  db: Kysely<Database>,
  actor: SessionUser | null,
  userId: number,
  disabled: boolean,
  meta: RequestMeta,
): Promise<DisableResult> {
  const user = await getUserDetails(db, userId)
  if (!user) return { kind: 'not_found' }
  if (disabled && actor && userId === actor.id) return { kind: 'refused', reason: 'self' }
  if ((user.disabled === 1) === disabled) return { kind: 'unchanged' }
  const now = nowIso()
  const result = await db.transaction().execute(async (trx) => {
    if (!(await setUserDisabled(trx, userId, disabled, now))) return null
    return disabled ? revokeUserSessions(trx, userId, now) : 0
  })
  if (result === null) return { kind: 'refused', reason: 'last_admin' }
  await audit(db, actor?.id ?? null, disabled ? 'user.disabled' : 'user.enabled', userId, meta, {
    sessionsEnded: result,
  })
  return { kind: 'done', sessionsEnded: result }
}

/** An administrator resets a user's second factor: it and the recovery codes go, sessions end. */
export async function resetTwoFactorByAdmin(
  db: Kysely<Database>,
  actorId: number | null,
  userId: number,
  meta: RequestMeta,
): Promise<boolean> {
  const user = await getUserDetails(db, userId)
  if (!user) return false
  await removeTwoFactor(db, userId, actorId, meta, 'mfa.reset')
  await revokeUserSessions(db, userId, nowIso())
  return true
}

/** The administrator's page of one user. */
export async function getUserPage(db: Kysely<Database>, userId: number) {
  const user = await getUserDetails(db, userId)
  if (!user) return null
  const [sessions, link, byUser, aboutUser] = await Promise.all([
    listActiveSessions(db, userId, nowIso()),
    getLatestAccountToken(db, userId),
    listAuditEntries(db, { actorId: userId, limit: 30 }),
    listAuditEntries(db, { entityType: 'user', entityId: String(userId), limit: 30 }),
  ])
  const audit = [...new Map([...byUser, ...aboutUser].map((r) => [r.id, r])).values()]
    .sort((a, b) => b.id - a.id)
    .slice(0, 30)
  return { user, sessions, link: link ?? null, audit }
}
