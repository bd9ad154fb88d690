/**
 * Milestones: a director proposes a step of their own facility, a reviewer
 * within scope confirms or returns it with a comment (like assessments).
 * Confirming writes `facilities.emr_status` from the confirmed steps in the
 * same transaction, so the status is never typed by hand and the wave
 * planner's "already live" exclusion follows it (the `facilities` change
 * counter makes its kept lists stale). The order and date rules are in
 * rules.ts; every act is audited with the facility.
 */
import type { Kysely } from 'kysely'
import type { Database, MilestoneKind } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  getMilestone,
  insertMilestone,
  listConfirmedKinds,
  listStandingMilestones,
  listWavesOfFacility,
  reviewMilestone,
  setEmrStatus,
} from '../models/rollout.server.ts'
import { canAccessFacility, type SessionUser } from '../utils/auth.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import { nowIso } from '../utils/time.server.ts'
import type { ProposeMilestone, ReviewMilestoneInput } from './rollout-input.ts'
import {
  confirmationBlockedBy,
  deriveEmrStatus,
  proposalProblems,
  type ProposalProblem,
} from './rules.ts'

export type ProposeResult =
  | { kind: 'proposed'; milestoneId: number }
  | { kind: 'refused'; problems: ProposalProblem[] }
  | { kind: 'not_in_wave' }

/** The caller has checked `rollout:propose`; the facility is the user's own. */
export async function proposeMilestone(
  db: Kysely<Database>,
  user: SessionUser,
  facilityId: number,
  input: ProposeMilestone,
  today: string,
  meta: RequestMeta,
): Promise<ProposeResult> {
  return db.transaction().execute(async (trx): Promise<ProposeResult> => {
    if ((await listWavesOfFacility(trx, facilityId)).length === 0) return { kind: 'not_in_wave' }
    const standing = (await listStandingMilestones(trx, facilityId)).map((m) => ({
      kind: m.kind,
      occurredOn: m.occurred_on,
      status: m.status,
    }))
    const problems = proposalProblems(input, standing, today)
    if (problems.length > 0) return { kind: 'refused', problems }
    const now = nowIso()
    const milestoneId = await insertMilestone(trx, {
      facilityId,
      kind: input.kind,
      occurredOn: input.occurredOn,
      note: input.note,
      evidenceRef: input.evidenceRef,
      proposedBy: user.id,
      proposedAt: now,
    })
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'rollout.milestone.propose',
      entityType: 'milestone',
      entityId: milestoneId,
      facilityId,
      detail: { kind: input.kind, occurredOn: input.occurredOn, evidenceRef: input.evidenceRef },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'proposed', milestoneId }
  })
}

export type ReviewResult =
  | { kind: 'confirmed'; emrStatus: string }
  | { kind: 'returned' }
  | { kind: 'waits_for'; prerequisite: MilestoneKind }
  | { kind: 'not_found' }
  | { kind: 'conflict' }

/**
 * The caller has checked `rollout:confirm`; a milestone outside the user's
 * scope is not found. A proposal already reviewed is a conflict.
 */
export async function decideMilestone(
  db: Kysely<Database>,
  user: SessionUser,
  input: ReviewMilestoneInput,
  meta: RequestMeta,
): Promise<ReviewResult> {
  return db.transaction().execute(async (trx): Promise<ReviewResult> => {
    const milestone = await getMilestone(trx, input.milestoneId)
    if (
      !milestone ||
      !canAccessFacility(user, {
        id: milestone.facility_id,
        province_code: milestone.province_code,
      })
    )
      return { kind: 'not_found' }
    if (milestone.status !== 'proposed') return { kind: 'conflict' }
    const now = nowIso()
    const confirm = input.decision === 'confirm'
    const confirmed = await listConfirmedKinds(trx, milestone.facility_id)
    if (confirm) {
      const prerequisite = confirmationBlockedBy(milestone.kind, confirmed)
      if (prerequisite) return { kind: 'waits_for', prerequisite }
    }
    const written = await reviewMilestone(trx, {
      id: milestone.id,
      status: confirm ? 'confirmed' : 'returned',
      reviewedBy: user.id,
      reviewedAt: now,
      comment: input.comment === '' ? null : input.comment,
    })
    if (!written) return { kind: 'conflict' }
    let emrStatus = milestone.emr_status
    if (confirm) {
      emrStatus = deriveEmrStatus(new Set([...confirmed, milestone.kind]))
      await setEmrStatus(trx, milestone.facility_id, emrStatus)
    }
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: confirm ? 'rollout.milestone.confirm' : 'rollout.milestone.return',
      entityType: 'milestone',
      entityId: milestone.id,
      facilityId: milestone.facility_id,
      detail: {
        kind: milestone.kind,
        occurredOn: milestone.occurred_on,
        comment: input.comment,
        ...(confirm ? { emrStatus: { before: milestone.emr_status, after: emrStatus } } : {}),
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return confirm ? { kind: 'confirmed', emrStatus } : { kind: 'returned' }
  })
}
