import { describe, expect, it } from 'vitest'
import { nextMilestone } from '../../../app/rollout/next-step.ts'
import { waveSchedule, type StandingMilestone } from '../../../app/rollout/rules.ts'
import type { MilestoneKind } from '../../../db/schema.ts'

// Adopted 1/1/2026, target 1/7/2026: plan due 26/1, contract 21/2, … full go-live 1/7.
const SCHEDULE = waveSchedule('2026-01-01', '2026-07-01')
const stand = (
  kind: MilestoneKind,
  status: 'proposed' | 'confirmed' = 'confirmed',
): StandingMilestone => ({ kind, occurredOn: '2026-01-20', status })

describe('nextMilestone', () => {
  it('starts with the plan, due on the schedule, not yet overdue', () => {
    expect(nextMilestone([], SCHEDULE, '2026-01-26')).toEqual({
      kind: 'plan_approved',
      dueOn: '2026-01-26',
      overdue: false,
    })
  })

  it('moves past a step once it is proposed, and says when the next one is overdue', () => {
    expect(nextMilestone([stand('plan_approved', 'proposed')], SCHEDULE, '2026-03-15')).toEqual({
      kind: 'contract_signed',
      dueOn: '2026-02-21',
      overdue: true,
    })
  })

  it('takes the earliest step missing, even when later ones were reported first', () => {
    const standing = [stand('plan_approved'), stand('infrastructure_ready'), stand('pilot_live')]
    expect(nextMilestone(standing, SCHEDULE, '2026-02-01')?.kind).toBe('contract_signed')
  })

  it('has no due date for the steps after full go-live', () => {
    const upToLive = SCHEDULE.map((s) => stand(s.kind))
    expect(nextMilestone(upToLive, SCHEDULE, '2026-12-01')).toEqual({
      kind: 'paper_ended',
      dueOn: null,
      overdue: false,
    })
  })

  it('is null once every step stands', () => {
    const all = [
      ...SCHEDULE.map((s) => stand(s.kind)),
      stand('paper_ended'),
      stand('declaration_published', 'proposed'),
    ]
    expect(nextMilestone(all, SCHEDULE, '2026-12-01')).toBeNull()
  })
})
