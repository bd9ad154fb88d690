/**
 * One facility's rollout as its director sees it, on the rollout page and
 * on the home page: its latest wave, the wave's schedule, the next step and
 * every milestone reported (with the reviewer's decision and comment).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import {
  listMilestonesOfFacility,
  listStandingMilestones,
  listWavesOfFacility,
} from '../models/rollout.server.ts'
import { nextMilestone } from './next-step.ts'
import { waveSchedule } from './rules.ts'

export async function getFacilityRollout(db: Kysely<Database>, facilityId: number, today: string) {
  const [waves, milestones, standing] = await Promise.all([
    listWavesOfFacility(db, facilityId),
    listMilestonesOfFacility(db, facilityId),
    listStandingMilestones(db, facilityId),
  ])
  const wave = waves[0] ?? null
  const schedule = wave ? waveSchedule(wave.adopted_at.slice(0, 10), wave.target_go_live) : []
  return {
    wave: wave ? { name: wave.name, targetGoLive: wave.target_go_live } : null,
    schedule,
    next: nextMilestone(
      standing.map((m) => ({ kind: m.kind, occurredOn: m.occurred_on, status: m.status })),
      schedule,
      today,
    ),
    milestones,
  }
}
