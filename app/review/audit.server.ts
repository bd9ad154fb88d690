/** The audit page: filters read from the URL, checked, turned into one query. */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import {
  findFacilityIdByCode,
  findUserIdByLogin,
  listAuditActions,
  listAuditEntries,
} from '../models/audit-query.server.ts'
import { vietnamDayStart } from '../utils/date-format.ts'

export const AUDIT_PAGE_SIZE = 50

const IsoDate = z.iso.date({ error: 'date' })

// Unknown parameters are ignored, so a shared link with extra fields still works.
export const AuditParamsSchema = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    actor: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{1,64}$/, { error: 'actor' })
      .optional(),
    action: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, { error: 'action' })
      .optional(),
    facility: z
      .string()
      .trim()
      .regex(/^\d{2,10}$/, { error: 'facility' })
      .optional(),
    before: z.coerce.number().int().positive().optional(),
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { error: 'range', path: ['to'] })
export type AuditParams = z.infer<typeof AuditParamsSchema>

/** The actions that occur in the log, for the filter's choices. */
export async function getAuditActions(db: Kysely<Database>) {
  return listAuditActions(db)
}

export async function getAuditPage(db: Kysely<Database>, params: AuditParams) {
  const [actorId, facilityId, actions] = await Promise.all([
    params.actor ? findUserIdByLogin(db, params.actor) : Promise.resolve(undefined),
    params.facility ? findFacilityIdByCode(db, params.facility) : Promise.resolve(undefined),
    listAuditActions(db),
  ])
  const unknown = [
    ...(params.actor && actorId === undefined ? (['actor'] as const) : []),
    ...(params.facility && facilityId === undefined ? (['facility'] as const) : []),
  ]
  if (unknown.length > 0) return { kind: 'unknown' as const, unknown, actions }
  // One more row than shown tells whether an older page exists.
  const rows = await listAuditEntries(db, {
    // Days as the reader means them: in Vietnam's time.
    fromAt: params.from ? vietnamDayStart(params.from) : undefined,
    toAt: params.to ? vietnamDayStart(params.to, 1) : undefined,
    actorId,
    action: params.action,
    facilityId,
    beforeId: params.before,
    limit: AUDIT_PAGE_SIZE + 1,
  })
  const page = rows.slice(0, AUDIT_PAGE_SIZE)
  const last = page.at(-1)
  return {
    kind: 'ok' as const,
    actions,
    rows: page,
    olderBefore: rows.length > AUDIT_PAGE_SIZE && last ? last.id : null,
  }
}
