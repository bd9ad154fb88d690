/**
 * Submission receipts, read back from the audit row the submit wrote in the
 * same transaction (app/assessment/submit.server.ts): the record of what was
 * signed, not a value computed again from the answers.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'

export interface SubmissionReceipt {
  /** ISO-8601 UTC. */
  submittedAt: string
  /** The assessment version the submission produced. */
  version: number
  /** SHA-256 (hex) of the answers in canonical JSON. */
  answersSha256: string
  submittedBy: string
  submissionId: string
}

const ReceiptDetailSchema = z.object({
  submissionId: z.string(),
  version: z.number().int(),
  answersSha256: z.string().regex(/^[0-9a-f]{64}$/),
  submittedBy: z.string(),
})

/**
 * The latest submission's receipt of an assessment; null when it was never
 * submitted, or submitted before receipts were recorded (their audit rows
 * carry no hash).
 */
export async function getSubmissionReceipt(
  db: Kysely<Database>,
  assessmentId: number,
): Promise<SubmissionReceipt | null> {
  const row = await db
    .selectFrom('audit_log')
    .select(['at', 'detail_json'])
    .where('action', '=', 'assessment.submit')
    .where('entity_type', '=', 'assessment')
    .where('entity_id', '=', String(assessmentId))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return null
  const detail = ReceiptDetailSchema.safeParse(JSON.parse(row.detail_json))
  if (!detail.success) return null
  return { submittedAt: row.at, ...detail.data }
}
