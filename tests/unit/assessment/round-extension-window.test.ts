/** The write window with a facility's extension, days left, and the rounds form's rules. */
import { describe, expect, it } from 'vitest'
import {
  daysLeft,
  facilityClosesOn,
  refuseOutsideWindow,
  roundWriteWindow,
} from '../../../app/assessment/round-window.server.ts'
import { gateSettingsOf, RoundFormSchema } from '../../../app/admin/round-input.ts'
import { roundGates } from '../../../app/models/round-scoring.server.ts'
import { parseScoringModel } from '../../../scoring/model-schema.ts'
import { readFileSync } from 'node:fs'

const round = { opens_on: '2026-06-01', closes_on: '2026-11-30' }

describe('facilityClosesOn', () => {
  it('is the round’s close without an extension and the extension’s date with one', () => {
    expect(facilityClosesOn(round, null)).toBe('2026-11-30')
    expect(facilityClosesOn(round, { closes_on: '2026-12-20' })).toBe('2026-12-20')
  })

  it('never shortens the round: a round moved past an extension keeps its own date', () => {
    expect(
      facilityClosesOn({ ...round, closes_on: '2027-01-10' }, { closes_on: '2026-12-20' }),
    ).toBe('2027-01-10')
  })

  it('moves the window and the refusal’s date', () => {
    const extended = { ...round, closes_on: facilityClosesOn(round, { closes_on: '2026-12-20' }) }
    expect(roundWriteWindow(round, '2026-12-02')).toBe('closed')
    expect(roundWriteWindow(extended, '2026-12-02')).toBe('open')
    expect(roundWriteWindow(extended, '2026-12-20')).toBe('open')
    expect(refuseOutsideWindow(extended, '2026-12-21')?.message.vi).toBe(
      'Đợt này đã đóng ngày 20/12/2026.',
    )
  })
})

describe('daysLeft', () => {
  it('counts calendar days to the last day: 0 on it, negative after', () => {
    expect(daysLeft('2026-12-31', '2026-12-02')).toBe(29)
    expect(daysLeft('2026-12-31', '2026-12-31')).toBe(0)
    expect(daysLeft('2026-12-31', '2027-01-01')).toBe(-1)
    // Across the end of February in a leap year.
    expect(daysLeft('2028-03-01', '2028-02-28')).toBe(2)
  })
})

describe('RoundFormSchema', () => {
  const base = {
    name: '  Đợt   2027 ',
    opensOn: '2027-01-15',
    closesOn: '2027-03-31',
    questionnaireId: '1',
    scoringModelId: '2',
    gates: { G6: 'off', G5: '' },
  }

  it('trims and collapses the name and keeps only switched gates', () => {
    const parsed = RoundFormSchema.parse(base)
    expect(parsed.name).toBe('Đợt 2027')
    expect(gateSettingsOf(parsed.gates)).toEqual({ G6: false })
  })

  it('refuses a close before the opening, an impossible date and a bad gate choice', () => {
    const issues = (input: unknown) =>
      RoundFormSchema.safeParse(input).error?.issues.map((i) => [i.path.join('.'), i.message])
    expect(issues({ ...base, closesOn: '2027-01-14' })).toEqual([['closesOn', 'closesBeforeOpens']])
    expect(issues({ ...base, opensOn: '2027-02-29' })).toEqual([['opensOn', 'dateInvalid']])
    expect(issues({ ...base, gates: { G6: 'maybe' } })).toEqual([['gates.G6', 'gateChoice']])
    expect(issues({ ...base, name: ' ' })).toEqual([['name', 'nameRequired']])
  })
})

describe('roundGates', () => {
  const model = parseScoringModel(
    JSON.parse(readFileSync('db/content/scoring-model-v1.1.json', 'utf8')),
  )

  it('applies the round’s settings to configurable gates only', () => {
    const gates = roundGates(model, { G6: false, G1: false })
    expect(gates.find((g) => g.id === 'G6')).toMatchObject({ enabled: false, modelEnabled: true })
    // G1 is not configurable: a stray setting never switches it.
    expect(gates.find((g) => g.id === 'G1')).toMatchObject({ enabled: true })
  })
})
