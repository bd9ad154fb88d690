/** What each role's home page shows. */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { countAssessmentsByStatus, getAssessmentStatus } from '../models/assessment.server.ts'
import {
  countFacilitiesByTier,
  countSystemRows,
  getFacilityDetails,
  getProvinceName,
} from '../models/facility.server.ts'
import { listOpenComments } from '../models/comment.server.ts'
import { facilityDeadline } from '../assessment/round-window.server.ts'
import { getCurrentRound, getNextRound } from '../models/round.server.ts'
import { facilityFilterFor, type SessionUser } from './auth.server.ts'
import { can } from './permissions.ts'

export async function getHomeData(db: Kysely<Database>, user: SessionUser, today: string) {
  const round = (await getCurrentRound(db, today)) ?? null
  const filter = facilityFilterFor(user)
  if (filter.kind === 'facility') {
    const facility = await getFacilityDetails(db, filter.facilityId)
    const assessment = round
      ? await getAssessmentStatus(db, filter.facilityId, round.id)
      : undefined
    const comments =
      assessment?.status === 'returned' ? await listOpenComments(db, assessment.id) : []
    const next = await getNextRound(db, today)
    return {
      kind: 'facility' as const,
      round,
      deadline: round ? await facilityDeadline(db, round, filter.facilityId, today) : null,
      nextRound: next
        ? { name: next.name, opensOn: next.opens_on, closesOn: next.closes_on }
        : null,
      facility: facility ?? null,
      assessmentStatus: assessment?.status ?? 'not_started',
      comments: comments.map((c) => ({
        id: c.id,
        question: c.question,
        body: c.body,
        author: c.author,
      })),
    }
  }
  const [byTier, byStatus, province, system] = await Promise.all([
    countFacilitiesByTier(db, filter),
    round ? countAssessmentsByStatus(db, filter, round.id) : Promise.resolve([]),
    filter.kind === 'province'
      ? getProvinceName(db, filter.provinceCode)
      : Promise.resolve(undefined),
    can(user, 'system:overview') ? countSystemRows(db) : Promise.resolve(null),
  ])
  return {
    kind: 'scope' as const,
    round,
    province: province ?? null,
    byTier: byTier.map((r) => ({ tier: r.tier, count: Number(r.count) })),
    byStatus: byStatus.map((r) => ({ status: String(r.status), count: Number(r.count) })),
    system,
  }
}
