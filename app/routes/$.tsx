import { notFound } from '../utils/auth.server.ts'

/** Any unknown path: a 404 rendered by the root error page, in the user's language. */
export async function loader() {
  throw notFound()
}

export default function NotFound() {
  return null
}
