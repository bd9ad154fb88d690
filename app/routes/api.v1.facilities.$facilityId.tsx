import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { facilityEndpoint } from '../api/read.server.ts'

/** One facility of the registry; 404 outside the token's province. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'facilities:read', (caller) =>
    facilityEndpoint(args.request, caller, args.params),
  )
}
