import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRun } from '../waves/export-route.server.ts'

/** A saved run as XLSX, exactly as stored (byte-identical on every download). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return exportRun(request, context, params, 'xlsx')
}
