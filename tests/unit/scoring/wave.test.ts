import fc from 'fast-check'
import type { Highs } from 'highs'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  selectWave,
  type WaveFacility,
  type WaveRequestInput,
  type WaveSelection,
} from '../../../scoring/wave.ts'
import { shuffled } from './helpers.ts'

let highs: Highs
beforeAll(async () => {
  highs = await (await import('highs')).default()
})

const BN = 1_000_000_000
const f = (
  code: string,
  priorityBp: number,
  province: string,
  extra: Partial<WaveFacility> = {},
) => ({
  facilityId: code,
  code,
  priorityBp,
  province,
  ...extra,
})

function feasibleResult(request: WaveRequestInput): WaveSelection {
  const result = selectWave(request, highs)
  if (!result.feasible) throw new Error(JSON.stringify(result.conflicts))
  return result
}

describe('golden waves', () => {
  const facilities = [
    f('hn1', 9000, 'hn'),
    f('hn2', 8000, 'hn'),
    f('hn3', 7000, 'hn'),
    f('hcm1', 8500, 'hcm'),
    f('hcm2', 6000, 'hcm'),
    f('dn1', 5000, 'dn'),
  ]

  it('greedy with a province minimum, binding constraints and the price of equity', () => {
    // Quota dn ≥ 1 takes dn1 (5000); the two best left: hn1 9000, hcm1 8500 → 22500.
    // Without quotas: hn1, hcm1, hn2 = 25500 → price of equity 3000.
    const r = feasibleResult({ facilities, capacity: 3, provinceQuotas: { dn: { min: 1 } } })
    expect(r.method).toBe('greedy')
    expect(r.selected).toEqual(['hn1', 'hcm1', 'dn1'])
    expect(r.objective).toBe(22500)
    expect(r.totalCost).toBe(30 * BN)
    expect(r.priceOfEquity).toBe(3000)
    expect(r.binding).toEqual([
      { constraint: 'capacity', limit: 3, value: 3 },
      { constraint: 'provinceMin', key: 'dn', limit: 1, value: 1 },
    ])
  })

  it('a province maximum and a budget that is a count (equal costs)', () => {
    // budget 25 bn at 10 bn each → 2 facilities; hn ≤ 1 → hn1, hcm1
    const r = feasibleResult({ facilities, budget: 25 * BN, provinceQuotas: { hn: { max: 1 } } })
    expect(r.selected).toEqual(['hn1', 'hcm1'])
    expect(r.binding.map((b) => b.constraint)).toEqual(['budget', 'provinceMax'])
  })

  it('reports ties at the cut-off and breaks them by need, then code', () => {
    // a 9000 is in; b, c, d tie at 7000 for the last seat: d has more need, then b < c by code.
    const r = feasibleResult({
      facilities: [
        f('c', 7000, 'p'),
        f('b', 7000, 'p'),
        f('a', 9000, 'p'),
        f('d', 7000, 'p', { needBp: 100 }),
      ],
      capacity: 3,
    })
    expect(r.selected).toEqual(['a', 'd', 'b'])
    expect(r.cutoffPriorityBp).toBe(7000)
    expect(r.tiesAtCutoff).toEqual(['c'])
  })

  it('unequal costs: a knapsack the ratio greedy gets wrong, solved by MILP', () => {
    // budget 10 bn: x (6 bn, 6000) has the best ratio, but y + z (5 + 5 bn, 4500 + 4500) = 9000 wins.
    const r = feasibleResult({
      facilities: [
        f('x', 6000, 'p', { cost: 6 * BN }),
        f('y', 4500, 'p', { cost: 5 * BN }),
        f('z', 4500, 'q', { cost: 5 * BN }),
      ],
      budget: 10 * BN,
    })
    expect(r.method).toBe('milp')
    expect(r.selected).toEqual(['y', 'z'])
    expect(r.objective).toBe(9000)
    expect(r.totalCost).toBe(10 * BN)
  })

  it('ineligible facilities are never selected', () => {
    const r = feasibleResult({
      facilities: [f('a', 9000, 'p', { eligible: false }), f('b', 1000, 'p')],
      capacity: 1,
    })
    expect(r.selected).toEqual(['b'])
  })

  it('needs a solver for MILP instances', () => {
    expect(() =>
      selectWave({
        facilities: [f('a', 1, 'p', { cost: 1 }), f('b', 1, 'p', { cost: 2 })],
        budget: 2,
      }),
    ).toThrow(/MILP solver/)
  })
})

describe('infeasible requests name the quotas', () => {
  const facilities = [f('a', 10, 'p1'), f('b', 20, 'p1'), f('c', 30, 'p2')]

  it('minimums above the capacity', () => {
    const r = selectWave({
      facilities,
      capacity: 2,
      provinceQuotas: { p1: { min: 2 }, p2: { min: 1 } },
    })
    expect(r).toEqual({
      feasible: false,
      conflicts: [
        {
          kind: 'minimumsAboveCapacity',
          quotas: ['province:p1', 'province:p2'],
          message: 'province minimums add up to 3, above the capacity of 2',
          figures: { total: 3, capacity: 2 },
        },
      ],
    })
  })

  it('a minimum above the eligible facilities, and min > max', () => {
    const r = selectWave({
      facilities,
      provinceQuotas: { p3: { min: 1 }, p2: { min: 1, max: 0 } },
    })
    expect(r.feasible).toBe(false)
    if (r.feasible) return
    expect(r.conflicts.map((c) => [c.kind, c.quotas, c.figures])).toEqual([
      ['minAboveMax', ['province:p2'], { min: 1, max: 0 }],
      ['minAboveEligible', ['province:p3'], { min: 1, eligible: 0 }],
    ])
  })

  it('a budget below the cheapest set meeting the minimums', () => {
    const r = selectWave({ facilities, budget: 15 * BN, provinceQuotas: { p1: { min: 2 } } })
    expect(r.feasible).toBe(false)
    if (r.feasible) return
    expect(r.conflicts[0]).toMatchObject({ kind: 'minimumsAboveBudget', quotas: ['province:p1'] })
    expect(r.conflicts[0]?.figures.budget).toBeLessThan(r.conflicts[0]?.figures.cost ?? 0)
  })

  it('an infeasible mix of tier and province quotas found by the solver', () => {
    // p1 needs 2, tier t2 needs 1, capacity 2: p1 has no t2 facility → no wave.
    const r = selectWave(
      {
        facilities: [
          f('a', 10, 'p1', { tier: 't1' }),
          f('b', 20, 'p1', { tier: 't1' }),
          f('c', 30, 'p2', { tier: 't2' }),
        ],
        capacity: 2,
        provinceQuotas: { p1: { min: 2 } },
        tierQuotas: { t2: { min: 1 } },
      },
      highs,
    )
    expect(r).toMatchObject({
      feasible: false,
      conflicts: [{ kind: 'infeasibleCombination', quotas: ['province:p1', 'tier:t2'] }],
    })
  })

  it('refuses invalid requests (zod)', () => {
    expect(() => selectWave({ facilities: [f('a', -1, 'p')] })).toThrow(/Invalid wave request/)
    expect(() => selectWave({ facilities: [f('a', 1, 'p'), f('a', 2, 'p')] })).toThrow(
      /listed twice/,
    )
  })
})

// Brute force over all subsets: the reference optimum for small instances.
function bruteForce(request: WaveRequestInput, withQuotas = true): number | null {
  const eligible = request.facilities.filter((x) => x.eligible !== false)
  const cost = (x: (typeof eligible)[number]) => x.cost ?? 10 * BN
  let best: number | null = null
  for (let mask = 0; mask < 1 << eligible.length; mask++) {
    const chosen = eligible.filter((_, i) => mask & (1 << i))
    if (request.capacity !== undefined && chosen.length > request.capacity) continue
    if (request.budget !== undefined && chosen.reduce((a, x) => a + cost(x), 0) > request.budget)
      continue
    if (withQuotas) {
      const ok = (
        quotas: Record<string, { min?: number; max?: number }> | undefined,
        key: (x: (typeof eligible)[number]) => string | undefined,
      ) =>
        Object.entries(quotas ?? {}).every(([k, q]) => {
          const n = chosen.filter((x) => key(x) === k).length
          return n >= (q.min ?? 0) && (q.max === undefined || n <= q.max)
        })
      if (!ok(request.provinceQuotas, (x) => x.province) || !ok(request.tierQuotas, (x) => x.tier))
        continue
    }
    const value = chosen.reduce((a, x) => a + x.priorityBp, 0)
    if (best === null || value > best) best = value
  }
  return best
}

const quotaArb = fc.record(
  { min: fc.integer({ min: 0, max: 2 }), max: fc.integer({ min: 0, max: 4 }) },
  { requiredKeys: ['min'] },
)

function instanceArb(kind: 'greedy' | 'milp') {
  return fc.record({
    facilities: fc
      .array(
        fc.record({
          priorityBp: fc.integer({ min: 0, max: 12 }),
          province: fc.constantFrom('p0', 'p1', 'p2'),
          tier: fc.constantFrom('t0', 't1'),
          cost: fc.constantFrom(1, 2, 3),
          eligible: fc.constantFrom(true, true, true, true, false),
        }),
        { maxLength: kind === 'greedy' ? 12 : 9 },
      )
      .map((list) =>
        list.map((x, i) => ({
          facilityId: `f${i}`,
          code: `c${String(i).padStart(2, '0')}`,
          priorityBp: x.priorityBp,
          province: x.province,
          tier: x.tier,
          eligible: x.eligible,
          ...(kind === 'milp' ? { cost: x.cost * BN } : {}),
        })),
      ),
    capacity: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    budget: fc.option(
      fc.integer({ min: 0, max: 12 }).map((b) => b * (kind === 'milp' ? BN : 10 * BN)),
      {
        nil: undefined,
      },
    ),
    provinceQuotas: fc.dictionary(fc.constantFrom('p0', 'p1', 'p2', 'p9'), quotaArb, {
      maxKeys: 3,
    }),
    tierQuotas:
      kind === 'milp'
        ? fc.dictionary(fc.constantFrom('t0', 't1'), quotaArb, { maxKeys: 2 })
        : fc.constant({}),
    method: fc.constant(kind === 'milp' ? ('milp' as const) : ('auto' as const)),
  })
}

function checkAgainstBruteForce(request: WaveRequestInput, method: 'greedy' | 'milp') {
  const best = bruteForce(request)
  const result = selectWave(request, highs)
  if (best === null) {
    expect(result.feasible).toBe(false)
    return
  }
  expect(result.feasible).toBe(true)
  if (!result.feasible) return
  if (request.facilities.some((x) => x.eligible !== false)) expect(result.method).toBe(method)
  expect(result.objective).toBe(best)
  // Independent check of every constraint on the returned set.
  const chosen = request.facilities.filter((x) => result.selected.includes(x.facilityId))
  expect(chosen.every((x) => x.eligible !== false)).toBe(true)
  const cost = chosen.reduce((a, x) => a + (x.cost ?? 10 * BN), 0)
  expect(result.totalCost).toBe(cost)
  if (request.capacity !== undefined) expect(chosen.length).toBeLessThanOrEqual(request.capacity)
  if (request.budget !== undefined) expect(cost).toBeLessThanOrEqual(request.budget)
  for (const [k, q] of Object.entries(request.provinceQuotas ?? {})) {
    const n = chosen.filter((x) => x.province === k).length
    expect(n).toBeGreaterThanOrEqual(q.min ?? 0)
    if (q.max !== undefined) expect(n).toBeLessThanOrEqual(q.max)
  }
  for (const [k, q] of Object.entries(request.tierQuotas ?? {})) {
    const n = chosen.filter((x) => x.tier === k).length
    expect(n).toBeGreaterThanOrEqual(q.min ?? 0)
    if (q.max !== undefined) expect(n).toBeLessThanOrEqual(q.max)
  }
  expect(result.objectiveWithoutQuotas).toBe(bruteForce(request, false))
  expect(result.priceOfEquity).toBeGreaterThanOrEqual(0)
}

// Hundreds of solver calls: 2–3 s alone, far more on a busy 2-core CI machine.
const SOLVER_PROPERTY_TIMEOUT = 60_000

describe('exactness against brute force (≤ 12 facilities)', () => {
  it(
    'greedy path (equal costs, province quotas)',
    () => {
      fc.assert(
        fc.property(instanceArb('greedy'), (request) => checkAgainstBruteForce(request, 'greedy')),
        { numRuns: 300 },
      )
    },
    SOLVER_PROPERTY_TIMEOUT,
  )

  it(
    'MILP path (unequal costs, tier quotas)',
    () => {
      fc.assert(
        fc.property(instanceArb('milp'), (request) => checkAgainstBruteForce(request, 'milp')),
        { numRuns: 120 },
      )
    },
    SOLVER_PROPERTY_TIMEOUT,
  )

  it(
    'facility order never changes the result (byte-identical JSON)',
    () => {
      fc.assert(
        fc.property(instanceArb('milp'), fc.integer(), (request, seed) => {
          const a = JSON.stringify(selectWave(request, highs))
          const b = JSON.stringify(
            selectWave({ ...request, facilities: shuffled(request.facilities, seed) }, highs),
          )
          expect(b).toBe(a)
        }),
        { numRuns: 60 },
      )
    },
    SOLVER_PROPERTY_TIMEOUT,
  )
})
