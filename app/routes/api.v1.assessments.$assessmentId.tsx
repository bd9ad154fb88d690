import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { assessmentEndpoint } from '../api/read.server.ts'

/** One assessment: raw answers and status history; 404 outside the token's province. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'assessments:read', (caller) =>
    assessmentEndpoint(args.request, caller, args.params),
  )
}
