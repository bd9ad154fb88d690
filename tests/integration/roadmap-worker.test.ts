/**
 * The roadmap's schedules are computed in a worker thread (started here from
 * its source file with tsx, as `npm run dev` does; the built server's path is
 * covered by the roadmap page tests): the answer is the engine's own, and
 * asking more than the worker takes at once is refused, never queued without
 * bound.
 */
import { describe, expect, it } from 'vitest'
import {
  MAX_PENDING,
  RoadmapBusyError,
  solveRoadmap,
} from '../../app/waves/roadmap-solve.server.ts'
import { scheduleRoadmap, type RoadmapRequestInput } from '../../scoring/roadmap.ts'

const BN = 1_000_000_000

/** Per-facility costs and a province minimum: each wave is HiGHS's, not the greedy's. */
function request(budgetBn: number): RoadmapRequestInput {
  return {
    facilities: Array.from({ length: 40 }, (_, i) => ({
      facilityId: `f${i}`,
      code: `C${String(i).padStart(2, '0')}`,
      priorityBp: (i * 7919) % 10_000,
      province: i % 3 === 0 ? 'a' : 'b',
      tier: i % 2 === 0 ? 'basic' : 'provincial',
      cost: (6 + (i % 5)) * BN,
      eligible: i !== 7,
      meetsMinLevel: i % 4 !== 0,
      upliftCostVnd: i % 8 === 0 ? null : BN / 2,
    })),
    periods: ['2026-06-30', '2026-12-31', '2027-06-30', '2027-12-31'].map((end, p) => ({
      id: `P${p}`,
      end,
      budget: budgetBn * BN,
    })),
    defaultCost: 10 * BN,
    provinceQuotas: { a: { min: 2 } },
    tierQuotas: {},
    upliftLeadPeriods: 1,
    upliftFromBudget: true,
    deadline: '2026-12-31',
  }
}

describe('the roadmap worker', () => {
  it('answers what the engine answers on the request thread', async () => {
    const highs = await (await import('highs')).default()
    for (const budgetBn of [30, 60]) {
      const expected = scheduleRoadmap(request(budgetBn), highs)
      expect(expected.feasible).toBe(true)
      expect(await solveRoadmap(request(budgetBn))).toEqual(expected)
    }
  })

  it('refuses a schedule beyond the ones it already holds, and computes those', async () => {
    const asked = Array.from({ length: MAX_PENDING }, (_, k) => solveRoadmap(request(20 + k)))
    await expect(solveRoadmap(request(99))).rejects.toBeInstanceOf(RoadmapBusyError)
    const answers = await Promise.all(asked)
    expect(answers.every((a) => a.feasible)).toBe(true)
    // Once they are answered, the worker takes schedules again.
    expect((await solveRoadmap(request(99))).feasible).toBe(true)
  })
})
