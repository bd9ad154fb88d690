import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { roundsEndpoint } from '../api/read.server.ts'

/** The assessment rounds with their questionnaire and model versions (any valid token). */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, null, () => roundsEndpoint(args.request))
}
