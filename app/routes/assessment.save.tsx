import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { answerSaveRequest } from '../assessment/save-route.server.ts'
import { apiError } from '../utils/api-error.server.ts'

/**
 * Autosave. app/server.ts answers `POST /assessment/save` itself through the
 * same function; this action answers what still reaches Remix (a trailing
 * slash, a query string).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  return answerSaveRequest(request, context)
}

export async function loader({ request }: LoaderFunctionArgs) {
  return apiError(request, 'method_not_allowed', { headers: { Allow: 'POST' } })
}
