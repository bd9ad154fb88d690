import { notFound } from '../utils/auth.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** Any unknown path: a 404 rendered by the root error page, in the user's language. */
export async function loader() {
  throw notFound()
}

export const handle: RouteI18n = { i18n: [] }

export default function NotFound() {
  return null
}
