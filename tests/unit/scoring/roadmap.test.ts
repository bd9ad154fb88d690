import fc from 'fast-check'
import type { Highs } from 'highs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  parseRoadmapRequest,
  periodValue,
  scheduleRoadmap,
  type RoadmapRequest,
  type RoadmapRequestInput,
  type RoadmapSchedule,
} from '../../../scoring/roadmap.ts'
import { shuffled } from './helpers.ts'

let highs: Highs
beforeAll(async () => {
  highs = await (await import('highs')).default()
})

const BN = 1_000_000_000
const ENDS = ['2026-06-30', '2026-12-31', '2027-06-30']

/** Small random roadmaps: 1–6 facilities, 1–3 periods, costs, quotas, below-level facilities. */
const requestArb = fc
  .record({
    facilities: fc.array(
      fc.record({
        priorityBp: fc.constantFrom(0, 3000, 5000, 5000, 8000),
        province: fc.constantFrom('a', 'b'),
        tier: fc.constantFrom('t1', 't2'),
        cost: fc.constantFrom(1, 2, 3),
        meetsMinLevel: fc.constantFrom(true, true, false),
        upliftCostVnd: fc.constantFrom(null, BN / 2),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    periods: fc.integer({ min: 1, max: 3 }),
    budgets: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }), {
      minLength: 3,
      maxLength: 3,
    }),
    capacities: fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), {
      minLength: 3,
      maxLength: 3,
    }),
    provinceMin: fc.integer({ min: 0, max: 2 }),
    provinceMax: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    tierMax: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    equalCosts: fc.boolean(),
    lead: fc.integer({ min: 0, max: 2 }),
    upliftFromBudget: fc.boolean(),
  })
  .map((r): RoadmapRequestInput => ({
    facilities: r.facilities.map((f, i) => ({
      facilityId: `f${i}`,
      code: `C${i}`,
      priorityBp: f.priorityBp,
      province: f.province,
      tier: f.tier,
      ...(r.equalCosts ? {} : { cost: f.cost * BN }),
      eligible: i !== 5,
      meetsMinLevel: f.meetsMinLevel,
      upliftCostVnd: f.upliftCostVnd,
    })),
    periods: ENDS.slice(0, r.periods).map((end, p) => ({
      id: `P${p}`,
      end,
      ...(r.budgets[p] === undefined ? {} : { budget: (r.budgets[p] ?? 0) * BN }),
      ...(r.capacities[p] === undefined ? {} : { capacity: r.capacities[p] }),
    })),
    defaultCost: BN,
    provinceQuotas: {
      a: { min: r.provinceMin, ...(r.provinceMax === undefined ? {} : { max: r.provinceMax }) },
    },
    tierQuotas: r.tierMax === undefined ? {} : { t2: { max: r.tierMax } },
    upliftLeadPeriods: r.lead,
    upliftFromBudget: r.upliftFromBudget,
    deadline: '2026-12-31',
  }))

interface Slot {
  id: string
  priorityBp: number
  cost: number
  earliest: number
  province: string
  tier: string | undefined
}

function slots(request: RoadmapRequest): Slot[] {
  return request.facilities
    .filter((f) => f.eligible && (f.meetsMinLevel || f.upliftCostVnd !== null))
    .map((f) => ({
      id: f.facilityId,
      priorityBp: f.priorityBp,
      cost:
        (f.cost ?? request.defaultCost) +
        (!f.meetsMinLevel && request.upliftFromBudget ? (f.upliftCostVnd ?? 0) : 0),
      earliest: f.meetsMinLevel ? 0 : request.upliftLeadPeriods,
      province: f.province,
      tier: f.tier,
    }))
}

/** Every constraint, written out again independently of the module. `at[k]` is slot k's period or -1. */
function feasible(request: RoadmapRequest, list: Slot[], at: number[]): boolean {
  for (const [p, period] of request.periods.entries()) {
    const inP = list.filter((_, k) => at[k] === p)
    if (list.some((s, k) => at[k] === p && s.earliest > p)) return false
    if (period.capacity !== undefined && inP.length > period.capacity) return false
    if (period.budget !== undefined && inP.reduce((a, s) => a + s.cost, 0) > period.budget) {
      return false
    }
    const quotas: [Record<string, { min: number; max?: number }>, (s: Slot) => unknown][] = [
      [request.provinceQuotas, (s) => s.province],
      [request.tierQuotas, (s) => s.tier],
    ]
    for (const [record, keyOf] of quotas) {
      for (const [key, q] of Object.entries(record)) {
        const n = inP.filter((s) => keyOf(s) === key).length
        const waiting = list.filter(
          (s, k) =>
            keyOf(s) === key && s.earliest <= p && ((at[k] ?? -1) < 0 || (at[k] ?? -1) >= p),
        ).length
        if (q.max !== undefined && n > q.max) return false
        if (n < Math.min(q.min, waiting)) return false
      }
    }
  }
  return true
}

function bruteForce(request: RoadmapRequest): number | null {
  const list = slots(request)
  const P = request.periods.length
  let best: number | null = null
  const at = list.map(() => -1)
  const walk = (k: number) => {
    if (k === list.length) {
      if (!feasible(request, list, at)) return
      const value = list.reduce(
        (a, s, j) => a + ((at[j] ?? -1) >= 0 ? periodValue(s.priorityBp, at[j] ?? 0, P) : 0),
        0,
      )
      if (best === null || value > best) best = value
      return
    }
    for (let p = -1; p < P; p++) {
      at[k] = p
      walk(k + 1)
    }
    at[k] = -1
  }
  walk(0)
  return best
}

function assignment(request: RoadmapRequest, schedule: RoadmapSchedule): number[] {
  return slots(request).map((s) => schedule.periods.findIndex((p) => p.selected.includes(s.id)))
}

describe('scheduleRoadmap', () => {
  it('the MILP schedule is feasible and its objective equals the brute-force optimum', () => {
    fc.assert(
      fc.property(requestArb, (input) => {
        const request = parseRoadmapRequest({ ...input, method: 'milp' })
        const result = scheduleRoadmap({ ...input, method: 'milp' }, highs)
        const brute = bruteForce(request)
        if (brute === null) {
          expect(result.feasible).toBe(false)
          return
        }
        if (!result.feasible) throw new Error('MILP says infeasible, brute force found a schedule')
        expect(result.method).toBe('milp')
        expect(result.objective).toBe(brute)
        expect(feasible(request, slots(request), assignment(request, result))).toBe(true)
      }),
      { seed: 2111, numRuns: 200 },
    )
  })

  it('successive waves never break a constraint and stay under the LP bound', () => {
    fc.assert(
      fc.property(requestArb, (input) => {
        const request = parseRoadmapRequest({ ...input, method: 'sequential' })
        const result = scheduleRoadmap({ ...input, method: 'sequential' }, highs)
        if (!result.feasible) return
        const brute = bruteForce(request)
        expect(result.method).toBe('sequential')
        expect(feasible(request, slots(request), assignment(request, result))).toBe(true)
        expect(brute).not.toBeNull()
        expect(result.objective).toBeLessThanOrEqual(brute ?? 0)
        expect(result.lpBound ?? 0).toBeGreaterThanOrEqual((brute ?? 0) - 1e-6)
        expect(result.gap).toBeGreaterThanOrEqual(0)
      }),
      { seed: 2112, numRuns: 200 },
    )
  })

  it('below-level facilities wait for their uplift; those without one are never scheduled', () => {
    const result = scheduleRoadmap(
      {
        facilities: [
          { facilityId: 'ok', code: 'A', priorityBp: 5000, province: 'a' },
          {
            facilityId: 'lift',
            code: 'B',
            priorityBp: 9000,
            province: 'a',
            meetsMinLevel: false,
            upliftCostVnd: 2 * BN,
          },
          {
            facilityId: 'stuck',
            code: 'C',
            priorityBp: 9500,
            province: 'a',
            meetsMinLevel: false,
          },
          { facilityId: 'gone', code: 'D', priorityBp: 9900, province: 'a', eligible: false },
        ],
        periods: [
          { id: '2026-H1', end: '2026-06-30', capacity: 5 },
          { id: '2026-H2', end: '2026-12-31', budget: 12 * BN },
          { id: '2027-H1', end: '2027-06-30' },
        ],
        upliftFromBudget: true,
        deadline: '2026-12-31',
      },
      highs,
    )
    if (!result.feasible) throw new Error('infeasible')
    expect(result.periods.map((p) => p.selected)).toEqual([['ok'], ['lift'], []])
    // 10 bn rollout + 2 bn uplift from the period's budget.
    expect(result.periods[1]?.cost).toBe(12 * BN)
    expect(result.periods[1]?.coverage).toEqual({ covered: 2, of: 4 })
    expect(result.unscheduled).toEqual([
      { facilityId: 'stuck', reason: 'noUplift' },
      { facilityId: 'gone', reason: 'notEligible' },
    ])
    expect(result.deadline).toEqual({ date: '2026-12-31', metBy: null, missing: ['stuck', 'gone'] })
  })

  it('names who misses the deadline when the budget runs out, and when it is met', () => {
    const facilities = [
      { facilityId: 'h1', code: 'H1', priorityBp: 9000, province: 'hn', tier: 'central' },
      { facilityId: 'h2', code: 'H2', priorityBp: 8000, province: 'hn', tier: 'province' },
      { facilityId: 's1', code: 'S1', priorityBp: 7000, province: 'sg', tier: 'province' },
    ]
    const periods = (budget: number) => [
      { id: '2026', end: '2026-12-31', budget },
      { id: '2027', end: '2027-12-31', budget },
    ]
    const tight = scheduleRoadmap(
      {
        facilities,
        periods: periods(20 * BN),
        deadline: '2026-12-31',
        provinceQuotas: { sg: { min: 1 } },
      },
      highs,
    )
    if (!tight.feasible) throw new Error('infeasible')
    // The sg minimum takes s1 in 2026 beside h1; h2 waits for 2027.
    expect(tight.periods.map((p) => p.selected)).toEqual([['h1', 's1'], ['h2']])
    expect(tight.deadline).toEqual({ date: '2026-12-31', metBy: null, missing: ['h2'] })
    expect(tight.periods[0]?.byProvince).toEqual({
      hn: { covered: 1, of: 2 },
      sg: { covered: 1, of: 1 },
    })
    expect(tight.periods[1]?.byTier).toEqual({
      central: { covered: 1, of: 1 },
      province: { covered: 2, of: 2 },
    })
    const ample = scheduleRoadmap(
      { facilities, periods: periods(30 * BN), deadline: '2026-12-31' },
      highs,
    )
    if (!ample.feasible) throw new Error('infeasible')
    expect(ample.deadline).toEqual({ date: '2026-12-31', metBy: '2026', missing: [] })
  })

  it('is deterministic: any facility order gives the byte-identical schedule', () => {
    fc.assert(
      fc.property(requestArb, fc.integer({ min: 1, max: 1000 }), (input, seed) => {
        for (const method of ['milp', 'sequential'] as const) {
          const a = JSON.stringify(scheduleRoadmap({ ...input, method }, highs))
          const b = JSON.stringify(
            scheduleRoadmap(
              { ...input, method, facilities: shuffled(input.facilities, seed) },
              highs,
            ),
          )
          expect(b).toBe(a)
        }
      }),
      { seed: 2113, numRuns: 100 },
    )
  })

  it('refuses periods out of order, bad dates and a facility listed twice', () => {
    const f = { facilityId: 'x', code: 'X', priorityBp: 1, province: 'a' }
    expect(() =>
      parseRoadmapRequest({
        facilities: [f, f],
        periods: [
          { id: 'b', end: '2027-01-01' },
          { id: 'a', end: '2026-01-01' },
        ],
        deadline: '31/12/2026',
      }),
    ).toThrow(/listed twice[\s\S]*must end after[\s\S]*YYYY-MM-DD|YYYY-MM-DD/)
  })
})
