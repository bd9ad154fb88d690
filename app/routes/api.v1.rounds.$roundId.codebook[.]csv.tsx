import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute } from '../api/caller.server.ts'
import { exportRoundFileForToken } from '../api/raw-export-route.server.ts'

/** The round's codebook: question id, text vi/en, type, choices, domain, weight, regulation, version. */
export async function loader(args: LoaderFunctionArgs) {
  return apiRoute(args, 'assessments:read', (caller) =>
    exportRoundFileForToken(args.request, caller, args.params, 'codebook.csv'),
  )
}
