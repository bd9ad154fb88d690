/** Examples for placeholders, from the reader's own scope. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { listExampleFacilities } from '../models/review.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'

/**
 * Examples for placeholders, from the reviewer's own scope: the first
 * facility codes, and the last two words of the first name as folded search
 * text ("thanh hoa" for a Thanh Hoá reviewer, never another province's).
 */
export async function scopeExamples(db: Kysely<Database>, filter: FacilityFilter) {
  const rows = await listExampleFacilities(db, filter, 3)
  const words = rows[0]?.search_key.split(' ') ?? []
  return {
    codes: rows.map((r) => r.code),
    search: words.length > 0 ? words.slice(-2).join(' ') : null,
  }
}
