import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { facilitiesEndpoint } from '../api/read.server.ts'

/** The facility registry in the token's scope, filtered, cursor-paginated. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'facilities:read', (caller) => facilitiesEndpoint(args.request, caller))
}
