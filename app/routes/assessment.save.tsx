import type { ActionFunctionArgs } from '@remix-run/node'
import { saveAssessment, SaveRequestSchema } from '../assessment/assessment.server.ts'
import { parseJsonBody } from '../assessment/http.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'

/** Autosave: changed answers + the version the browser last saw. 409 on a stale version. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
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
}

export async function loader() {
  return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST' } })
}
