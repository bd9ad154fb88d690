import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute, sentToken } from '../api/caller.server.ts'
import { exportRun, exportRunForToken } from '../waves/export-route.server.ts'

/**
 * A saved run as JSON for the Ministry's other systems (same access rules as
 * the page), with a token (`waves:read`, its province) or a reviewer's session.
 */
export async function loader(args: LoaderFunctionArgs) {
  if (sentToken(args.request))
    return apiRoute(args, 'waves:read', (caller) =>
      exportRunForToken(args.request, caller, args.params),
    )
  return exportRun(args.request, args.context, args.params, 'json')
}
