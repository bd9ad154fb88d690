/**
 * The rollout's rules, pure (no I/O, no clock: today's date is an argument).
 *
 * - Order: a step that needs another may be proposed only once that one is
 *   proposed or confirmed with a date on or before its own, and confirmed
 *   only once that one is confirmed (full go-live needs a pilot; paper ended
 *   and the EMR declaration need full go-live). The other steps may happen
 *   in any order.
 * - Dates: never after today in Vietnam (the caller passes `todayInVietnam()`).
 * - `emr_status` from the confirmed steps: `live` once full go-live is
 *   confirmed, `in_progress` once any step is, `none` before.
 * - Schedule: a wave implies a due date for each step up to full go-live,
 *   spread evenly from the day it was adopted to its target go-live date
 *   (step i of n is due at adoption + (target − adoption) · i / n).
 * - At risk: a facility of a wave, not yet live, with a step overdue by that
 *   schedule, past the wave's target, or past its legal EMR deadline.
 */
import { MILESTONE_KINDS, type EmrStatus, type MilestoneKind } from '../../db/schema.ts'

/** Hospitals in the national goal (Ministry of Health, 2025: about 760 of 1,650 had EMR at 30/9/2025). */
export const NATIONAL_HOSPITAL_GOAL = 1650

/** The step that makes a facility live. */
export const GO_LIVE: MilestoneKind = 'full_live'

/** The one step each step needs first (none for the others). */
export const PREREQUISITE: Partial<Record<MilestoneKind, MilestoneKind>> = {
  full_live: 'pilot_live',
  paper_ended: 'full_live',
  declaration_published: 'full_live',
}

/** The steps a wave schedules: every step up to and including full go-live. */
export const SCHEDULED_KINDS: readonly MilestoneKind[] = MILESTONE_KINDS.slice(
  0,
  MILESTONE_KINDS.indexOf(GO_LIVE) + 1,
)

/** A facility's step that stands: proposed and waiting, or confirmed. */
export interface StandingMilestone {
  kind: MilestoneKind
  occurredOn: string
  status: 'proposed' | 'confirmed'
}

export type ProposalProblem =
  | { code: 'future'; today: string }
  | { code: 'duplicate' }
  | { code: 'prerequisiteMissing'; prerequisite: MilestoneKind }
  | { code: 'beforePrerequisite'; prerequisite: MilestoneKind; date: string }

/**
 * What stops a director proposing `kind` on `occurredOn`, given the
 * facility's standing steps; empty when nothing does.
 * Example: full_live on 2026-05-01 with no pilot → prerequisiteMissing(pilot_live).
 */
export function proposalProblems(
  proposal: { kind: MilestoneKind; occurredOn: string },
  standing: readonly StandingMilestone[],
  today: string,
): ProposalProblem[] {
  const problems: ProposalProblem[] = []
  if (proposal.occurredOn > today) problems.push({ code: 'future', today })
  if (standing.some((m) => m.kind === proposal.kind)) problems.push({ code: 'duplicate' })
  const prerequisite = PREREQUISITE[proposal.kind]
  if (prerequisite) {
    const before = standing.find((m) => m.kind === prerequisite)
    if (!before) problems.push({ code: 'prerequisiteMissing', prerequisite })
    else if (before.occurredOn > proposal.occurredOn)
      problems.push({ code: 'beforePrerequisite', prerequisite, date: before.occurredOn })
  }
  return problems
}

/**
 * The step a confirmation waits for, or null when `kind` may be confirmed
 * now: its prerequisite must be confirmed first.
 */
export function confirmationBlockedBy(
  kind: MilestoneKind,
  confirmed: ReadonlySet<MilestoneKind>,
): MilestoneKind | null {
  const prerequisite = PREREQUISITE[kind]
  return prerequisite && !confirmed.has(prerequisite) ? prerequisite : null
}

/** `emr_status` from the confirmed steps: live ⇐ full go-live; in progress ⇐ any step; else none. */
export function deriveEmrStatus(confirmed: ReadonlySet<MilestoneKind>): EmrStatus {
  if (confirmed.has(GO_LIVE)) return 'live'
  return confirmed.size > 0 ? 'in_progress' : 'none'
}

/** The first step, in the expected order, that has no standing row; null when all stand. */
export function nextStep(standing: readonly StandingMilestone[]): MilestoneKind | null {
  const kinds = new Set(standing.map((m) => m.kind))
  return MILESTONE_KINDS.find((k) => !kinds.has(k)) ?? null
}

const DAY_MS = 86_400_000

/** Days since 1/1/1970 of a calendar date (YYYY-MM-DD), for differences in whole days. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Each scheduled step's due date for a wave adopted on `adoptedOn` with
 * target `targetGoLive`: step i (1-based) of n is due on
 * adoptedOn + floor((target − adoptedOn) · i / n) days, so full go-live is
 * due on the target. Example: adopted 2026-01-01, target 2026-07-01 (181
 * days), 7 steps: plan approved due 2026-01-26, full go-live 2026-07-01.
 */
export function waveSchedule(
  adoptedOn: string,
  targetGoLive: string,
): Array<{ kind: MilestoneKind; dueOn: string }> {
  const start = dayNumber(adoptedOn)
  const span = Math.max(0, dayNumber(targetGoLive) - start)
  const n = SCHEDULED_KINDS.length
  return SCHEDULED_KINDS.map((kind, i) => ({
    kind,
    dueOn: dateOfDay(start + Math.floor((span * (i + 1)) / n)),
  }))
}

export type RiskReason =
  | { code: 'behindSchedule'; milestone: MilestoneKind; dueOn: string }
  | { code: 'pastTarget'; targetGoLive: string }
  | { code: 'pastLegalDeadline'; deadline: string }

/**
 * Why a wave's facility is at risk today; empty when it is live or on
 * schedule. A step is overdue when its due date is before today and it is
 * not confirmed; only the earliest overdue step is named. `legalDeadline`
 * is the facility's EMR deadline (by class), null when the registry does
 * not give its class.
 */
export function riskReasons(input: {
  today: string
  /** The wave's `waveSchedule` (computed once per wave by the caller). */
  schedule: ReadonlyArray<{ kind: MilestoneKind; dueOn: string }>
  targetGoLive: string
  legalDeadline: string | null
  confirmed: ReadonlySet<MilestoneKind>
}): RiskReason[] {
  const { today, confirmed } = input
  if (confirmed.has(GO_LIVE)) return []
  const reasons: RiskReason[] = []
  const overdue = input.schedule.find((s) => s.dueOn < today && !confirmed.has(s.kind))
  if (overdue)
    reasons.push({ code: 'behindSchedule', milestone: overdue.kind, dueOn: overdue.dueOn })
  if (input.targetGoLive < today)
    reasons.push({ code: 'pastTarget', targetGoLive: input.targetGoLive })
  if (input.legalDeadline !== null && input.legalDeadline < today)
    reasons.push({ code: 'pastLegalDeadline', deadline: input.legalDeadline })
  return reasons
}
