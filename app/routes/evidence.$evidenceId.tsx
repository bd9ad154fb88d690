import type { LoaderFunctionArgs } from '@remix-run/node'
import * as z from 'zod'
import { readEvidence } from '../assessment/evidence.server.ts'
import { notFound, requireUser } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'

const ParamsSchema = z.object({ evidenceId: z.coerce.number().int().positive() })

/** Opens an evidence file for anyone whose scope includes its facility; 404 for everyone else. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const result = await readEvidence(getDb(), user, parsed.data.evidenceId)
  if (result.kind === 'not_found') throw notFound()
  if (result.kind === 'corrupt') {
    return new Response('The stored file does not match its checksum.', { status: 500 })
  }
  return new Response(new Uint8Array(result.bytes), {
    headers: {
      'Content-Type': result.mimeType,
      'Content-Length': String(result.bytes.byteLength),
      'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(result.fileName)}`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
