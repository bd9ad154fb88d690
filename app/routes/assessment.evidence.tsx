import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
} from '@remix-run/node'
import * as z from 'zod'
import { MAX_EVIDENCE_BYTES, storeEvidence } from '../assessment/evidence.server.ts'
import { getI18n } from '../i18n.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import { requireApiPermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { jsonEndpoint } from '../utils/json-endpoint.server.ts'
import { getLocale } from '../utils/locale.server.ts'

const UploadFieldsSchema = z.object({
  roundId: z.coerce.number().int().positive(),
  question: z.string().regex(/^[a-z][a-z0-9_]*$/),
  file: z.instanceof(File),
  /** A file of the same question this one replaces (removed as this one is stored). */
  replaces: z.coerce.number().int().positive().nullable(),
})

/** Evidence upload (multipart): one PDF or image for one gate question, or in place of one. */
export async function action({ request, context }: ActionFunctionArgs) {
  return jsonEndpoint(request, async () => {
    const user = await requireApiPermission(request, 'assessment:edit')
    const t = getI18n(getLocale(request)).t
    // app/server.ts already refused a body over the upload limit; this is the file's own.
    const tooLarge = () =>
      apiError(request, 'payload_too_large', {
        message: t('common:evidenceUpload.tooLarge', { size: MAX_EVIDENCE_BYTES / 1024 / 1024 }),
      })
    let form: FormData
    try {
      form = await parseMultipartFormData(
        request,
        createMemoryUploadHandler({ maxPartSize: MAX_EVIDENCE_BYTES }),
      )
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return tooLarge()
      return apiError(request, 'bad_request', { message: t('common:evidenceUpload.notMultipart') })
    }
    const fields = UploadFieldsSchema.safeParse({
      roundId: form.get('roundId'),
      question: form.get('question'),
      file: form.get('file'),
      replaces: form.get('replaces') || null,
    })
    if (!fields.success) {
      return apiError(request, 'bad_request', {
        message: t('common:evidenceUpload.missing'),
        issues: issuesOf(fields.error.issues),
      })
    }
    const { file, ...target } = fields.data
    const result = await storeEvidence(
      getDb(),
      user,
      { ...target, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
      context,
    )
    switch (result.kind) {
      case 'stored':
        return Response.json(result)
      case 'invalid':
        return Response.json(result, { status: 422 })
      case 'quota':
        return Response.json(result, { status: result.limit === 'bytes' ? 413 : 422 })
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
