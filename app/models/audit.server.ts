/** The append-only audit log: every security-relevant or data-changing act. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'

export interface AuditInput {
  actorId: number | null
  action: string
  entityType: string
  entityId?: string | number | null
  facilityId?: number | null
  detail?: Record<string, unknown>
  ip?: string | null
  requestId?: string | null
  at: string
}

export async function writeAudit(db: Kysely<Database>, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_id: entry.actorId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id:
        entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      facility_id: entry.facilityId ?? null,
      // JSON encoding also neutralises CR/LF, so input cannot forge log lines.
      detail_json: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
    })
    .execute()
}
