import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportProgress } from '../rollout/export-route.server.ts'

/** Wave members in scope with their steps and risks, as CSV. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return exportProgress(request, context, 'csv')
}
