import { describe, expect, it } from 'vitest'
import {
  confirmationBlockedBy,
  deriveEmrStatus,
  nextStep,
  proposalProblems,
  riskReasons,
  waveSchedule,
  type StandingMilestone,
} from '../../../app/rollout/rules.ts'
import type { MilestoneKind } from '../../../db/schema.ts'

const TODAY = '2026-06-15'
const stand = (
  kind: MilestoneKind,
  occurredOn: string,
  status: 'proposed' | 'confirmed' = 'confirmed',
): StandingMilestone => ({ kind, occurredOn, status })

describe('proposalProblems', () => {
  it('accepts a first step dated today', () => {
    expect(proposalProblems({ kind: 'plan_approved', occurredOn: TODAY }, [], TODAY)).toEqual([])
  })
  it('refuses a date after today', () => {
    expect(
      proposalProblems({ kind: 'plan_approved', occurredOn: '2026-06-16' }, [], TODAY),
    ).toEqual([{ code: 'future', today: TODAY }])
  })
  it('refuses full go-live without a pilot, and before the pilot', () => {
    expect(proposalProblems({ kind: 'full_live', occurredOn: '2026-06-01' }, [], TODAY)).toEqual([
      { code: 'prerequisiteMissing', prerequisite: 'pilot_live' },
    ])
    expect(
      proposalProblems(
        { kind: 'full_live', occurredOn: '2026-05-01' },
        [stand('pilot_live', '2026-05-10', 'proposed')],
        TODAY,
      ),
    ).toEqual([{ code: 'beforePrerequisite', prerequisite: 'pilot_live', date: '2026-05-10' }])
  })
  it('accepts full go-live on the pilot day, while the pilot waits for confirmation', () => {
    expect(
      proposalProblems(
        { kind: 'full_live', occurredOn: '2026-05-10' },
        [stand('pilot_live', '2026-05-10', 'proposed')],
        TODAY,
      ),
    ).toEqual([])
  })
  it('refuses paper ended and the declaration before full go-live', () => {
    for (const kind of ['paper_ended', 'declaration_published'] as const) {
      expect(
        proposalProblems({ kind, occurredOn: TODAY }, [stand('pilot_live', '2026-01-01')], TODAY),
      ).toEqual([{ code: 'prerequisiteMissing', prerequisite: 'full_live' }])
    }
  })
  it('refuses a step that already stands', () => {
    expect(
      proposalProblems(
        { kind: 'contract_signed', occurredOn: TODAY },
        [stand('contract_signed', '2026-01-01', 'proposed')],
        TODAY,
      ),
    ).toEqual([{ code: 'duplicate' }])
  })
})

describe('confirmationBlockedBy', () => {
  it('waits for the pilot to be confirmed before full go-live', () => {
    expect(confirmationBlockedBy('full_live', new Set())).toBe('pilot_live')
    expect(confirmationBlockedBy('full_live', new Set(['pilot_live']))).toBeNull()
    expect(confirmationBlockedBy('contract_signed', new Set())).toBeNull()
  })
})

describe('deriveEmrStatus', () => {
  it('is none, in progress, then live at full go-live', () => {
    expect(deriveEmrStatus(new Set())).toBe('none')
    expect(deriveEmrStatus(new Set(['plan_approved']))).toBe('in_progress')
    expect(deriveEmrStatus(new Set(['plan_approved', 'pilot_live']))).toBe('in_progress')
    expect(deriveEmrStatus(new Set(['pilot_live', 'full_live']))).toBe('live')
  })
})

describe('nextStep', () => {
  it('names the first step without a standing row', () => {
    expect(nextStep([])).toBe('plan_approved')
    expect(
      nextStep([stand('plan_approved', '2026-01-01'), stand('infrastructure_ready', '2026-01-02')]),
    ).toBe('contract_signed')
  })
})

describe('waveSchedule', () => {
  it('spreads the steps evenly and puts full go-live on the target', () => {
    const schedule = waveSchedule('2026-01-01', '2026-07-01')
    expect(schedule).toHaveLength(7)
    expect(schedule[0]).toEqual({ kind: 'plan_approved', dueOn: '2026-01-26' })
    expect(schedule[6]).toEqual({ kind: 'full_live', dueOn: '2026-07-01' })
    const dates = schedule.map((s) => s.dueOn)
    expect([...dates].sort()).toEqual(dates)
  })
})

describe('riskReasons', () => {
  const wave = { schedule: waveSchedule('2026-01-01', '2026-07-01'), targetGoLive: '2026-07-01' }
  it('names the earliest overdue step', () => {
    expect(
      riskReasons({ ...wave, today: '2026-02-01', legalDeadline: null, confirmed: new Set() }),
    ).toEqual([{ code: 'behindSchedule', milestone: 'plan_approved', dueOn: '2026-01-26' }])
    expect(
      riskReasons({
        ...wave,
        today: '2026-02-01',
        legalDeadline: null,
        confirmed: new Set(['plan_approved']),
      }),
    ).toEqual([])
  })
  it('flags the target and the legal deadline once past, and nothing once live', () => {
    const all = new Set<MilestoneKind>([
      'plan_approved',
      'contract_signed',
      'infrastructure_ready',
      'signatures_issued',
      'systems_connected',
      'pilot_live',
    ])
    expect(
      riskReasons({ ...wave, today: '2026-07-02', legalDeadline: '2025-09-30', confirmed: all }),
    ).toEqual([
      { code: 'behindSchedule', milestone: 'full_live', dueOn: '2026-07-01' },
      { code: 'pastTarget', targetGoLive: '2026-07-01' },
      { code: 'pastLegalDeadline', deadline: '2025-09-30' },
    ])
    expect(
      riskReasons({
        ...wave,
        today: '2026-07-02',
        legalDeadline: '2025-09-30',
        confirmed: new Set([...all, 'full_live']),
      }),
    ).toEqual([])
  })
  it('is quiet on schedule before the legal deadline', () => {
    expect(
      riskReasons({
        ...wave,
        today: '2026-01-10',
        legalDeadline: '2026-12-31',
        confirmed: new Set(),
      }),
    ).toEqual([])
  })
})
