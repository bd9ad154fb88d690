/** Each priority term from data (issue 15): what the planner reads, and from where. */
import { describe, expect, it } from 'vitest'
import { priorityModelV1 } from '../../../db/content/priority-model.ts'
import { scoringModelV1_1 } from '../../../db/content/questionnaire.ts'
import { scoreAssessment } from '../../../scoring/score.ts'
import type { WaveInput } from '../../../app/waves/wave-inputs.server.ts'
import {
  dataQualityOf,
  priorityInputsOf,
  type RoundDeadlines,
} from '../../../app/waves/wave-request.server.ts'
import { registryFacts } from '../../../app/quality/answer-rules.server.ts'

const round: RoundDeadlines = {
  closesOn: '2026-12-15',
  hospital: '2025-09-30',
  other: '2026-12-31',
}
const score = scoreAssessment(scoringModelV1_1, {
  interop_standards: 'level_2',
  insurance_xml_exchange: 'level_4',
})

function input(patch: Partial<WaveInput> = {}): WaveInput {
  const base = {
    facilityId: 1,
    code: '38001',
    name: 'BV',
    provinceCode: '38',
    provinceName: 'Thanh Hoá',
    tier: 'provincial' as const,
    ownership: 'public',
    beds: 400,
    autonomyGroup: 2,
    emrStatus: 'none',
    hasImaging: true,
    referralRole: 'provincial' as const,
    facilityClass: 'hospital' as const,
    basis: 'declared' as const,
    answers: { beds_in_use: 525, emr_status: 'pilot', emr_budget_secured_pct: 50 },
    verifiedQuestions: [],
    score,
  }
  const merged = { ...base, ...patch }
  return {
    ...merged,
    registry: registryFacts({
      ownership: merged.ownership === 'private' ? 'private' : 'public',
      tier: merged.tier,
      beds: merged.beds,
      emr_status: merged.emrStatus === 'live' ? 'live' : 'none',
      autonomy_group: merged.autonomyGroup,
      has_imaging: merged.hasImaging === null ? null : merged.hasImaging ? 1 : 0,
      referral_role: merged.referralRole,
      facility_class: merged.facilityClass,
    }),
  }
}

const of = (patch: Partial<WaveInput> = {}) =>
  priorityInputsOf(scoringModelV1_1, priorityModelV1, input(patch), round)

describe('priority inputs', () => {
  it('read every term from the registry, the round and the answers', () => {
    const p = of()
    expect(p).toMatchObject({
      beds: 525,
      bedsSource: 'declared',
      emrStage: 'pilot',
      deadline: '2025-09-30',
      deadlineMissed: true,
      technicalLevel: 'basic',
      referralRole: 'provincial',
      budgetSecuredPct: 50,
      budgetSource: 'declared',
      autonomyGroup: 2,
      // mean of level 2 (.5) and level 4 (1)
      hisCompatibility: 0.75,
    })
    // .4·.5 + .3·1 + .2·.5 + .1·.5
    expect(p.need.value).toBeCloseTo(0.65, 12)
    // .5·.5 + .3·.67 + .2·.75
    expect(p.feasibility.value).toBeCloseTo(0.601, 12)
  })

  it('judge the deadline at the round close by class, and not missed once EMR is in place', () => {
    // Other facilities are due on 31/12/2026, after the close of 15/12/2026.
    expect(of({ facilityClass: 'other' })).toMatchObject({
      deadline: '2026-12-31',
      deadlineMissed: false,
    })
    expect(of({ answers: { emr_status: 'live_paperless' } }).deadlineMissed).toBe(false)
    // Unknown class or unanswered stage past the deadline: unknown, not assumed.
    expect(of({ facilityClass: null })).toMatchObject({ deadline: null, deadlineMissed: null })
    expect(of({ answers: {} }).deadlineMissed).toBeNull()
  })

  it('fall back to planned beds only when beds in use are not answered, and say so', () => {
    expect(of({ answers: {} })).toMatchObject({ beds: 400, bedsSource: 'registry' })
    expect(of({ verifiedQuestions: ['beds_in_use', 'emr_budget_secured_pct'] })).toMatchObject({
      bedsSource: 'verified',
      budgetSource: 'verified',
    })
  })

  it('treat a "don\'t know" budget as unknown and a private facility outside Decree 60', () => {
    const p = of({
      answers: { emr_budget_secured_pct: 80, emr_budget_secured_pct__status: 'dontknow' },
      ownership: 'private',
      autonomyGroup: null,
    })
    expect(p).toMatchObject({
      budgetSecuredPct: null,
      budgetSource: null,
      autonomyGroup: 'notApplicable',
    })
    // (.5·0 + .2·.75) / .7: the autonomy weight is dropped
    expect(p.feasibility.value).toBeCloseTo(0.15 / 0.7, 12)
    expect(of({ autonomyGroup: null }).autonomyGroup).toBeNull()
  })

  it('flag contradictions from the answers the plan read', () => {
    expect(
      dataQualityOf(scoringModelV1_1, input({ answers: { emr_status: 'live_paperless' } })),
    ).toEqual(['DQ1'])
    expect(dataQualityOf(scoringModelV1_1, input({ answers: { beds_in_use: 801 } }))).toEqual([
      'DQ4',
    ])
    expect(dataQualityOf(scoringModelV1_1, input())).toEqual([])
  })
})
