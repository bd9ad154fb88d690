import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { exportRoundFileForToken } from '../api/raw-export-route.server.ts'

/** The round's raw answers in the token's scope, as CSV (the codebook says what each column is). */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'assessments:read', (caller) =>
    exportRoundFileForToken(args.request, caller, args.params, 'answers.csv'),
  )
}
