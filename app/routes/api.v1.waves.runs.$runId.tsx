import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRun } from '../waves/export-route.server.ts'

/** A saved run as JSON for the Ministry's other systems (same access rules as the page). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return exportRun(request, context, params, 'json')
}
