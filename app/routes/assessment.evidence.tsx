import type { ActionFunctionArgs } from '@remix-run/node'
import {
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
  MaxPartSizeExceededError,
} from '@remix-run/node'
import * as z from 'zod'
import { MAX_EVIDENCE_BYTES, storeEvidence } from '../assessment/evidence.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'

const UploadFieldsSchema = z.object({
  roundId: z.coerce.number().int().positive(),
  question: z.string().regex(/^[a-z][a-z0-9_]*$/),
})

const tooLarge = () =>
  Response.json(
    {
      kind: 'invalid',
      message: { vi: 'Tệp lớn hơn 10 MB.', en: 'The file is larger than 10 MB.' },
    },
    { status: 413 },
  )

/** Evidence upload (multipart): one PDF or image for one gate question. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > MAX_EVIDENCE_BYTES + 64 * 1024) return tooLarge()
  let form: FormData
  try {
    form = await parseMultipartFormData(
      request,
      createMemoryUploadHandler({ maxPartSize: MAX_EVIDENCE_BYTES }),
    )
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return tooLarge()
    return Response.json(
      { kind: 'invalid', message: { vi: 'Tải lên không hợp lệ.', en: 'The upload is not valid.' } },
      { status: 400 },
    )
  }
  const fields = UploadFieldsSchema.safeParse({
    roundId: form.get('roundId'),
    question: form.get('question'),
  })
  const file = form.get('file')
  if (!fields.success || !(file instanceof File)) {
    return Response.json(
      {
        kind: 'invalid',
        message: { vi: 'Thiếu tệp hoặc câu hỏi.', en: 'The file or the question is missing.' },
      },
      { status: 400 },
    )
  }
  const result = await storeEvidence(
    getDb(),
    user,
    { ...fields.data, fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) },
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
}

export async function loader() {
  return new Response('Method Not Allowed', { status: 405, headers: { Allow: 'POST' } })
}
