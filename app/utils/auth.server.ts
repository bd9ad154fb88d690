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
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { apiError } from './api-error.server.ts'
import { NOT_IN_REDIRECT_PATH } from './control-characters.ts'
import { getDb } from './db.server.ts'
import { can, type Permission } from './permissions.ts'
import {
  readSession,
  readSessionUser,
  type SessionState,
  type SessionUser,
} from './session.server.ts'

export type { SessionState, SessionUser }

export function forbidden(): Response {
  return new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

export function notFound(): Response {
  return new Response('Not Found', { status: 404, statusText: 'Not Found' })
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return readSessionUser(getDb(), request)
}

/** The session at whatever sign-in stage (only the sign-in steps and logout read this). */
export async function getSessionState(request: Request): Promise<SessionState | null> {
  return readSession(getDb(), request)
}

/** Any origin will do: only whether the target stays on it matters. */
const OWN_ORIGIN = 'http://sansang.invalid'

/**
 * The one rule for redirect targets (no open redirects): the value is
 * resolved by the URL parser, as a browser would resolve it, against our
 * own origin, and accepted only when it stays on that origin and its path
 * starts with a single `/`. The parser is what makes this hold: it drops
 * tabs and newlines (`/\t/evil.example` is `//evil.example`), reads `\` as
 * `/`, and percent-encodes what a header cannot carry (Vietnamese text,
 * NUL), so the returned path is always a valid, same-origin Location.
 */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(value, OWN_ORIGIN)
  } catch {
    return fallback
  }
  if (url.origin !== OWN_ORIGIN || !url.pathname.startsWith('/') || url.pathname.startsWith('//'))
    return fallback
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * A submitted `redirectTo` (hidden form field): a path of at most 2,000
 * characters with no control, format or separator characters other than
 * the space — such a value never comes from our own pages (the login page
 * writes what `safeRedirectPath` returned), so it is refused with a message
 * instead of being guessed at.
 */
export const RedirectToSchema = z
  .string()
  .max(2000, { error: 'redirectInvalid' })
  .refine((v) => !NOT_IN_REDIRECT_PATH.test(v), { error: 'redirectInvalid' })
  .optional()

/** The page of each sign-in step a session can be stopped at. */
export const SIGN_IN_STEP_PATHS = {
  second_factor: '/login/code',
  enrol: '/login/enrol',
} as const

/**
 * The signed-in user, or a redirect that comes back here: to the login page,
 * or — for a session that has passed the password but not the second factor
 * — to the step it has to finish first. No page opens before that.
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  const state = await readSession(getDb(), request)
  if (state?.stage === 'full') return state.user
  const url = new URL(request.url)
  const back = encodeURIComponent(safeRedirectPath(`${url.pathname}${url.search}`))
  if (state) throw redirect(`${SIGN_IN_STEP_PATHS[state.stage]}?redirectTo=${back}`)
  throw redirect(`/login?redirectTo=${back}`)
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
