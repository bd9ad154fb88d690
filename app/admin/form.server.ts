/** Reading the account form of the admin pages. */
import * as z from 'zod'
import { listProvinces } from '../models/facility.server.ts'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { fieldErrors, NewUserSchema, UserFieldsSchema } from './user-input.ts'

/** The form's text fields, as typed (shown back on an error). */
export function formValues(form: FormData) {
  const text = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : ''
  }
  return {
    login: text('login'),
    displayName: text('displayName'),
    role: text('role'),
    facilityCode: text('facilityCode'),
    provinceCode: text('provinceCode'),
    email: text('email'),
    phone: text('phone'),
  }
}

export function parseNewUser(form: FormData) {
  const parsed = NewUserSchema.safeParse(formValues(form))
  return parsed.success
    ? ({ ok: true, data: parsed.data } as const)
    : ({ ok: false, errors: fieldErrors(parsed.error.issues) } as const)
}

export function parseUserFields(form: FormData) {
  const parsed = UserFieldsSchema.safeParse(formValues(form))
  return parsed.success
    ? ({ ok: true, data: parsed.data } as const)
    : ({ ok: false, errors: fieldErrors(parsed.error.issues) } as const)
}

export async function allProvinces(db: Kysely<Database>) {
  return listProvinces(db, { kind: 'all' })
}

/** The first form field of FormData, or null when the body is not a form. */
export async function readForm(request: Request): Promise<FormData | null> {
  try {
    return await request.formData()
  } catch {
    return null
  }
}

export const UserIdParamsSchema = z.object({ userId: z.coerce.number().int().positive() })
