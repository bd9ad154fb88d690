/**
 * The guards. Every loader, action and resource route calls one of these
 * itself: Remix runs parent and child loaders in parallel, so a check in a
 * layout protects nothing.
 *
 * Scope rules:
 * - director, staff: their own facility only;
 * - province_reviewer: facilities of their province;
 * - ministry_reviewer, admin: every facility.
 * A facility outside the user's scope answers 404, not 403, so ids cannot be
 * probed for existence.
 */
import { redirect } from '@remix-run/node'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { apiError } from './api-error.server.ts'
import { getDb } from './db.server.ts'
import { can, type Permission } from './permissions.ts'
import { readSessionUser, type SessionUser } from './session.server.ts'

export type { SessionUser }

export function forbidden(): Response {
  return new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' })
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return readSessionUser(getDb(), request)
}

/** Only a same-site path may be a redirect target (no open redirects). */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return fallback
  if (value.includes('\\') || /[\r\n]/.test(value)) return fallback
  return value
}

/** The signed-in user, or a redirect to the login page that comes back here. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request)
  if (user) return user
  const url = new URL(request.url)
  const back = safeRedirectPath(`${url.pathname}${url.search}`)
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`)
}

/** The signed-in user when the permission table gives their role `permission`; 403 otherwise. */
export async function requirePermission(
  request: Request,
  permission: Permission,
): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!can(user, permission)) throw forbidden()
  return user
}

/**
 * For JSON endpoints (autosave, submit, uploads, polling): the signed-in
 * user, or the contract's 401. Never the redirect `requireUser` throws: a
 * `fetch` follows it and hands the caller the login page's HTML with a 200.
 */
export async function requireApiUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request)
  if (user) return user
  throw apiError(request, 'unauthenticated')
}

/** `requirePermission` for JSON endpoints: 401 or 403 in the contract. */
export async function requireApiPermission(
  request: Request,
  permission: Permission,
): Promise<SessionUser> {
  const user = await requireApiUser(request)
  if (!can(user, permission)) throw apiError(request, 'forbidden')
  return user
}

/** A facility's scope-relevant fields; enough to decide access. */
export interface FacilityScope {
  id: number
  province_code: string
}

/** Pure: may this user see this facility? */
export function canAccessFacility(user: SessionUser, facility: FacilityScope): boolean {
  switch (user.role) {
    case 'director':
    case 'staff':
      return user.facilityId === facility.id
    case 'province_reviewer':
      return user.provinceCode === facility.province_code
    case 'ministry_reviewer':
    case 'admin':
      return true
  }
}

/** What part of the country a user's queries are restricted to. */
export type FacilityFilter =
  | { kind: 'all' }
  | { kind: 'province'; provinceCode: string }
  | { kind: 'facility'; facilityId: number }

export function facilityFilterFor(user: SessionUser): FacilityFilter {
  switch (user.role) {
    case 'director':
    case 'staff':
      if (user.facilityId === null) throw forbidden()
      return { kind: 'facility', facilityId: user.facilityId }
    case 'province_reviewer':
      if (user.provinceCode === null) throw forbidden()
      return { kind: 'province', provinceCode: user.provinceCode }
    case 'ministry_reviewer':
    case 'admin':
      return { kind: 'all' }
  }
}

async function getFacilityScope(db: Kysely<Database>, facilityId: number) {
  return db
    .selectFrom('facilities')
    .select(['id', 'province_code'])
    .where('id', '=', facilityId)
    .executeTakeFirst()
}

/**
 * The user, if they may see the facility; 404 otherwise (also for a facility
 * that does not exist, so both look the same from outside).
 */
export async function requireFacilityAccess(
  request: Request,
  facilityId: number,
): Promise<{ user: SessionUser; facility: FacilityScope }> {
  const user = await requireUser(request)
  const facility = await getFacilityScope(getDb(), facilityId)
  if (!facility || !canAccessFacility(user, facility)) throw notFound()
  return { user, facility }
}
