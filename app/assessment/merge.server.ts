/**
 * A save built on an older version: merged when it is not a real conflict.
 *
 * Two people filling different questions of the same assessment (the
 * director the governance page, the IT head the infrastructure page) must
 * not stop each other. A save whose browser saw version b while the server
 * is at v > b is applied on top of v when none of its changed questions was
 * changed by anyone in versions b+1 … v (a colleague who set the same value
 * does not count). Otherwise it is a conflict, answered 409 with the
 * questions both changed, as before: the person chooses.
 *
 * The save path (assessment.server.ts `saveAssessment`) calls
 * `planStaleSave` inside its transaction and, on a merge, writes as for any
 * save; the change rows keep the version the author had seen
 * (`based_on_version`) and the audit row says which versions it was merged
 * over.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { getChangesSince } from '../models/assessment.server.ts'
import { decodeValue } from '../models/stored-json.server.ts'

export interface ChangeSince {
  question: string
  value: unknown
  by: string
  at: string
  version: number
}

export type StaleSavePlan =
  | { kind: 'merge'; over: number[] }
  | { kind: 'conflict'; questions: string[]; changes: ChangeSince[] }

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * Pure: the questions of `changes` that someone else changed since, to a
 * different value than this save sets (each question's last change counts).
 * @example overlappingQuestions({ a: 1, b: 2 }, [{ question: 'b', value: 3, … }]) // ['b']
 */
export function overlappingQuestions(
  changes: Record<string, unknown>,
  since: readonly ChangeSince[],
): string[] {
  const last = new Map<string, unknown>()
  for (const c of since) last.set(c.question, c.value)
  return Object.keys(changes).filter((q) => last.has(q) && !same(last.get(q), changes[q]))
}

/** What others changed after `baseVersion` (up to `before`, exclusive, when given). */
export async function mergedChanges(
  db: Kysely<Database>,
  assessmentId: number,
  baseVersion: number,
  before?: number,
): Promise<ChangeSince[]> {
  const rows = await getChangesSince(db, assessmentId, baseVersion)
  return rows
    .filter((c) => before === undefined || (c.version ?? 0) < before)
    .map((c) => ({
      question: c.question,
      value: c.new_value === null ? null : decodeValue(c.new_value),
      by: c.display_name,
      at: c.changed_at,
      version: c.version ?? 0,
    }))
}

/** Reads what changed since `baseVersion` and decides: merge on top, or conflict. */
export async function planStaleSave(
  db: Kysely<Database>,
  assessmentId: number,
  baseVersion: number,
  changes: Record<string, unknown>,
): Promise<StaleSavePlan> {
  const since = await mergedChanges(db, assessmentId, baseVersion)
  const overlapping = overlappingQuestions(changes, since)
  if (overlapping.length > 0) return { kind: 'conflict', questions: overlapping, changes: since }
  return { kind: 'merge', over: [...new Set(since.map((c) => c.version))].sort((a, b) => a - b) }
}
