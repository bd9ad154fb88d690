import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { saveAssessment, SaveRequestSchema } from '../assessment/assessment.server.ts'
import { apiError, parseJsonBody } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'

/** Autosave: changed answers + the version the browser last saw. 409 on a stale version. */
export async function action({ request, context }: ActionFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const input = await parseJsonBody(request, SaveRequestSchema)
    const result = await saveAssessment(getDb(), user, input, context)
    switch (result.kind) {
      case 'saved':
        return Response.json(result)
      case 'invalid':
        return Response.json(result, { status: 422 })
      case 'conflict':
      case 'locked':
      case 'round_not_open':
        return Response.json(result, { status: 409 })
      case 'no_round':
        return Response.json(result, { status: 404 })
    }
  })
}

export async function loader({ request }: LoaderFunctionArgs) {
  return apiError(request, 'method_not_allowed', { headers: { Allow: 'POST' } })
}
