/**
 * Fixtures the integration tests share: reading what the server exported and
 * what it stored, the same way in every file. `db` comes first, as in the
 * model layer; each test file opens its own (its own SQLite copy).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

/** A small RFC 4180 parser, independent of the exporter. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  return rows
}

/** The `offset`-th submitted assessment (oldest first) of a province's facilities, with its round's model. */
export async function submittedIn(db: Kysely<Database>, province: string, offset = 0) {
  return db
    .selectFrom('assessments')
    .innerJoin('facilities', 'facilities.id', 'assessments.facility_id')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .select([
      'assessments.id',
      'assessments.version',
      'assessments.answers',
      'rounds.scoring_model_id',
    ])
    .where('facilities.province_code', '=', province)
    .where('assessments.status', '=', 'submitted')
    .orderBy('assessments.id')
    .offset(offset)
    .limit(1)
    .executeTakeFirstOrThrow()
}

/** An assessment's workflow state as stored: status, version and answers. */
export async function assessmentState(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('assessments')
    .select(['status', 'version', 'answers'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** How many audit rows record `action` (of one facility, when given). */
export async function auditCount(
  db: Kysely<Database>,
  action: string,
  facilityId?: number,
): Promise<number> {
  let query = db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
  if (facilityId !== undefined) query = query.where('facility_id', '=', facilityId)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.n)
}
