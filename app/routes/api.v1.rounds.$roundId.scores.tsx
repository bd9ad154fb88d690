import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { scoresEndpoint } from '../api/read.server.ts'

/** A round's scores in the token's scope: declared and verified, which is current. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'scores:read', (caller) =>
    scoresEndpoint(args.request, caller, args.params),
  )
}
