import type { LoaderFunctionArgs } from '@remix-run/node'
import { PreviewQuerySchema, previewSubmission } from '../assessment/submit.server.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'

/**
 * What submitting now would record (score, level, model version), or the
 * questions still missing: the sign-off's confirmation reads it, and staff
 * use it to see what is left. Read-only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const query = PreviewQuerySchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    )
    if (!query.success) {
      return apiError(request, 'bad_request', { issues: issuesOf(query.error.issues) })
    }
    const result = await previewSubmission(getDb(), user, query.data.roundId)
    const headers = { 'Cache-Control': 'no-store' }
    switch (result.kind) {
      case 'ready':
        return Response.json(result, { headers })
      case 'invalid':
        return Response.json(result, { status: 422, headers })
      case 'locked':
      case 'round_not_open':
        return Response.json(result, { status: 409, headers })
      case 'not_found':
        return Response.json(result, { status: 404, headers })
    }
  })
}
