import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { submitAssessment, SubmitRequestSchema } from '../assessment/assessment.server.ts'
import { apiError, parseJsonBody } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'

/** Submit once: a repeated submissionId answers with the first submission. */
export async function action({ request, context }: ActionFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const input = await parseJsonBody(request, SubmitRequestSchema)
    const result = await submitAssessment(getDb(), user, input, context)
    switch (result.kind) {
      case 'submitted':
        return Response.json({
          kind: 'submitted',
          repeated: result.repeated,
          compositeBp: result.score.compositeBp,
          level: result.score.level.id,
        })
      case 'invalid':
        return Response.json(result, { status: 422 })
      case 'locked':
      case 'round_not_open':
      case 'stale':
        return Response.json(result, { status: 409 })
      case 'not_found':
        return Response.json(result, { status: 404 })
    }
  })
}

export async function loader({ request }: LoaderFunctionArgs) {
  return apiError(request, 'method_not_allowed', { headers: { Allow: 'POST' } })
}
