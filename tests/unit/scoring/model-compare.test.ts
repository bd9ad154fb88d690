import { describe, expect, it } from 'vitest'
import {
  compareModels,
  competitionRanksByComposite,
  type CompareFacility,
} from '../../../scoring/model-compare.ts'
import { kendallTauB } from '../../../scoring/robustness.ts'

const level = (index: number) => ({ id: `R${index}`, index })
const facility = (code: string, old: [number, number], now: [number, number]): CompareFacility => ({
  facilityId: code,
  code,
  old: { compositeBp: old[0], level: level(old[1]) },
  new: { compositeBp: now[0], level: level(now[1]) },
})

describe('competitionRanksByComposite', () => {
  it('ranks highest first and lets equal composites share a rank', () => {
    expect(competitionRanksByComposite([7000, 8000, 7000, 6000])).toEqual([2, 1, 2, 4])
    expect(competitionRanksByComposite([])).toEqual([])
  })
})

describe('compareModels', () => {
  const facilities = [
    facility('A', [8000, 3], [6000, 2]),
    facility('B', [7000, 2], [7500, 2]),
    facility('C', [6000, 2], [8500, 4]),
    facility('D', [5000, 1], [5000, 1]),
  ]
  const c = compareModels({
    facilities,
    moversLimit: 2,
    wave: { old: ['A', 'B'], new: ['C', 'B'] },
  })

  it('gives each facility its ranks, rank change and composite change', () => {
    const byCode = new Map(c.facilities.map((f) => [f.code, f]))
    expect(byCode.get('A')).toMatchObject({ oldRank: 1, newRank: 3, rankChange: -2 })
    expect(byCode.get('A')?.compositeChangeBp).toBe(-2000)
    expect(byCode.get('C')).toMatchObject({ oldRank: 3, newRank: 1, rankChange: 2 })
    expect(byCode.get('D')).toMatchObject({ rankChange: 0, levelChange: 'same' })
  })

  it('counts level changes up and down, and every transition in level order', () => {
    expect(c.levels).toEqual({
      changed: 2,
      up: 1,
      down: 1,
      transitions: [
        { from: 'R1', to: 'R1', count: 1 },
        { from: 'R2', to: 'R2', count: 1 },
        { from: 'R2', to: 'R4', count: 1 },
        { from: 'R3', to: 'R2', count: 1 },
      ],
    })
  })

  it('computes Kendall τ-b with the one implementation, on the composites', () => {
    expect(c.kendallTauB).toBe(kendallTauB([8000, 7000, 6000, 5000], [6000, 7500, 8500, 5000]))
    // Concordant pairs: (A,D) (B,D) (C,D) = 3; discordant: (A,B) (A,C) (B,C) = 3.
    expect(c.kendallTauB).toBeCloseTo(0, 12)
  })

  it('lists the largest movers by rank change, then composite change, up to the limit', () => {
    expect(c.movers.map((m) => m.code)).toEqual(['C', 'A'])
    expect(compareModels({ facilities, moversLimit: 0 }).movers).toEqual([])
  })

  it('lists who enters and leaves the wave', () => {
    expect(c.wave).toEqual({ entering: ['C'], leaving: ['A'], oldSize: 2, newSize: 2 })
    expect(compareModels({ facilities, moversLimit: 1 }).wave).toBeNull()
  })

  it('gives the mean absolute composite change', () => {
    expect(c.meanAbsCompositeChangeBp).toBe((2000 + 500 + 2500 + 0) / 4)
  })

  it('says τ-b is undefined for fewer than two facilities and for identical composites', () => {
    expect(compareModels({ facilities: [], moversLimit: 5 }).kendallTauB).toBeNull()
    expect(compareModels({ facilities: [], moversLimit: 5 }).meanAbsCompositeChangeBp).toBe(0)
    const flat = [facility('A', [5000, 1], [5000, 1]), facility('B', [5000, 1], [6000, 2])]
    expect(compareModels({ facilities: flat, moversLimit: 5 }).kendallTauB).toBeNull()
  })

  it('gives τ-b = 1 when the new model keeps the order', () => {
    const same = [facility('A', [9000, 4], [8000, 3]), facility('B', [7000, 2], [6000, 2])]
    expect(compareModels({ facilities: same, moversLimit: 5 }).kendallTauB).toBe(1)
  })
})
