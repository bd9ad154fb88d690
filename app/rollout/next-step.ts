/**
 * A director's next step: the first step, in the expected order, without a
 * standing row (`nextStep` in rules.ts: the order's prerequisites all come
 * earlier, so it is always one the director may report), with its due date
 * in the wave's schedule and whether that date has passed. Pure and
 * browser-safe; the facility's rollout page and the home page both show it.
 */
import type { MilestoneKind } from '../../db/schema.ts'
import { nextStep, type StandingMilestone } from './rules.ts'

export interface NextMilestone {
  kind: MilestoneKind
  /** Its due date in the wave's schedule; null for the steps after full go-live. */
  dueOn: string | null
  /** Due before today and not yet reported. */
  overdue: boolean
}

/**
 * Null once every step stands (proposed or confirmed). Example: plan
 * approved confirmed, a wave adopted 1/1/2026 with target 1/7/2026, today
 * 15/3/2026 → contract signed, due 2026-02-21, overdue.
 */
export function nextMilestone(
  standing: readonly StandingMilestone[],
  schedule: ReadonlyArray<{ kind: MilestoneKind; dueOn: string }>,
  today: string,
): NextMilestone | null {
  const kind = nextStep(standing)
  if (kind === null) return null
  const dueOn = schedule.find((s) => s.kind === kind)?.dueOn ?? null
  return { kind, dueOn, overdue: dueOn !== null && dueOn < today }
}
