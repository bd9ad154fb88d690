import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import * as z from 'zod'
import { LOCALES } from '../i18n.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import { RedirectToSchema, safeRedirectPath } from '../utils/auth.server.ts'
import { serializeLangCookie } from '../utils/locale.server.ts'

const SetLanguageSchema = z.object({
  lang: z.enum(LOCALES, { error: 'lang must be vi or en' }),
  redirectTo: RedirectToSchema,
})

export async function loader() {
  return redirect('/')
}

/** Open to everyone (the login page has the switch too); it only sets a cookie. */
export async function action({ request }: ActionFunctionArgs) {
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return apiError(request, 'bad_request')
  }
  const parsed = SetLanguageSchema.safeParse(Object.fromEntries(form))
  // A resource route: answer with a real Response so the status survives single fetch.
  if (!parsed.success) {
    return apiError(request, 'bad_request', { issues: issuesOf(parsed.error.issues) })
  }
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': serializeLangCookie(parsed.data.lang) },
  })
}
