/**
 * Deadline extensions: a reviewer within scope gives one facility a later
 * closing date in one round (never before the round's own close), with a
 * reason; changes it or withdraws it. Nothing is deleted: a change ends the
 * row in force and inserts its successor, a withdrawal ends it. Every act is
 * audited with the facility, so the facility's audit trail shows it. The
 * write window reads the row in force (round-window.server.ts).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { ExtensionForm } from '../admin/round-input.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  endExtension,
  getExtensionInForce,
  insertExtension,
} from '../models/round-extension.server.ts'
import { getRound } from '../models/round.server.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import { nowIso } from '../utils/time.server.ts'

export type ExtensionResult =
  | { kind: 'granted'; closesOn: string }
  | { kind: 'withdrawn' }
  | { kind: 'invalid'; errors: Record<string, string>; roundClosesOn?: string }
  | { kind: 'not_found' }
  | { kind: 'conflict' }

/**
 * Grants the facility an extension, or replaces the one in force. The
 * caller has checked `extensions:grant` and the facility's scope.
 */
export async function grantExtension(
  db: Kysely<Database>,
  user: SessionUser,
  facilityId: number,
  input: ExtensionForm,
  meta: RequestMeta,
): Promise<ExtensionResult> {
  const round = await getRound(db, input.roundId)
  if (!round) return { kind: 'not_found' }
  if (input.closesOn < round.closes_on) {
    return {
      kind: 'invalid',
      errors: { closesOn: 'beforeRoundClose' },
      roundClosesOn: round.closes_on,
    }
  }
  return db.transaction().execute(async (trx): Promise<ExtensionResult> => {
    const now = nowIso()
    const before = await getExtensionInForce(trx, round.id, facilityId)
    if (before && !(await endExtension(trx, before.id, 'changed', user.id, now))) {
      return { kind: 'conflict' }
    }
    const id = await insertExtension(trx, {
      roundId: round.id,
      facilityId,
      closesOn: input.closesOn,
      reason: input.reason,
      grantedBy: user.id,
      now,
    })
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: before ? 'extension.changed' : 'extension.granted',
      entityType: 'round_extension',
      entityId: id,
      facilityId,
      detail: {
        roundId: round.id,
        closesOn: input.closesOn,
        reason: input.reason,
        roundClosesOn: round.closes_on,
        ...(before
          ? { replaces: before.id, before: { closesOn: before.closes_on, reason: before.reason } }
          : {}),
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'granted', closesOn: input.closesOn }
  })
}

/** Withdraws the extension in force: the facility is held to the round's date again. */
export async function withdrawExtension(
  db: Kysely<Database>,
  user: SessionUser,
  facilityId: number,
  roundId: number,
  meta: RequestMeta,
): Promise<ExtensionResult> {
  return db.transaction().execute(async (trx): Promise<ExtensionResult> => {
    const now = nowIso()
    const before = await getExtensionInForce(trx, roundId, facilityId)
    if (!before) return { kind: 'invalid', errors: { form: 'noExtension' } }
    if (!(await endExtension(trx, before.id, 'withdrawn', user.id, now)))
      return { kind: 'conflict' }
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'extension.withdrawn',
      entityType: 'round_extension',
      entityId: before.id,
      facilityId,
      detail: { roundId, closesOn: before.closes_on, reason: before.reason },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'withdrawn' }
  })
}
