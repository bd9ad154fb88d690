/**
 * Autosave (POST /assessment/save): guard, parse, save, respond. One home for
 * both ways a save arrives: the Remix route's action
 * (app/routes/assessment.save.tsx) and app/server.ts, which hands the exact
 * path straight here without the Remix request pipeline (matching the route
 * tree and running the action pipeline was about a fifth of a save's CPU
 * time; see README, Performance). Both give this function the same Fetch
 * `Request`, body already checked by the request-body policy, and the same
 * client address and request id.
 */
import { parseJsonBody } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'
import { saveAssessment, SaveRequestSchema, type RequestMeta } from './assessment.server.ts'

/** Changed answers + the version the browser last saw; 409 on a stale version. */
export async function answerSaveRequest(request: Request, meta: RequestMeta): Promise<Response> {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const input = await parseJsonBody(request, SaveRequestSchema)
    const result = await saveAssessment(getDb(), user, input, meta)
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
