/**
 * The analysts' downloads of a round (`/rounds/:id/answers.csv`, `.xlsx`,
 * `/rounds/:id/codebook.csv`): guard, parse, build within the reviewer's
 * scope, audit, respond as an attachment.
 */
import type { AppLoadContext } from '@remix-run/node'
import * as z from 'zod'
import { writeAudit } from '../models/audit.server.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { toCsv } from '../utils/csv.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'
import {
  answersXlsx,
  codebookTable,
  getRoundAnswerTable,
  getRoundCodebook,
} from './raw-answers.server.ts'

export type RoundFile = 'answers.csv' | 'answers.xlsx' | 'codebook.csv'

const ParamsSchema = z.object({ roundId: z.coerce.number().int().positive() })

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const

export async function exportRoundFile(
  request: Request,
  context: AppLoadContext,
  params: unknown,
  file: RoundFile,
): Promise<Response> {
  const user = await requirePermission(request, 'answers:export')
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const db = getDb()
  const roundId = parsed.data.roundId
  const filter = facilityFilterFor(user)
  let body: string | Uint8Array
  let rows: number
  if (file === 'codebook.csv') {
    const codebook = await getRoundCodebook(db, roundId)
    if (!codebook) throw notFound()
    body = toCsv(codebookTable(codebook.entries))
    rows = codebook.entries.length
  } else {
    const table = await getRoundAnswerTable(db, filter, roundId)
    if (!table) throw notFound()
    body =
      file === 'answers.csv'
        ? toCsv(table.rows)
        : await answersXlsx(table.rows, codebookTable(table.entries))
    rows = table.rows.length - 1
  }
  await writeAudit(db, {
    at: nowIso(),
    actorId: user.id,
    action: `round.${file.replace('.', '.export.')}`,
    entityType: 'round',
    entityId: roundId,
    detail: { scope: filter, rows },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  const [name, extension] = file.split('.') as [string, 'csv' | 'xlsx']
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: {
      'Content-Type': TYPES[extension],
      'Content-Disposition': `attachment; filename="sansang-round${roundId}-${name}.${extension}"`,
      'Cache-Control': 'no-store',
    },
  })
}
