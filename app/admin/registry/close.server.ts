/**
 * Closing and reopening a facility. A closed facility stays in the registry
 * with everything attached to it; what "closed" changes elsewhere:
 * - the wave planner no longer reads it (app/models/wave-input.server.ts), so
 *   it is never ranked or selected for a rollout wave;
 * - the registry list and the facility page show it as closed, with the date;
 * - an import never reopens it, and does not list it as missing.
 * Each act is one transaction: the facility, its history row (with the
 * reason) and an audit row.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../../db/schema.ts'
import { writeAudit } from '../../models/audit.server.ts'
import { insertFacilityChanges } from '../../models/facility-change.server.ts'
import { setFacilityClosed } from '../../models/facility.server.ts'

export const FacilityStatusFormSchema = z.object({
  intent: z.enum(['close', 'reopen']),
  reason: z
    .string()
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, { error: 'reasonRequired' }).max(500)),
})

export type FacilityStatusResult = { kind: 'done'; closed: boolean } | { kind: 'unchanged' }

export async function setFacilityStatus(
  db: Kysely<Database>,
  input: {
    facilityId: number
    close: boolean
    reason: string
    userId: number
    ip: string | null
    requestId: string | null
    now: string
  },
): Promise<FacilityStatusResult> {
  return db.transaction().execute(async (trx) => {
    const changed = await setFacilityClosed(trx, {
      id: input.facilityId,
      closedAt: input.close ? input.now : null,
    })
    // Already in that state (someone else was quicker), or no such facility: nothing written.
    if (!changed) return { kind: 'unchanged' }
    const kind = input.close ? 'closed' : 'reopened'
    await insertFacilityChanges(trx, [
      {
        facility_id: input.facilityId,
        kind,
        reason: input.reason,
        user_id: input.userId,
        changed_at: input.now,
      },
    ])
    await writeAudit(trx, {
      actorId: input.userId,
      action: input.close ? 'facility.close' : 'facility.reopen',
      entityType: 'facility',
      entityId: input.facilityId,
      facilityId: input.facilityId,
      detail: { reason: input.reason },
      ip: input.ip,
      requestId: input.requestId,
      at: input.now,
    })
    return { kind: 'done', closed: input.close }
  })
}
