import type { ActionFunctionArgs } from '@remix-run/node'
import { submitAssessment, SubmitRequestSchema } from '../assessment/assessment.server.ts'
import { parseJsonBody } from '../assessment/http.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'

/** Submit once: a repeated submissionId answers with the first submission. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
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
    case 'stale':
    case 'round_not_open':
      return Response.json(result, { status: 409 })
    case 'not_found':
      return Response.json(result, { status: 404 })
  }
}

export async function loader() {
  return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST' } })
}
