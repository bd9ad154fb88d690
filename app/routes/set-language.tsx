import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import * as z from 'zod'
import { LOCALES } from '../i18n.ts'
import { safeRedirectPath } from '../utils/auth.server.ts'
import { serializeLangCookie } from '../utils/locale.server.ts'

const SetLanguageSchema = z.object({
  lang: z.enum(LOCALES, { error: 'lang must be vi or en' }),
  redirectTo: z.string().optional(),
})

export async function loader() {
  return redirect('/')
}

/** Open to everyone (the login page has the switch too); it only sets a cookie. */
export async function action({ request }: ActionFunctionArgs) {
  const parsed = SetLanguageSchema.safeParse(Object.fromEntries(await request.formData()))
  // A resource route: answer with a real Response so the status survives single fetch.
  if (!parsed.success) {
    return Response.json({ errors: z.flattenError(parsed.error).fieldErrors }, { status: 400 })
  }
  return redirect(safeRedirectPath(parsed.data.redirectTo), {
    headers: { 'Set-Cookie': serializeLangCookie(parsed.data.lang) },
  })
}
