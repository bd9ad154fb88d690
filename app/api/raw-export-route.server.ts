/**
 * The analysts' downloads of a round (`/rounds/:id/answers.csv`, `.xlsx`,
 * `/rounds/:id/codebook.csv`): guard, parse, build within the reviewer's
 * scope, audit, respond as an attachment. A token with `assessments:read`
 * gets the same files under /api/v1/rounds/:id/ (answers.csv, codebook.csv).
 */
import type { AppLoadContext } from '@remix-run/node'
import * as z from 'zod'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import {
  facilityFilterFor,
  notFound,
  requirePermission,
  type FacilityFilter,
} from '../utils/auth.server.ts'
import { toCsv } from '../utils/csv.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'
import type { ApiCaller } from './caller.server.ts'
import { fileResponse, tablesXlsx } from '../utils/export-files.server.ts'
import { codebookTable, getRoundAnswerTable, getRoundCodebook } from './raw-answers.server.ts'

export type RoundFile = 'answers.csv' | 'answers.xlsx' | 'codebook.csv'

const ParamsSchema = z.object({ roundId: z.coerce.number().int().positive() })

/** A round's file within a scope; null when there is no such round. */
export async function buildRoundFile(
  db: Kysely<Database>,
  filter: FacilityFilter,
  roundId: number,
  file: RoundFile,
): Promise<{ body: string | Uint8Array; rows: number } | null> {
  if (file === 'codebook.csv') {
    const codebook = await getRoundCodebook(db, roundId)
    return (
      codebook && { body: toCsv(codebookTable(codebook.entries)), rows: codebook.entries.length }
    )
  }
  const table = await getRoundAnswerTable(db, filter, roundId)
  if (!table) return null
  const body =
    file === 'answers.csv'
      ? toCsv(table.rows)
      : // Answers and codebook in one workbook, a sheet each.
        await tablesXlsx([
          { name: 'answers', rows: table.rows },
          { name: 'codebook', rows: codebookTable(table.entries) },
        ])
  return { body, rows: table.rows.length - 1 }
}

/** The file as an attachment. */
export function roundFileResponse(roundId: number, file: RoundFile, body: string | Uint8Array) {
  const [name, extension] = file.split('.') as [string, 'csv' | 'xlsx']
  return fileResponse(`sansang-round${roundId}-${name}.${extension}`, extension, body)
}

/** For a signed-in reviewer or administrator (`answers:export`), audited. */
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
  const built = await buildRoundFile(db, filter, roundId, file)
  if (!built) throw notFound()
  await writeAudit(db, {
    at: nowIso(),
    actorId: user.id,
    action: `round.${file.replace('.', '.export.')}`,
    entityType: 'round',
    entityId: roundId,
    detail: { scope: filter, rows: built.rows },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  return roundFileResponse(roundId, file, built.body)
}

/** For a token with `assessments:read` (inside `apiRoute`, which audits the call). */
export async function exportRoundFileForToken(
  request: Request,
  caller: ApiCaller,
  params: unknown,
  file: RoundFile,
): Promise<Response> {
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success)
    throw apiError(request, 'bad_request', { issues: issuesOf(parsed.error.issues) })
  const built = await buildRoundFile(getDb(), caller.filter, parsed.data.roundId, file)
  if (!built) throw apiError(request, 'not_found')
  return roundFileResponse(parsed.data.roundId, file, built.body)
}
