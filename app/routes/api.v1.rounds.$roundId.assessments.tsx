import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { assessmentsEndpoint } from '../api/read.server.ts'

/** A round's assessments in the token's scope: raw answers and status history. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'assessments:read', (caller) =>
    assessmentsEndpoint(args.request, caller, args.params),
  )
}
