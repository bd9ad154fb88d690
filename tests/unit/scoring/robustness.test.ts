import fc from 'fast-check'
import type { Highs } from 'highs'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  kendallTauB,
  mergeRobustness,
  robustness,
  runRobustnessDraws,
  sampleDrawWeights,
  sampleGamma,
  summarizeRobustness,
  weightSensitivity,
  type RobustnessRequestInput,
} from '../../../scoring/robustness.ts'
import { selectWave } from '../../../scoring/wave.ts'
import { shuffled } from './helpers.ts'

let highs: Highs
beforeAll(async () => {
  highs = await (await import('highs')).default()
})

/** 40 facilities, 3 domains, 4 provinces; scores from a seeded LCG. */
function request(extra: Partial<RobustnessRequestInput> = {}): RobustnessRequestInput {
  let s = 12345
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
  const facilities = Array.from({ length: 40 }, (_, i) => ({
    facilityId: `f${String(i).padStart(2, '0')}`,
    code: `BV${String(i).padStart(3, '0')}`,
    province: `p${i % 4}`,
    domainScores: [next(), next(), i === 7 ? null : next()],
  }))
  facilities[0] = {
    ...facilities[0],
    facilityId: 'f00',
    code: 'BV000',
    province: 'p0',
    domainScores: [1, 1, 1],
  }
  facilities[1] = {
    ...facilities[1],
    facilityId: 'f01',
    code: 'BV001',
    province: 'p1',
    domainScores: [0, 0, 0],
  }
  return {
    facilities,
    domainWeights: [0.5, 0.3, 0.2],
    alpha: 50,
    draws: 400,
    seed: 42,
    wave: { capacity: 10, provinceQuotas: { p3: { min: 2 } } },
    ...extra,
  }
}

describe('sampling', () => {
  it('Gamma (Marsaglia–Tsang) has mean ≈ shape, also below 1', () => {
    for (const shape of [0.4, 3, 25]) {
      const rng = xoroshiro128plus(7)
      let sum = 0
      const n = 20000
      for (let i = 0; i < n; i++) sum += sampleGamma(rng, shape)
      // standard error √(shape/n): 4.5 of them is a generous bound
      expect(Math.abs(sum / n - shape)).toBeLessThan(4.5 * Math.sqrt(shape / n))
    }
  })

  it('Dirichlet(α·w₀) draws have mean w₀ and variance w₀(1 − w₀)/(α + 1)', () => {
    const w0 = [0.5, 0.3, 0.2]
    const n = 4000
    const sums = [0, 0, 0]
    const squares = [0, 0, 0]
    for (let k = 0; k < n; k++) {
      const w = sampleDrawWeights(w0, 100, 3, k)
      expect(Math.abs(w.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
      w.forEach((v, d) => {
        sums[d] = (sums[d] ?? 0) + v
        squares[d] = (squares[d] ?? 0) + v * v
      })
    }
    w0.forEach((w, d) => {
      const mean = (sums[d] ?? 0) / n
      const variance = (squares[d] ?? 0) / n - mean * mean
      const expected = (w * (1 - w)) / 101
      expect(Math.abs(mean - w)).toBeLessThan(5 * Math.sqrt(expected / n))
      expect(Math.abs(variance / expected - 1)).toBeLessThan(0.15)
    })
  })

  it('a draw depends on (seed, k) only', () => {
    expect(Array.from(sampleDrawWeights([0.5, 0.5], 100, 1, 9))).toEqual(
      Array.from(sampleDrawWeights([0.5, 0.5], 100, 1, 9)),
    )
    expect(sampleDrawWeights([0.5, 0.5], 100, 1, 9)[0]).not.toBe(
      sampleDrawWeights([0.5, 0.5], 100, 2, 9)[0],
    )
  })
})

describe('SMAA selection acceptability', () => {
  it('labels a dominant facility robust-in and a zero facility robust-out', () => {
    const result = robustness(request())
    const byId = new Map(result.facilities.map((f) => [f.facilityId, f]))
    expect(byId.get('f00')).toMatchObject({
      selectionProbability: 1,
      label: 'robust-in',
      rankMin: 1,
      rankMax: 1,
    })
    expect(byId.get('f01')).toMatchObject({
      selectionProbability: 0,
      label: 'robust-out',
      rankMax: 40,
    })
    // Province p3 minimum 2: every draw selects two of p3's facilities at least.
    expect(result.facilities.reduce((a, f) => a + f.selectionProbability, 0)).toBeCloseTo(10, 9)
    for (const f of result.facilities) {
      expect(f.rankMin).toBeLessThanOrEqual(f.rankP5)
      expect(f.rankP5).toBeLessThanOrEqual(f.rankP95)
      expect(f.rankP95).toBeLessThanOrEqual(f.rankMax)
    }
    expect(result.monteCarloError).toBeCloseTo(1.96 * Math.sqrt(0.25 / 400), 12)
  })

  it('slices merge exactly into the full run, in any merge order', () => {
    const full = runRobustnessDraws(request())
    const parts = [
      runRobustnessDraws(request({ drawStart: 250, drawCount: 150 })),
      runRobustnessDraws(request({ drawStart: 0, drawCount: 100 })),
      runRobustnessDraws(request({ drawStart: 100, drawCount: 150 })),
    ]
    const merged = mergeRobustness(parts)
    expect({ ...merged, ranges: [] }).toEqual({ ...full, ranges: [] })
    expect(JSON.stringify(summarizeRobustness(merged))).toBe(
      JSON.stringify(summarizeRobustness(full)),
    )
    expect(() => summarizeRobustness(mergeRobustness(parts.slice(1)))).toThrow(/only 250 of 400/)
    expect(() => mergeRobustness([parts[1], parts[1]].filter((p) => p !== undefined))).toThrow(
      /overlap/,
    )
  })

  it('is reproducible and independent of the facility order (byte-identical JSON)', () => {
    const a = JSON.stringify(robustness(request({ draws: 100 })))
    const r = request({ draws: 100 })
    const b = JSON.stringify(robustness({ ...r, facilities: shuffled(r.facilities, 99) }))
    expect(b).toBe(a)
    expect(JSON.stringify(robustness(request({ draws: 100 })))).toBe(a)
  })

  it('each draw re-selects exactly the wave selectWave gives for that draw’s weights', () => {
    const r = request()
    for (const k of [0, 17, 399]) {
      const w = sampleDrawWeights(r.domainWeights, 50, 42, k)
      const facilities = r.facilities.map((f) => {
        let num = 0
        let den = 0
        f.domainScores.forEach((s, d) => {
          if (s === null) return
          num += (w[d] ?? 0) * s
          den += w[d] ?? 0
        })
        return {
          facilityId: f.facilityId,
          code: f.code,
          province: f.province,
          priorityBp: Math.round((10000 * num) / den),
        }
      })
      const wave = selectWave({ facilities, capacity: 10, provinceQuotas: { p3: { min: 2 } } })
      if (!wave.feasible) throw new Error('infeasible')
      const part = runRobustnessDraws({ ...r, drawStart: k, drawCount: 1 })
      const picked = part.facilityIds.filter((_, i) => part.selected[i] === 1)
      expect(picked).toEqual([...wave.selected].sort())
    }
  })

  it('uses the supplied MILP solver when the wave needs it, with the same answer', () => {
    const greedy = runRobustnessDraws(request({ draws: 8 }))
    // A tier maximum that never binds forces the MILP path without changing the optimum.
    const milp = runRobustnessDraws(
      request({
        draws: 8,
        wave: { capacity: 10, provinceQuotas: { p3: { min: 2 } }, tierQuotas: { x: { max: 99 } } },
      }),
      highs,
    )
    expect(milp.selected).toEqual(greedy.selected)
    expect(() =>
      runRobustnessDraws(
        request({ draws: 2, wave: { capacity: 5, tierQuotas: { x: { max: 1 } } } }),
      ),
    ).toThrow(/MILP solver/)
  })

  it('refuses an infeasible wave and malformed requests', () => {
    expect(() =>
      robustness(request({ wave: { capacity: 1, provinceQuotas: { p3: { min: 2 } } } })),
    ).toThrow(/infeasible/)
    expect(() => robustness(request({ domainWeights: [0.5, 0.5, 0.5] }))).toThrow(/sum to 1\.5/)
    expect(() => robustness(request({ domainWeights: [0.5, 0.5] }))).toThrow(
      /3 domain scores, not 2/,
    )
  })
})

function tauBrute(x: number[], y: number[]): number | null {
  let c = 0
  let d = 0
  let tx = 0
  let ty = 0
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign((x[i] ?? 0) - (x[j] ?? 0))
      const b = Math.sign((y[i] ?? 0) - (y[j] ?? 0))
      if (a === 0 && b === 0) continue
      if (a === 0) tx++
      else if (b === 0) ty++
      else if (a === b) c++
      else d++
    }
  }
  const den = Math.sqrt((c + d + tx) * (c + d + ty))
  return den === 0 ? null : (c - d) / den
}

describe('weight sensitivity', () => {
  it('Kendall τ_b (O(n log n)) equals the pairwise definition, ties included', () => {
    expect(kendallTauB([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 12)
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), {
          minLength: 2,
          maxLength: 40,
        }),
        (pairs) => {
          const x = pairs.map((p) => p[0])
          const y = pairs.map((p) => p[1])
          const fast = kendallTauB(x, y)
          const slow = tauBrute(x, y)
          if (slow === null) expect(fast).toBeNull()
          else expect(Math.abs((fast ?? NaN) - slow)).toBeLessThan(1e-12)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('reports τ_b, top-K overlap and the largest rank change for each domain ±20 %', () => {
    const cases = weightSensitivity(request(), { topK: 10 })
    expect(cases).toHaveLength(6)
    expect(cases[0]?.weights[0]).toBeCloseTo(0.6 / 1.1, 12)
    for (const c of cases) {
      expect(c.kendallTauB).not.toBeNull()
      expect(c.kendallTauB ?? 0).toBeGreaterThan(0.5)
      expect(c.topKOverlap).toBeGreaterThanOrEqual(0)
      expect(c.topKOverlap).toBeLessThanOrEqual(1)
    }
    // Equal domain scores everywhere: weights cannot matter.
    const flat = request()
    const same = weightSensitivity(
      {
        ...flat,
        facilities: flat.facilities.map((f, i) => ({
          ...f,
          domainScores: [i / 40, i / 40, i / 40],
        })),
      },
      { topK: 10 },
    )
    for (const c of same)
      expect(c).toMatchObject({ kendallTauB: 1, topKOverlap: 1, maxRankChange: 0 })
  })
})

it('rank percentiles are exact when facilities ≤ rankBins (checked draw by draw)', () => {
  const base = request({ draws: 120, alpha: 5, wave: { capacity: 10 } })
  const small = { ...base, facilities: base.facilities.slice(0, 12) }
  const summary = robustness(small)
  const ranks = new Map<string, number[]>()
  for (let k = 0; k < 120; k++) {
    const part = runRobustnessDraws({ ...small, drawStart: k, drawCount: 1 })
    part.facilityIds.forEach((id, i) =>
      ranks.set(id, [...(ranks.get(id) ?? []), part.rankMin[i] ?? 0]),
    )
  }
  const exact = (list: number[], q: number) =>
    [...list].sort((a, b) => a - b)[Math.ceil(q * list.length) - 1]
  for (const f of summary.facilities) {
    const list = ranks.get(f.facilityId) ?? []
    expect([f.rankP5, f.rankP95]).toEqual([exact(list, 0.05), exact(list, 0.95)])
    expect(f.rankMean).toBeCloseTo(list.reduce((a, b) => a + b, 0) / list.length, 9)
  }
  // Coarser than one bin per rank: the interval widens to bin edges, never narrows.
  for (const f of robustness({ ...small, rankBins: 3 }).facilities) {
    const list = ranks.get(f.facilityId) ?? []
    expect(f.rankP5).toBeLessThanOrEqual(exact(list, 0.05) ?? 0)
    expect(f.rankP95).toBeGreaterThanOrEqual(exact(list, 0.95) ?? 0)
  }
})
