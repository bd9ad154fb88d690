import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRoundFile } from '../api/raw-export-route.server.ts'

/** The round's codebook: what each column of the answers file is. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return exportRoundFile(request, context, params, 'codebook.csv')
}
