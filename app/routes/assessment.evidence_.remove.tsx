import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import * as z from 'zod'
import { removeEvidence } from '../assessment/evidence.server.ts'
import { apiError, parseJsonBody } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'

const RemoveEvidenceSchema = z.strictObject({
  roundId: z.number().int().positive(),
  evidenceId: z.number().int().positive(),
})

/** Removes one evidence file of the user's own assessment before submit (audited). */
export async function action({ request, context }: ActionFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const input = await parseJsonBody(request, RemoveEvidenceSchema)
    const result = await removeEvidence(getDb(), user, input, context)
    switch (result.kind) {
      case 'removed':
        return Response.json(result)
      case 'locked':
      case 'round_not_open':
        return Response.json(result, { status: 409 })
      case 'not_found':
        return Response.json(result, { status: 404 })
    }
  })
}

export async function loader({ request }: LoaderFunctionArgs) {
  return apiError(request, 'method_not_allowed', { headers: { Allow: 'POST' } })
}
