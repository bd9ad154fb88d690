import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportWave } from '../waves/export-route.server.ts'

/** The ranked wave as CSV (same parameters as /waves). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportWave(request, context, 'csv')
}
