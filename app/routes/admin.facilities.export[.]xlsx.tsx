import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRegistry } from '../admin/registry/export-route.server.ts'

/** The registry in its import format, as an XLSX workbook. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportRegistry(request, context, 'xlsx')
}
