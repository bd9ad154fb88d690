/**
 * What an account is made of, checked the same way for the form, the bulk
 * file and the command line. Browser-safe: the forms show the rules.
 */
import * as z from 'zod'
import { ROLES, type Role } from '../../db/schema.ts'
import { isSingleLine } from '../utils/control-characters.ts'

/** Lower-case ASCII, digits, dot, dash, underscore; 3–64, starting and ending with a letter or digit. */
export const LOGIN_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{1,62})[a-z0-9]$/

export const LoginSchema = z
  .string({ error: 'loginRequired' })
  .trim()
  .min(1, { error: 'loginRequired' })
  .transform((s) => s.normalize('NFC').toLowerCase())
  .pipe(z.string().regex(LOGIN_PATTERN, { error: 'loginInvalid' }))

const optionalText = (max: number, error: string) =>
  z
    .string()
    .trim()
    .max(max, { error })
    .optional()
    .transform((s) => (s ? s : null))

/** Which kind of scope each role has (the users table's CHECK demands the same). */
export function scopeKindOf(role: Role): 'facility' | 'province' | 'none' {
  if (role === 'director' || role === 'staff') return 'facility'
  if (role === 'province_reviewer') return 'province'
  return 'none'
}

export const UserFieldsSchema = z
  .object({
    displayName: z
      .string({ error: 'nameRequired' })
      .trim()
      .min(1, { error: 'nameRequired' })
      .max(120, { error: 'nameTooLong' })
      .refine(isSingleLine, { error: 'nameOneLine' })
      .transform((s) => s.normalize('NFC')),
    role: z.enum(ROLES, { error: 'roleInvalid' }),
    facilityCode: optionalText(20, 'facilityUnknown'),
    provinceCode: optionalText(2, 'provinceUnknown'),
    email: z
      .string()
      .trim()
      .max(254, { error: 'emailInvalid' })
      .optional()
      .transform((s) => (s ? s : null))
      .pipe(z.union([z.null(), z.email({ error: 'emailInvalid' })])),
    phone: optionalText(32, 'phoneInvalid').pipe(
      z.union([z.null(), z.string().regex(/^\+?[0-9 .()-]{6,32}$/, { error: 'phoneInvalid' })]),
    ),
  })
  .superRefine((u, ctx) => {
    const kind = scopeKindOf(u.role)
    if (kind === 'facility' && !u.facilityCode)
      ctx.addIssue({ code: 'custom', path: ['facilityCode'], message: 'facilityRequired' })
    if (kind === 'province' && !u.provinceCode)
      ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: 'provinceRequired' })
    if (kind !== 'facility' && u.facilityCode)
      ctx.addIssue({ code: 'custom', path: ['facilityCode'], message: 'facilityNotForRole' })
    if (kind !== 'province' && u.provinceCode)
      ctx.addIssue({ code: 'custom', path: ['provinceCode'], message: 'provinceNotForRole' })
  })
export type UserFields = z.infer<typeof UserFieldsSchema>

export const NewUserSchema = z.intersection(z.object({ login: LoginSchema }), UserFieldsSchema)
export type NewUserFields = z.infer<typeof NewUserSchema>

/** zod issues as { field: message key } (first message per field). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form')
    out[key] ??= issue.message
  }
  return out
}

/** What the user list filters on: enabled with a password, disabled, or invited (no password yet). */
export const USER_STATUSES = ['active', 'disabled', 'invited'] as const
export type UserStatus = (typeof USER_STATUSES)[number]
