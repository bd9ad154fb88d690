import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportScenarioSet } from '../waves/roadmap-export-route.server.ts'

/** A saved roadmap scenario set as XLSX, dated at its creation (byte-identical on every download). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  return exportScenarioSet(request, context, params, 'xlsx')
}
