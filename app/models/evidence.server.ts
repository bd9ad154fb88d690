/** Evidence files: metadata in SQLite, bytes on disk (EVIDENCE_DIR). */
import type { Kysely } from 'kysely'
import type { Database, EvidenceFile } from '../../db/schema.ts'

export async function insertEvidence(
  db: Kysely<Database>,
  input: Omit<EvidenceFile, 'id' | 'removed_at' | 'removed_by'>,
): Promise<number> {
  const row = await db
    .insertInto('evidence_files')
    .values({ ...input, removed_at: null, removed_by: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function getEvidence(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('evidence_files')
    .innerJoin('assessments', 'assessments.id', 'evidence_files.assessment_id')
    .select([
      'evidence_files.id',
      'evidence_files.assessment_id',
      'evidence_files.question',
      'evidence_files.file_name',
      'evidence_files.mime_type',
      'evidence_files.size_bytes',
      'evidence_files.sha256',
      'evidence_files.storage_path',
      'evidence_files.removed_at',
      'assessments.facility_id',
    ])
    .where('evidence_files.id', '=', id)
    .executeTakeFirst()
}

/** Live (not removed) evidence of an assessment, for the form and the review page. */
export async function listEvidence(db: Kysely<Database>, assessmentId: number) {
  return db
    .selectFrom('evidence_files')
    .innerJoin('users', 'users.id', 'evidence_files.uploaded_by')
    .select([
      'evidence_files.id',
      'evidence_files.question',
      'evidence_files.file_name',
      'evidence_files.mime_type',
      'evidence_files.size_bytes',
      'evidence_files.sha256',
      'evidence_files.uploaded_at',
      'users.display_name as uploaded_by_name',
    ])
    .where('evidence_files.assessment_id', '=', assessmentId)
    .where('evidence_files.removed_at', 'is', null)
    .orderBy('evidence_files.id')
    .execute()
}

export async function listEvidenceQuestions(
  db: Kysely<Database>,
  assessmentId: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('evidence_files')
    .select('question')
    .distinct()
    .where('assessment_id', '=', assessmentId)
    .where('removed_at', 'is', null)
    .execute()
  return rows.map((r) => r.question)
}

/** How many live files an assessment holds and their total size (for the quota). */
export async function getEvidenceUsage(
  db: Kysely<Database>,
  assessmentId: number,
): Promise<{ files: number; bytes: number }> {
  const row = await db
    .selectFrom('evidence_files')
    .select((eb) => [
      eb.fn.countAll<number>().as('files'),
      eb.fn.coalesce(eb.fn.sum<number>('size_bytes'), eb.val(0)).as('bytes'),
    ])
    .where('assessment_id', '=', assessmentId)
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { files: Number(row.files), bytes: Number(row.bytes) }
}

/**
 * Removes a live file of an assessment (the bytes stay on disk for the
 * record; the file is no longer listed, served or counted). False when it is
 * not a live file of that assessment.
 */
export async function markEvidenceRemoved(
  db: Kysely<Database>,
  input: { id: number; assessmentId: number; userId: number; now: string },
): Promise<boolean> {
  const result = await db
    .updateTable('evidence_files')
    .set({ removed_at: input.now, removed_by: input.userId })
    .where('id', '=', input.id)
    .where('assessment_id', '=', input.assessmentId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}
