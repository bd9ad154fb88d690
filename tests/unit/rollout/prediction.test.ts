import { describe, expect, it } from 'vitest'
import {
  domainBand,
  outcomeCell,
  predictionTable,
  type MemberOutcome,
} from '../../../app/rollout/prediction.ts'

const member = (
  level: string,
  clinical: number,
  liveOn: string | null,
  adoptedOn = '2026-01-01',
): MemberOutcome => ({ level, domains: { clinical, infra: 0.8 }, adoptedOn, liveOn })

describe('domainBand', () => {
  it('bands the 0–100 score below 50, 50–69 and 70 and above, in basis points', () => {
    expect(domainBand(0)).toBe('below50')
    expect(domainBand(0.4999)).toBe('below50')
    expect(domainBand(0.5)).toBe('from50to69')
    expect(domainBand(0.6999)).toBe('from50to69')
    // 0.7 is 0.69999… in binary: basis points put it at 70.
    expect(domainBand(0.7)).toBe('from70')
    expect(domainBand(1)).toBe('from70')
  })
})

describe('outcomeCell', () => {
  it('counts the live, their rate and the median days from adoption to go-live', () => {
    // Live after 31 (1/1 → 1/2), 59 (→ 1/3) and 90 days (→ 1/4); one not live.
    const cell = outcomeCell([
      member('R2', 0.6, '2026-02-01'),
      member('R2', 0.6, '2026-03-01'),
      member('R2', 0.6, '2026-04-01'),
      member('R2', 0.6, null),
    ])
    expect(cell).toEqual({ n: 4, live: 3, rate: 0.75, medianDays: 59, small: true })
  })

  it('takes the mean of the middle two for an even count of go-lives', () => {
    const cell = outcomeCell([member('R2', 0.6, '2026-01-11'), member('R2', 0.6, '2026-01-21')])
    expect(cell.medianDays).toBe(15)
  })

  it('has no rate for an empty group and no median when none went live', () => {
    expect(outcomeCell([])).toEqual({ n: 0, live: 0, rate: null, medianDays: null, small: true })
    expect(outcomeCell([member('R1', 0.2, null)])).toMatchObject({ rate: 0, medianDays: null })
  })

  it('is small below ten members and not from ten', () => {
    const nine = Array.from({ length: 9 }, () => member('R3', 0.9, '2026-03-01'))
    expect(outcomeCell(nine).small).toBe(true)
    expect(outcomeCell([...nine, member('R3', 0.9, null)]).small).toBe(false)
  })
})

describe('predictionTable', () => {
  const members = [
    member('R3', 0.85, '2026-03-02'), // 60 days
    member('R3', 0.75, '2026-04-11'), // 100 days
    member('R2', 0.65, '2026-05-21'), // 140 days
    member('R2', 0.55, null),
    member('R1', 0.3, null),
  ]
  const table = predictionTable(members, ['clinical', 'infra', 'people'])

  it('groups by level, lowest first, with n in every cell', () => {
    expect(table.total).toMatchObject({ n: 5, live: 3, rate: 0.6, medianDays: 100 })
    expect(table.byLevel.map((l) => [l.level, l.cell.n, l.cell.live, l.cell.medianDays])).toEqual([
      ['R1', 1, 0, null],
      ['R2', 2, 1, 140],
      ['R3', 2, 2, 80],
    ])
  })

  it('groups by each domain’s band; a domain no member has gives empty cells', () => {
    const clinical = table.byDomain.find((d) => d.domainId === 'clinical')
    expect(clinical?.bands.map((b) => [b.band, b.cell.n, b.cell.live])).toEqual([
      ['below50', 1, 0],
      ['from50to69', 2, 1],
      ['from70', 2, 2],
    ])
    const infra = table.byDomain.find((d) => d.domainId === 'infra')
    expect(infra?.bands.map((b) => b.cell.n)).toEqual([0, 0, 5])
    const people = table.byDomain.find((d) => d.domainId === 'people')
    expect(people?.bands.map((b) => b.cell.n)).toEqual([0, 0, 0])
  })
})
