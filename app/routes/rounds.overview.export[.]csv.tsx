import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRoundOverview } from '../review/list-export-route.server.ts'

/** The round overview (each province and the whole scope) as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportRoundOverview(request, context, 'csv')
}
