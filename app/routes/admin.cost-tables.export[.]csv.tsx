import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportCurrentCostTable } from '../admin/cost-tables-export-route.server.ts'

/** The current cost table in its import format, as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportCurrentCostTable(request, context, 'csv')
}
