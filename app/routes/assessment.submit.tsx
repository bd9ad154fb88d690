import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { submitAssessment, SubmitRequestSchema } from '../assessment/submit.server.ts'
import { getI18n } from '../i18n.ts'
import { apiError, parseJsonBody } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'
import { getLocale } from '../utils/locale.server.ts'

/**
 * The director's sign-off (staff get 403): the password again, then submit
 * once; a repeated submissionId answers with the first submission's receipt.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:submit')
    const input = await parseJsonBody(request, SubmitRequestSchema)
    const result = await submitAssessment(getDb(), user, input, context)
    const t = getI18n(getLocale(request)).t
    switch (result.kind) {
      case 'submitted':
        return Response.json({
          kind: 'submitted',
          repeated: result.repeated,
          compositeBp: result.score.compositeBp,
          level: result.score.level.id,
          receipt: result.receipt,
        })
      case 'signature_refused':
        return result.reason === 'rate_limited'
          ? apiError(request, 'rate_limited', {
              message: t('assessment:signOff.rateLimited', { minutes: result.retryMinutes ?? 0 }),
            })
          : apiError(request, 'forbidden', { message: t('assessment:signOff.wrongPassword') })
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
