import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportFacilityList } from '../review/list-export-route.server.ts'

/** The facilities table for the URL's filters, every page, as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportFacilityList(request, context, 'csv')
}
