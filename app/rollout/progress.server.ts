/**
 * National (or provincial, or one wave's) rollout progress: facilities live /
 * in progress / not started by tier and ownership, go-lives by month, the
 * legal deadlines, the share of the national hospital goal, facilities at
 * risk with their reasons, and spending committed against each wave's budget.
 * Counts come from SQL groupings; only wave members are read row by row.
 */
import type { Kysely } from 'kysely'
import {
  EMR_STATUSES,
  MILESTONE_KINDS,
  OWNERSHIPS,
  TIERS,
  type Database,
  type EmrStatus,
  type MilestoneKind,
  type Ownership,
  type Tier,
} from '../../db/schema.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { getRoundDeadlines } from '../models/wave-input.server.ts'
import {
  countConfirmedByMonth,
  countFacilitiesByStatus,
  listWaveMembers,
  listWaves,
} from '../models/rollout.server.ts'
import { waveSummary } from './waves.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { NATIONAL_HOSPITAL_GOAL, riskReasons, waveSchedule, type RiskReason } from './rules.ts'

type StatusCounts = Record<EmrStatus, number>

const zero = (): StatusCounts => ({ none: 0, in_progress: 0, live: 0 })

interface CountedGroup {
  emr_status: EmrStatus
  tier: Tier
  ownership: Ownership
  facility_class: 'hospital' | 'other' | null
  count: number
}

/** Live / in progress / not started, overall, by tier and by ownership. */
export function statusTable(groups: readonly CountedGroup[]) {
  const total = zero()
  const byTier = Object.fromEntries(TIERS.map((t) => [t, zero()])) as Record<Tier, StatusCounts>
  const byOwnership = Object.fromEntries(OWNERSHIPS.map((o) => [o, zero()])) as Record<
    Ownership,
    StatusCounts
  >
  const byClass = { hospital: zero(), other: zero(), unknown: zero() }
  for (const g of groups) {
    const n = Number(g.count)
    total[g.emr_status] += n
    byTier[g.tier][g.emr_status] += n
    byOwnership[g.ownership][g.emr_status] += n
    byClass[g.facility_class ?? 'unknown'][g.emr_status] += n
  }
  return { total, byTier, byOwnership, byClass }
}

const KINDS: ReadonlySet<string> = new Set(MILESTONE_KINDS)
const isKind = (value: string): value is MilestoneKind => KINDS.has(value)

/** `kind@date,…` as the members query joins a facility's confirmed steps. */
export function decodeConfirmed(joined: string | null): Map<MilestoneKind, string> {
  const out = new Map<MilestoneKind, string>()
  if (!joined) return out
  for (const part of joined.split(',')) {
    const at = part.indexOf('@')
    const kind = part.slice(0, at)
    if (at > 0 && isKind(kind)) out.set(kind, part.slice(at + 1))
  }
  return out
}

export interface MemberProgress {
  facilityId: number
  code: string
  name: string
  province: string
  tier: Tier
  ownership: Ownership
  emrStatus: EmrStatus
  waveId: number
  waveName: string
  targetGoLive: string
  costVnd: number
  /** Confirmed steps with their dates, in step order. */
  confirmed: Array<{ kind: MilestoneKind; on: string }>
  /** The next scheduled step not confirmed and its due date; null once live. */
  next: { kind: MilestoneKind; dueOn: string } | null
  risks: RiskReason[]
}

/** Each member of each wave in scope, with its steps, schedule and risks (one row per wave it is in). */
export async function listMemberProgress(
  db: Kysely<Database>,
  filter: FacilityFilter,
  waveId: number | null,
  today: string,
): Promise<MemberProgress[]> {
  const rows = await listWaveMembers(db, filter, waveId)
  // One schedule per wave: thousands of members share a handful of waves.
  const schedules = new Map<number, ReturnType<typeof waveSchedule>>()
  return rows.map((r) => {
    const confirmedDates = decodeConfirmed(r.confirmed)
    const confirmed = new Set(confirmedDates.keys())
    const adoptedOn = r.adopted_at.slice(0, 10)
    const legalDeadline =
      r.facility_class === 'hospital'
        ? r.hospital_emr_deadline
        : r.facility_class === 'other'
          ? r.other_emr_deadline
          : null
    let schedule = schedules.get(r.wave_id)
    if (!schedule) {
      schedule = waveSchedule(adoptedOn, r.target_go_live)
      schedules.set(r.wave_id, schedule)
    }
    const next = confirmed.has('full_live')
      ? null
      : (schedule.find((s) => !confirmed.has(s.kind)) ?? null)
    return {
      facilityId: r.facility_id,
      code: r.code,
      name: r.name,
      province: r.province_code,
      tier: r.tier,
      ownership: r.ownership,
      emrStatus: r.emr_status,
      waveId: r.wave_id,
      waveName: r.wave_name,
      targetGoLive: r.target_go_live,
      costVnd: r.cost_vnd,
      confirmed: MILESTONE_KINDS.flatMap((kind) => {
        const on = confirmedDates.get(kind)
        return on === undefined ? [] : [{ kind, on }]
      }),
      next,
      risks: riskReasons({
        today,
        schedule,
        targetGoLive: r.target_go_live,
        legalDeadline,
        confirmed,
      }),
    }
  })
}

/** Go-lives (pilot and full) by month, with the running total of full go-lives. */
export async function goLivesByMonth(db: Kysely<Database>, filter: FacilityFilter) {
  const [pilots, lives] = await Promise.all([
    countConfirmedByMonth(db, filter, 'pilot_live'),
    countConfirmedByMonth(db, filter, 'full_live'),
  ])
  const months = [...new Set([...pilots, ...lives].map((r) => r.month))].sort()
  const pilotBy = new Map(pilots.map((r) => [r.month, Number(r.count)]))
  const liveBy = new Map(lives.map((r) => [r.month, Number(r.count)]))
  let cumulative = 0
  return months.map((month) => {
    cumulative += liveBy.get(month) ?? 0
    return { month, pilot: pilotBy.get(month) ?? 0, live: liveBy.get(month) ?? 0, cumulative }
  })
}

const AT_RISK_SHOWN = 200

export async function getProgressPage(
  db: Kysely<Database>,
  filter: FacilityFilter,
  waveId: number | null,
  today: string,
) {
  const [groups, months, waves, members, round] = await Promise.all([
    countFacilitiesByStatus(db, filter),
    goLivesByMonth(db, filter),
    listWaves(db, filter),
    listMemberProgress(db, filter, waveId, today),
    getCurrentRound(db, today),
  ])
  const table =
    waveId === null
      ? statusTable(groups)
      : statusTable(
          members.map((m) => ({
            emr_status: m.emrStatus,
            tier: m.tier,
            ownership: m.ownership,
            facility_class: null,
            count: 1,
          })),
        )
  const national = statusTable(groups)
  const deadlines = round ? await getRoundDeadlines(db, round.id) : undefined
  const atRisk = members.filter((m) => m.risks.length > 0)
  return {
    statuses: EMR_STATUSES,
    table,
    months,
    waves: waves.map(waveSummary),
    // The goal counts hospitals in the whole country; a province's share of it would mislead.
    goal:
      filter.kind === 'all' && waveId === null
        ? { goal: NATIONAL_HOSPITAL_GOAL, live: national.byClass.hospital.live }
        : null,
    deadlines: deadlines
      ? [
          {
            facilityClass: 'hospital' as const,
            deadline: deadlines.hospital_emr_deadline,
            counts: national.byClass.hospital,
          },
          {
            facilityClass: 'other' as const,
            deadline: deadlines.other_emr_deadline,
            counts: national.byClass.other,
          },
        ]
      : [],
    atRisk: atRisk.slice(0, AT_RISK_SHOWN),
    atRiskCount: atRisk.length,
    members: members.length,
  }
}
