import type { LoaderFunctionArgs } from '@remix-run/node'
import { apiRoute, sentToken } from '../api/caller.server.ts'
import { exportWave, exportWaveForToken } from '../waves/export-route.server.ts'

/**
 * JSON for the Ministry's other systems: the same data and access rules as
 * /waves, with a token (`waves:read`, its province) or a reviewer's session.
 */
export async function loader(args: LoaderFunctionArgs) {
  if (sentToken(args.request))
    return apiRoute(args, 'waves:read', (caller) => exportWaveForToken(args.request, caller))
  return exportWave(args.request, args.context, 'json')
}
