/**
 * Creating many accounts from one CSV or XLSX file (the way a ministry hands
 * accounts to 1,650 hospital directors): a preview with every row's errors,
 * nothing created while any remains, then all rows in one transaction with
 * an invitation link each, offered as a CSV or XLSX file.
 */
import { randomBytes } from 'node:crypto'
import { tablesXlsx } from '../utils/export-files.server.ts'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { LINK_PATH } from '../account/links.server.ts'
import { sendLinkEmail, type Translations } from '../account/mailer.server.ts'
import { replaceAccountToken } from '../models/account-token.server.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getFacilitiesByCodes, listProvinces } from '../models/facility.server.ts'
import { findExistingLogins, insertUser } from '../models/user.server.ts'
import { getEnv } from '../utils/env.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import { hashToken } from '../utils/session.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { toCsv } from '../utils/csv.ts'
import { readRegistryFile, type ReadResult, type SheetRow } from './registry/read-file.server.ts'
import { fieldErrors, NewUserSchema, scopeKindOf, type NewUserFields } from './user-input.ts'

export const BULK_MAX_BYTES = 2 * 1024 * 1024
export const BULK_MAX_ROWS = 5000

/** The columns a file may have, by their English or Vietnamese (unaccented) header. */
const COLUMNS = {
  login: ['login', 'ten_dang_nhap'],
  displayName: ['display_name', 'ho_ten', 'name'],
  role: ['role', 'vai_tro'],
  facilityCode: ['facility_code', 'ma_co_so'],
  provinceCode: ['province_code', 'ma_tinh'],
  email: ['email'],
  phone: ['phone', 'dien_thoai'],
} as const
type Column = keyof typeof COLUMNS

/** One row as read from the file (strings), with its line number for messages. */
export const RawRowSchema = z.object({
  line: z.number().int().min(1),
  login: z.string().max(200),
  displayName: z.string().max(500),
  role: z.string().max(100),
  facilityCode: z.string().max(100),
  provinceCode: z.string().max(100),
  email: z.string().max(500),
  phone: z.string().max(100),
})
export type RawRow = z.infer<typeof RawRowSchema>

export type FileResult = { ok: true; rows: RawRow[] } | { ok: false; error: string }

function headerKey(text: string): Column | null {
  const h = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
  for (const [column, names] of Object.entries(COLUMNS) as Array<[Column, readonly string[]]>)
    if (names.includes(h)) return column
  return null
}

function toRows(table: SheetRow[]): FileResult {
  const [header, ...body] = table
  if (!header) return { ok: false, error: 'fileEmpty' }
  const columns = header.cells.map(headerKey)
  for (const required of ['login', 'displayName', 'role'] as const)
    if (!columns.includes(required)) return { ok: false, error: 'fileColumns' }
  const rows: RawRow[] = []
  for (const { row: line, cells } of body) {
    if (cells.every((c) => c.trim() === '')) continue
    const row: RawRow = {
      line,
      login: '',
      displayName: '',
      role: '',
      facilityCode: '',
      provinceCode: '',
      email: '',
      phone: '',
    }
    columns.forEach((column, c) => {
      if (column) row[column] = (cells[c] ?? '').trim()
    })
    rows.push(row)
  }
  if (rows.length === 0) return { ok: false, error: 'fileEmpty' }
  if (rows.length > BULK_MAX_ROWS) return { ok: false, error: 'fileTooManyRows' }
  return { ok: true, rows }
}

/** What the table reader's refusals say to an administrator creating accounts. */
const FILE_REFUSALS: Record<Extract<ReadResult, { kind: 'refused' }>['reason'], string> = {
  empty: 'fileEmpty',
  tooLarge: 'fileTooLarge',
  tooManyRows: 'fileTooManyRows',
  notText: 'fileNotUtf8',
  utf16: 'fileNotUtf8',
  legacyXls: 'fileUnreadable',
  badXlsx: 'fileUnreadable',
  noSheet: 'fileEmpty',
  unterminatedQuote: 'fileUnreadable',
}

/**
 * Reads the file the administrator uploaded (by its content, whatever its
 * name says) with the registry's table reader, so both imports read CSV and
 * XLSX alike and name the lines a spreadsheet shows.
 */
export async function readUserFile(bytes: Buffer): Promise<FileResult> {
  if (bytes.length > BULK_MAX_BYTES) return { ok: false, error: 'fileTooLarge' }
  const read = await readRegistryFile(bytes)
  if (read.kind === 'refused') return { ok: false, error: FILE_REFUSALS[read.reason] }
  const control = read.problems.find((p) => p.problem === 'controlCharacter')
  if (control) return { ok: false, error: 'fileControlCharacter' }
  // A formula without a cached value or an error cell is never read as text.
  if (read.problems.length > 0) return { ok: false, error: 'fileUnreadable' }
  return toRows(read.rows)
}

export interface PreviewRow {
  line: number
  raw: RawRow
  /** Message keys (admin:errors.*), with the field each is about. */
  errors: Array<{ field: string; error: string }>
  user: (NewUserFields & { facilityId: number | null }) | null
}

/** Every row checked: its own fields, the scope codes, duplicates in the file and in the database. */
export async function previewRows(db: Kysely<Database>, raws: RawRow[]): Promise<PreviewRow[]> {
  const parsed = raws.map((raw) => ({ raw, result: NewUserSchema.safeParse(raw) }))
  const logins = parsed.flatMap((p) => (p.result.success ? [p.result.data.login] : []))
  const facilityCodes = [
    ...new Set(
      parsed.flatMap((p) =>
        p.result.success && p.result.data.facilityCode ? [p.result.data.facilityCode] : [],
      ),
    ),
  ]
  const [existing, facilities, provinces] = await Promise.all([
    findExistingLogins(db, [...new Set(logins)]),
    getFacilitiesByCodes(db, facilityCodes),
    listProvinces(db, { kind: 'all' }),
  ])
  const taken = new Set(existing)
  const facilityByCode = new Map(facilities.map((f) => [f.code, f.id]))
  const provinceCodes = new Set(provinces.map((p) => p.code))
  const count = new Map<string, number>()
  for (const login of logins) count.set(login, (count.get(login) ?? 0) + 1)
  return parsed.map(({ raw, result }) => {
    if (!result.success) {
      const errors = Object.entries(fieldErrors(result.error.issues)).map(([field, error]) => ({
        field,
        error,
      }))
      return { line: raw.line, raw, errors, user: null }
    }
    const u = result.data
    const errors: PreviewRow['errors'] = []
    if ((count.get(u.login) ?? 0) > 1) errors.push({ field: 'login', error: 'loginTwiceInFile' })
    if (taken.has(u.login)) errors.push({ field: 'login', error: 'loginTaken' })
    const kind = scopeKindOf(u.role)
    const facilityId =
      kind === 'facility' ? (facilityByCode.get(u.facilityCode ?? '') ?? null) : null
    if (kind === 'facility' && facilityId === null)
      errors.push({ field: 'facilityCode', error: 'facilityUnknown' })
    if (kind === 'province' && !provinceCodes.has(u.provinceCode ?? ''))
      errors.push({ field: 'provinceCode', error: 'provinceUnknown' })
    return { line: raw.line, raw, errors, user: errors.length ? null : { ...u, facilityId } }
  })
}

export interface CreatedLink {
  login: string
  displayName: string
  email: string | null
  url: string
  expiresAt: string
}

export type ApplyResult =
  { kind: 'created'; links: CreatedLink[] } | { kind: 'invalid'; preview: PreviewRow[] }

/**
 * Checks every row again (the database may have changed since the preview)
 * and creates them all with their invitation links in one transaction —
 * or nothing.
 */
export async function applyRows(
  db: Kysely<Database>,
  actorId: number,
  raws: RawRow[],
  origin: string,
  meta: RequestMeta,
): Promise<ApplyResult> {
  const env = getEnv()
  const preview = await previewRows(db, raws)
  if (preview.some((r) => r.errors.length > 0 || !r.user)) return { kind: 'invalid', preview }
  const now = nowIso()
  const expiresAt = new Date(Date.parse(now) + env.INVITATION_LINK_HOURS * 3_600_000).toISOString()
  const created = await db.transaction().execute(async (trx) => {
    const out: Array<CreatedLink & { userId: number }> = []
    for (const row of preview) {
      const u = row.user
      if (!u) throw new Error('unreachable: checked above')
      const userId = await insertUser(trx, {
        login: u.login,
        displayName: u.displayName,
        role: u.role,
        facilityId: u.facilityId,
        provinceCode: scopeKindOf(u.role) === 'province' ? u.provinceCode : null,
        email: u.email,
        phone: u.phone,
        passwordHash: null,
        now,
      })
      const token = randomBytes(32).toString('base64url')
      await replaceAccountToken(trx, {
        userId,
        kind: 'invitation',
        tokenHash: hashToken(token),
        createdBy: actorId,
        now,
        expiresAt,
      })
      out.push({
        userId,
        login: u.login,
        displayName: u.displayName,
        email: u.email,
        url: `${origin}${LINK_PATH}${token}`,
        expiresAt,
      })
    }
    return out
  })
  for (const c of created) {
    await writeAudit(db, {
      at: now,
      actorId,
      action: 'user.created',
      entityType: 'user',
      entityId: c.userId,
      detail: { login: c.login, bulk: true },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
  }
  await writeAudit(db, {
    at: now,
    actorId,
    action: 'user.bulk_created',
    entityType: 'user',
    detail: { count: created.length, expiresAt },
    ip: meta.clientIp,
    requestId: meta.requestId,
  })
  return { kind: 'created', links: created.map(({ userId: _id, ...link }) => link) }
}

/** The handed-out links as a file: CSV (UTF-8, BOM, formula-safe) or XLSX. */
export async function linksFile(
  links: CreatedLink[],
  format: 'csv' | 'xlsx',
  header: string[],
): Promise<Buffer> {
  const rows = links.map((l) => [l.login, l.displayName, l.email ?? '', l.url, l.expiresAt])
  if (format === 'csv') return Buffer.from(toCsv([header, ...rows]), 'utf8')
  // Typed text cells: a workbook keeps text exactly as entered and never runs it as a formula.
  const bytes = await tablesXlsx(
    [
      {
        name: 'links',
        rows: [header, ...rows],
        width: (i) => [24, 36, 30, 90, 26][i] ?? 20,
      },
    ],
    { creator: 'Sẵn Sàng' },
  )
  return Buffer.from(bytes)
}

/**
 * When SMTP_URL is set, emails each new user with an address their link,
 * after the response (a thousand emails take minutes); each outcome is an
 * audit row, so the administrator can see who was not reached.
 */
export function emailLinksInBackground(
  db: Kysely<Database>,
  actorId: number,
  links: CreatedLink[],
  meta: RequestMeta,
  translations: Translations,
): boolean {
  const withEmail = links.filter((l) => l.email)
  if (!getEnv().SMTP_URL || withEmail.length === 0) return false
  void (async () => {
    for (const link of withEmail) {
      const result = await sendLinkEmail(
        {
          to: link.email ?? '',
          displayName: link.displayName,
          login: link.login,
          kind: 'invitation',
          url: link.url,
          expiresAt: link.expiresAt,
        },
        translations,
      )
      await writeAudit(db, {
        at: nowIso(),
        actorId,
        action: result.sent ? 'email.sent' : 'email.failed',
        entityType: 'user',
        detail: {
          login: link.login,
          kind: 'invitation',
          ...(result.sent ? {} : { error: result.error }),
        },
        ip: meta.clientIp,
        requestId: meta.requestId,
      })
    }
  })().catch((error: unknown) => console.warn('bulk invitation emails stopped:', error))
  return true
}
