import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportWave } from '../waves/export-route.server.ts'

/** JSON for the Ministry's other systems: the same data and access rules as /waves. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportWave(request, context, 'json')
}
