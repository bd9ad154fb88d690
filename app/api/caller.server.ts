/**
 * Who is calling the API: a service account's bearer token
 * (`Authorization: Bearer ssk_…`), never a browser session. Every call goes
 * through `apiRoute`, which
 * - answers a missing, unknown, expired or revoked token with the error
 *   contract's 401 (`WWW-Authenticate: Bearer`), never a redirect;
 * - answers a token without the endpoint's scope with 403;
 * - limits each token to API_RATE_LIMIT calls a minute (429, Retry-After);
 * - audits the call (`api.call`, with its status) or the refusal (`api.refused`);
 *   a call with no Authorization header at all is audited once a minute per
 *   address, not once per call (see `API_BARE_AUDIT_LIMIT`).
 * A province token's facility filter is its province, so every scoped list
 * and `requireApiFacility` (404 outside it, as the pages) follow it.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { ApiScope } from '../../db/schema.ts'
import { getI18n } from '../i18n.ts'
import { getApiTokenByHash, touchApiToken } from '../models/api-token.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { apiError } from '../utils/api-error.server.ts'
import type { FacilityFilter, FacilityScope } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { hashToken } from '../utils/session.server.ts'
import { takeRate, type RateLimit } from '../utils/rate-limit.server.ts'
import { nowIso } from '../utils/time.server.ts'

export const API_RATE_LIMIT: RateLimit = { max: 120, windowMs: 60_000 }
/**
 * Refused tokens per client address: a caller presenting bad tokens
 * (guessing, or a client misconfigured in a loop) gets 429 after this many
 * 401s a minute, so it can neither probe freely nor fill the audit log (each
 * 401 is an audit row). A request without an Authorization header (a browser,
 * a crawler) guesses nothing and is not counted.
 */
export const API_REFUSAL_LIMIT: RateLimit = { max: 30, windowMs: 60_000 }
/**
 * A call with no Authorization header at all (a browser, a crawler, a
 * monitor polling a URL) presents nothing to refuse: it still gets the JSON
 * 401, but only the first such call from an address in a minute is audited,
 * so a loop of them cannot fill the audit log (and the refusal limit above,
 * which would answer 429, is not spent on them).
 */
export const API_BARE_AUDIT_LIMIT: RateLimit = { max: 1, windowMs: 60_000 }

/** `last_used_at` is rewritten at most once a minute per token (bookkeeping, not data). */
const TOUCH_INTERVAL_MS = 60_000

/** Base64url after the prefix; anything else is not one of our tokens. */
const BEARER = /^Bearer (ssk_[A-Za-z0-9_-]{43})$/

export interface ApiCaller {
  tokenId: number
  name: string
  scopes: readonly ApiScope[]
  filter: FacilityFilter
}

type Refusal = 'missing' | 'unknown' | 'expired' | 'revoked'

interface RouteArgs {
  request: Request
  context: AppLoadContext
}

function pathOf(request: Request): string {
  const url = new URL(request.url)
  return `${url.pathname}${url.search}`.slice(0, 500)
}

async function audit(
  args: RouteArgs,
  action: 'api.call' | 'api.refused',
  tokenId: number | null,
  detail: Record<string, unknown>,
): Promise<void> {
  await writeAudit(getDb(), {
    at: nowIso(),
    actorId: null,
    action,
    entityType: 'api_token',
    entityId: tokenId,
    detail: { path: pathOf(args.request), ...detail },
    ip: args.context.clientIp,
    requestId: args.context.requestId,
  })
}

async function unauthenticated(args: RouteArgs, reason: Refusal, tokenId: number | null) {
  const presented = args.request.headers.has('authorization')
  const quota = presented
    ? await takeRate(getDb(), 'api-refusals', args.context.clientIp, API_REFUSAL_LIMIT, Date.now())
    : { ok: true as const }
  if (!quota.ok) {
    // Past the limit nothing more is written: the window's 401s are already audited.
    return apiError(args.request, 'rate_limited', {
      message: getI18n(getLocale(args.request)).t('common:apiErrors.rate_limited', {
        seconds: quota.retryAfterSeconds,
      }),
      headers: { 'Retry-After': String(quota.retryAfterSeconds) },
    })
  }
  const audited =
    presented ||
    (await takeRate(getDb(), 'api-bare', args.context.clientIp, API_BARE_AUDIT_LIMIT, Date.now()))
      .ok
  if (audited) await audit(args, 'api.refused', tokenId, { reason, status: 401 })
  return apiError(args.request, 'unauthenticated', {
    message: getI18n(getLocale(args.request)).t(`api:errors.${reason}`),
    headers: { 'WWW-Authenticate': 'Bearer realm="sansang"' },
  })
}

/** The caller of a valid token, or the refusal to send. */
async function authenticate(args: RouteArgs): Promise<ApiCaller | Response> {
  const match = BEARER.exec(args.request.headers.get('authorization') ?? '')
  if (!match?.[1]) return unauthenticated(args, 'missing', null)
  const db = getDb()
  const row = await getApiTokenByHash(db, hashToken(match[1]))
  if (!row) return unauthenticated(args, 'unknown', null)
  if (row.revoked_at !== null) return unauthenticated(args, 'revoked', row.id)
  const now = Date.now()
  if (Date.parse(row.expires_at) <= now) return unauthenticated(args, 'expired', row.id)
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS)
    await touchApiToken(db, row.id, new Date(now).toISOString())
  return {
    tokenId: row.id,
    name: row.name,
    scopes: row.scopes,
    filter:
      row.province_code === null
        ? { kind: 'all' }
        : { kind: 'province', provinceCode: row.province_code },
  }
}

/**
 * The frame of every token-authenticated endpoint (see above). `scope` null:
 * any valid token (the rounds, which name no facility).
 */
export async function apiRoute(
  args: RouteArgs,
  scope: ApiScope | null,
  work: (caller: ApiCaller) => Promise<Response>,
): Promise<Response> {
  const caller = await authenticate(args)
  if (caller instanceof Response) return caller
  const quota = await takeRate(getDb(), 'api', caller.tokenId, API_RATE_LIMIT, Date.now())
  if (!quota.ok) {
    await audit(args, 'api.refused', caller.tokenId, { reason: 'rate_limited', status: 429 })
    return apiError(args.request, 'rate_limited', {
      message: getI18n(getLocale(args.request)).t('common:apiErrors.rate_limited', {
        seconds: quota.retryAfterSeconds,
      }),
      headers: { 'Retry-After': String(quota.retryAfterSeconds) },
    })
  }
  if (scope !== null && !caller.scopes.includes(scope)) {
    await audit(args, 'api.refused', caller.tokenId, { reason: 'scope', scope, status: 403 })
    return apiError(args.request, 'forbidden', {
      message: getI18n(getLocale(args.request)).t('api:errors.scope', { scope }),
    })
  }
  const response = await jsonEndpoint(args.request, () => work(caller))
  await audit(args, 'api.call', caller.tokenId, { scope, status: response.status })
  return response
}

/**
 * Whether the request carries an Authorization header: the wave JSON
 * endpoints, older than the tokens, still answer a browser session without one.
 */
export function sentToken(request: Request): boolean {
  return request.headers.has('authorization')
}

/** Pure: does the caller's filter hold this facility? */
export function callerReaches(caller: ApiCaller, facility: FacilityScope): boolean {
  switch (caller.filter.kind) {
    case 'all':
      return true
    case 'province':
      return caller.filter.provinceCode === facility.province_code
    case 'facility':
      return caller.filter.facilityId === facility.id
  }
}

/** 404 in the contract for a facility outside the token's province (or none), as the pages do. */
export function requireReach(
  request: Request,
  caller: ApiCaller,
  facility: FacilityScope | undefined,
): FacilityScope {
  if (!facility || !callerReaches(caller, facility)) throw apiError(request, 'not_found')
  return facility
}
