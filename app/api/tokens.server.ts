/**
 * Issuing and revoking API tokens (the administrators' /admin/tokens page).
 * A token is 32 random bytes (base64url) after a `ssk_` prefix that makes a
 * leaked one easy to recognise; only its SHA-256 is stored, and it is shown
 * once, in the answer to the form that created it.
 */
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import { API_SCOPES, type Database } from '../../db/schema.ts'
import { fieldErrors } from '../admin/user-input.ts'
import { insertApiToken, listApiTokens, revokeApiToken } from '../models/api-token.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getProvinceName, listProvinces } from '../models/facility.server.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { vietnamDayStart } from '../utils/date-format.ts'
import { hashToken } from '../utils/session.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'

export const TOKEN_PREFIX = 'ssk_'
/** A token lives at most this long: a forgotten one stops working by itself. */
export const MAX_TOKEN_DAYS = 366

export const TokenFormSchema = z.object({
  name: z.string().trim().min(1, { error: 'nameRequired' }).max(100, { error: 'nameTooLong' }),
  scopes: z.array(z.enum(API_SCOPES, { error: 'scopeUnknown' })).min(1, { error: 'scopeRequired' }),
  /** Empty: national. */
  provinceCode: z
    .string()
    .regex(/^(\d{2})?$/, { error: 'provinceUnknown' })
    .transform((v) => (v === '' ? null : v)),
  expiresOn: z.iso.date({ error: 'expiryInvalid' }),
})
export type TokenForm = z.infer<typeof TokenFormSchema>

export const RevokeFormSchema = z.object({ tokenId: z.coerce.number().int().positive() })

/** What was typed, to show back on an error. */
export function tokenFormValues(form: FormData) {
  const text = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : ''
  }
  return {
    name: text('name'),
    scopes: form.getAll('scopes').filter((v): v is string => typeof v === 'string'),
    provinceCode: text('provinceCode'),
    expiresOn: text('expiresOn'),
  }
}

export function parseTokenForm(form: FormData) {
  const parsed = TokenFormSchema.safeParse(tokenFormValues(form))
  return parsed.success
    ? ({ ok: true, data: parsed.data } as const)
    : ({ ok: false, errors: fieldErrors(parsed.error.issues) } as const)
}

/** A new random token (never stored) and the hash that is. */
export function newToken(): { token: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  return { token, tokenHash: hashToken(token) }
}

/** Pure: the calendar date `days` after `date` (both YYYY-MM-DD). */
export function calendarDayAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The latest expiry day the form accepts, counted from today in Vietnam. */
export function lastExpiryDay(today = todayInVietnam()): string {
  return calendarDayAfter(today, MAX_TOKEN_DAYS)
}

interface Meta {
  clientIp: string
  requestId: string
}

export type IssueResult =
  | { kind: 'issued'; id: number; token: string; expiresAt: string }
  | { kind: 'invalid'; errors: Record<string, string> }

/**
 * Issues a token valid through the end of `expiresOn` (Vietnam's day), which
 * must be after today and within MAX_TOKEN_DAYS. Audited without the token.
 */
export async function issueApiToken(
  db: Kysely<Database>,
  actor: SessionUser,
  input: TokenForm,
  meta: Meta,
): Promise<IssueResult> {
  const today = todayInVietnam()
  if (input.expiresOn <= today || input.expiresOn > lastExpiryDay(today))
    return { kind: 'invalid', errors: { expiresOn: 'expiryRange' } }
  if (input.provinceCode !== null && !(await getProvinceName(db, input.provinceCode)))
    return { kind: 'invalid', errors: { provinceCode: 'provinceUnknown' } }
  const scopes = [...new Set(input.scopes)]
  const { token, tokenHash } = newToken()
  const now = nowIso()
  const expiresAt = vietnamDayStart(input.expiresOn, 1)
  return db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, {
      name: input.name,
      scopes,
      provinceCode: input.provinceCode,
      tokenHash,
      createdBy: actor.id,
      now,
      expiresAt,
    })
    await writeAudit(trx, {
      at: now,
      actorId: actor.id,
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: id,
      detail: { name: input.name, scopes, provinceCode: input.provinceCode, expiresAt },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'issued' as const, id, token, expiresAt }
  })
}

/** Revokes a token; `not_found` when there is none or it was revoked already. */
export async function revokeToken(
  db: Kysely<Database>,
  actor: SessionUser,
  tokenId: number,
  meta: Meta,
): Promise<{ kind: 'revoked' } | { kind: 'not_found' }> {
  const now = nowIso()
  return db.transaction().execute(async (trx) => {
    if (!(await revokeApiToken(trx, tokenId, actor.id, now))) return { kind: 'not_found' as const }
    await writeAudit(trx, {
      at: now,
      actorId: actor.id,
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: tokenId,
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'revoked' as const }
  })
}

/** The administrators' page: every token, the provinces to scope one to, the expiry range. */
export async function getTokenPage(db: Kysely<Database>) {
  const today = todayInVietnam()
  const [tokens, provinces] = await Promise.all([
    listApiTokens(db),
    listProvinces(db, { kind: 'all' }),
  ])
  return {
    tokens,
    provinces,
    firstExpiry: calendarDayAfter(today, 1),
    lastExpiry: lastExpiryDay(today),
  }
}
