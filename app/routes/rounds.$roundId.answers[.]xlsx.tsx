import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRoundFile } from '../api/raw-export-route.server.ts'

/** The round's raw answers and codebook in one workbook. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return exportRoundFile(request, context, params, 'answers.xlsx')
}
