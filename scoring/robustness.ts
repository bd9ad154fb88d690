/**
 * Robustness of a ranking and a wave to the domain weights (SMAA-2 style).
 *
 * Each draw k samples domain weights w' ~ Dirichlet(α·w₀) around the model's
 * weights (mean w₀, variance w₀(1 − w₀)/(α + 1)), recomputes every
 * facility's composite from its domain scores, C' = 100·Σ w'_d·D_d / Σ w'_d
 * over its applicable domains (the same renormalisation as scoring), re-ranks
 * and re-selects the wave. Selection acceptability a_i = share of draws that
 * select i: ≥ 0.9 robust-in, ≤ 0.1 robust-out, else borderline.
 *
 * Draw k's random stream is seeded from (seed, k) alone, so any slice of
 * draws (drawStart, drawCount) can run on its own worker and the partial
 * results merge exactly (counts add, minima and maxima combine).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator'
import * as z from 'zod'
import { PriorityObjectiveSchema } from './priority.ts'
import { compareByTieBreak, compareStrings } from './rank.ts'
import type { AssessmentScore } from './score.ts'
import {
  DEFAULT_FACILITY_COST_VND,
  QuotaSchema,
  selectParsedWave,
  selectWave,
  type WaveRequest,
  type WaveSolver,
} from './wave.ts'

const Int = z.number().int()

export const RobustnessFacilitySchema = z.strictObject({
  facilityId: z.string().min(1),
  code: z.string().min(1),
  province: z.string().min(1),
  tier: z.string().min(1).optional(),
  cost: Int.positive().optional(),
  /** D_d in model domain order; null for a domain that is not applicable. */
  domainScores: z.array(z.number().min(0).max(1).nullable()),
  need: z.number().min(0).max(1).default(0),
  feasibility: z.number().min(0).max(1).default(0),
  gateSubscoreBp: Int.min(0).max(10000).default(0),
})
export type RobustnessFacility = z.output<typeof RobustnessFacilitySchema>

export const RobustnessRequestSchema = z
  .strictObject({
    /** Eligible facilities only (the ranking's `ranked` list). */
    facilities: z.array(RobustnessFacilitySchema),
    /** The model's domain weights w₀, in model domain order. */
    domainWeights: z.array(z.number().min(0)).min(1),
    /** Dirichlet concentration: larger α keeps draws closer to w₀. */
    alpha: z.number().positive().default(100),
    /** Total number of draws N of the full run. */
    draws: Int.positive(),
    seed: Int,
    /** The slice this call computes: draws [drawStart, drawStart + drawCount). */
    drawStart: Int.min(0).default(0),
    drawCount: Int.min(0).optional(),
    objective: PriorityObjectiveSchema.default({ kind: 'readiness' }),
    wave: z
      .strictObject({
        capacity: Int.min(0).optional(),
        budget: Int.min(0).optional(),
        defaultCost: Int.positive().default(DEFAULT_FACILITY_COST_VND),
        provinceQuotas: z.record(z.string(), QuotaSchema).default({}),
        tierQuotas: z.record(z.string(), QuotaSchema).default({}),
      })
      .default({ defaultCost: DEFAULT_FACILITY_COST_VND, provinceQuotas: {}, tierQuotas: {} }),
    /** Rank histogram resolution: exact rank percentiles when facilities ≤ rankBins. */
    rankBins: Int.min(1).max(4096).default(512),
  })
  .superRefine((r, ctx) => {
    const m = r.domainWeights.length
    const sum = r.domainWeights.reduce((a, b) => a + b, 0)
    if (Math.abs(sum - 1) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        message: `domain weights sum to ${sum}, not 1`,
        path: ['domainWeights'],
      })
    }
    r.facilities.forEach((f, i) => {
      if (f.domainScores.length !== m) {
        ctx.addIssue({
          code: 'custom',
          message: `facility "${f.facilityId}" has ${f.domainScores.length} domain scores, not ${m}`,
          path: ['facilities', i, 'domainScores'],
        })
      }
    })
    if (r.drawStart + (r.drawCount ?? r.draws - r.drawStart) > r.draws) {
      ctx.addIssue({
        code: 'custom',
        message: 'the slice runs past the last draw',
        path: ['drawCount'],
      })
    }
    if (new Set(r.facilities.map((f) => f.facilityId)).size !== r.facilities.length) {
      ctx.addIssue({ code: 'custom', message: 'a facility is listed twice', path: ['facilities'] })
    }
  })
export type RobustnessRequest = z.output<typeof RobustnessRequestSchema>
export type RobustnessRequestInput = z.input<typeof RobustnessRequestSchema>

/**
 * Robustness inputs from stored scores: D_d per domain (null when not applicable).
 * @example robustnessFacility({ facilityId: 'f1', code: 'BV01', province: 'hn', score })
 */
export function robustnessFacility(input: {
  facilityId: string
  code: string
  province: string
  tier?: string
  cost?: number
  score: AssessmentScore
  need?: number
  feasibility?: number
  gateSubscoreBp?: number
}): z.input<typeof RobustnessFacilitySchema> {
  const { score, ...rest } = input
  return { ...rest, domainScores: score.domains.map((d) => (d.applicable ? d.score : null)) }
}

// ---------------------------------------------------------------------------
// Random draws

/** murmur3 finaliser: spreads (seed, k) over 32 bits so neighbouring draws are unrelated. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) | 0
}

/**
 * The 32-bit seed of draw k: fmix32(seed ⊕ fmix32(k + 0x9e3779b9)); depends on (seed, k)
 * only, never on the slice.
 * @example drawSeed(42, 0) === drawSeed(42, 0) // true
 */
export function drawSeed(seed: number, k: number): number {
  return fmix32(seed ^ fmix32((k + 0x9e3779b9) | 0))
}

function uniformOpen(rng: RandomGenerator): number {
  // (0, 1]: safe for log().
  return 1 - uniformFloat64(rng)
}

function standardNormal(rng: RandomGenerator): number {
  // Box–Muller; one of the pair is discarded to keep each draw's stream simple.
  const u1 = uniformOpen(rng)
  const u2 = uniformFloat64(rng)
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
}

/**
 * Gamma(shape, 1) by Marsaglia–Tsang (2000); shape < 1 via Gamma(shape + 1)·U^(1/shape).
 * @example sampleGamma(xoroshiro128plus(1), 10) // ≈ 10 on average
 */
export function sampleGamma(rng: RandomGenerator, shape: number): number {
  if (shape <= 0) return 0
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(uniformOpen(rng), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = standardNormal(rng)
    let v = 1 + c * x
    if (v <= 0) continue
    v = v * v * v
    const u = uniformOpen(rng)
    if (u < 1 - 0.0331 * x * x * x * x) return d * v
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

/**
 * The weights of draw k: w' = g/Σg with g_d ~ Gamma(α·w₀_d) (a zero weight stays zero).
 * @example sampleDrawWeights([0.5, 0.5], 100, 42, 0) // e.g. [0.47, 0.53]
 */
export function sampleDrawWeights(
  weights: readonly number[],
  alpha: number,
  seed: number,
  k: number,
): Float64Array {
  const rng = xoroshiro128plus(drawSeed(seed, k))
  const out = new Float64Array(weights.length)
  let sum = 0
  weights.forEach((w, d) => {
    const g = w > 0 ? sampleGamma(rng, alpha * w) : 0
    out[d] = g
    sum += g
  })
  if (sum <= 0) return Float64Array.from(weights)
  for (let d = 0; d < out.length; d++) out[d] = (out[d] ?? 0) / sum
  return out
}

// ---------------------------------------------------------------------------
// Priorities under given weights

interface Prepared {
  request: RobustnessRequest
  /** Facilities sorted by id: the canonical order, independent of the input order. */
  facilities: RobustnessFacility[]
  n: number
  m: number
  /** n×m domain scores, NaN when not applicable. */
  scores: Float64Array
  /** Position of each facility in the static tie-break order (gate subscore, need, code, id). */
  staticOrder: Int32Array
  /** Facility indices sorted by staticOrder. */
  byStatic: Int32Array
  provinceIndex: Int32Array
  provinceMin: Int32Array
  provinceMax: Int32Array
  greedy: boolean
  cost: number
}

function needBp(f: RobustnessFacility): number {
  return Math.round(10000 * f.need)
}

function prepare(input: RobustnessRequestInput): Prepared {
  const parsed = RobustnessRequestSchema.safeParse(input)
  if (!parsed.success) {
    throw new Error(`Invalid robustness request:\n${z.prettifyError(parsed.error)}`)
  }
  const request = parsed.data
  const facilities = [...request.facilities].sort((a, b) =>
    compareStrings(a.facilityId, b.facilityId),
  )
  const n = facilities.length
  const m = request.domainWeights.length
  const scores = new Float64Array(n * m)
  facilities.forEach((f, i) => {
    f.domainScores.forEach((s, d) => {
      scores[i * m + d] = s ?? NaN
    })
  })
  const statics = facilities.map((f, i) => ({
    i,
    facilityId: f.facilityId,
    code: f.code,
    priorityBp: 0,
    gateSubscoreBp: f.gateSubscoreBp,
    needBp: needBp(f),
  }))
  statics.sort(compareByTieBreak)
  const staticOrder = new Int32Array(n)
  const byStatic = new Int32Array(n)
  statics.forEach((s, pos) => {
    staticOrder[s.i] = pos
    byStatic[pos] = s.i
  })
  const provinces = [...new Set(facilities.map((f) => f.province))].sort(compareStrings)
  const pIndex = new Map(provinces.map((p, i) => [p, i]))
  const provinceIndex = Int32Array.from(facilities, (f) => pIndex.get(f.province) ?? 0)
  const provinceMin = new Int32Array(provinces.length)
  const provinceMax = new Int32Array(provinces.length).fill(n + 1)
  for (const [key, q] of Object.entries(request.wave.provinceQuotas)) {
    const p = pIndex.get(key)
    if (p === undefined) continue
    provinceMin[p] = q.min
    if (q.max !== undefined) provinceMax[p] = q.max
  }
  const cost = facilities[0]?.cost ?? request.wave.defaultCost
  const equalCosts = facilities.every((f) => (f.cost ?? request.wave.defaultCost) === cost)
  const tierActive = Object.values(request.wave.tierQuotas).some(
    (q) => q.min > 0 || q.max !== undefined,
  )
  return {
    request,
    facilities,
    n,
    m,
    scores,
    staticOrder,
    byStatic,
    provinceIndex,
    provinceMin,
    provinceMax,
    greedy: equalCosts && !tierActive,
    cost,
  }
}

/**
 * Priorities (basis points) of every facility under weights w, in canonical order:
 * bp_i = round(10000·Σ_{d∈A_i} w_d·D_id / Σ_{d∈A_i} w_d), then the objective.
 */
function priorities(p: Prepared, w: Float64Array, out: Int32Array): void {
  const { n, m, scores, facilities } = p
  const objective = p.request.objective
  for (let i = 0; i < n; i++) {
    let num = 0
    let den = 0
    const base = i * m
    for (let d = 0; d < m; d++) {
      const s = scores[base + d] ?? NaN
      if (s !== s) continue // NaN: domain not applicable
      const wd = w[d] ?? 0
      num += wd * s
      den += wd
    }
    const composite = den > 0 ? num / den : 0
    const bp = Math.min(10000, Math.max(0, Math.round(10000 * composite)))
    if (objective.kind === 'readiness') {
      out[i] = bp
    } else {
      const f = facilities[i]
      const ow = objective.weights
      const value =
        ow.readiness * (bp / 10000) +
        ow.need * (f?.need ?? 0) +
        ow.feasibility * (f?.feasibility ?? 0)
      out[i] = Math.min(10000, Math.max(0, Math.round(10000 * value)))
    }
  }
}

/** Counting sort by priority (desc), static tie-break order within a priority. */
function orderByPriority(p: Prepared, prio: Int32Array, counts: Int32Array, out: Int32Array): void {
  // Only the occupied range of buckets is cleared and scanned (priorities cluster).
  let lo = 10000
  let hi = 0
  for (let i = 0; i < p.n; i++) {
    const b = 10000 - (prio[i] ?? 0)
    if (b < lo) lo = b
    if (b > hi) hi = b
  }
  counts.fill(0, lo, hi + 1)
  for (let i = 0; i < p.n; i++) {
    const b = 10000 - (prio[i] ?? 0)
    counts[b] = (counts[b] ?? 0) + 1
  }
  let acc = 0
  for (let b = lo; b <= hi; b++) {
    const c = counts[b] ?? 0
    counts[b] = acc
    acc += c
  }
  for (let pos = 0; pos < p.n; pos++) {
    const i = p.byStatic[pos] ?? 0
    const b = 10000 - (prio[i] ?? 0)
    const slot = counts[b] ?? 0
    out[slot] = i
    counts[b] = slot + 1
  }
}

// ---------------------------------------------------------------------------
// Draws

export interface RobustnessPartial {
  /** Canonical facility ids (sorted), the index space of every array. */
  facilityIds: string[]
  draws: number
  /** The draw ranges this partial covers, sorted. */
  ranges: Array<[start: number, count: number]>
  bins: number
  binWidth: number
  // Typed arrays: cheap to post between worker threads (structured clone or transfer).
  selected: Uint32Array
  rankMin: Uint32Array
  rankMax: Uint32Array
  rankSum: Float64Array
  /** n × bins rank histogram, row-major. */
  rankHist: Uint32Array
}

/**
 * Run the draws [drawStart, drawStart + drawCount) and return mergeable counts.
 * Per draw: O(n·m) composites, an O(n + 10⁴) counting sort, competition ranks
 * and the greedy wave (MILP instances call `selectWave` with `solver`).
 *
 * @example
 * const part = runRobustnessDraws({ ...request, drawStart: 0, drawCount: 5000 })
 */
export function runRobustnessDraws(
  input: RobustnessRequestInput,
  solver?: WaveSolver,
): RobustnessPartial {
  const p = prepare(input)
  const { n, request } = p
  const start = request.drawStart
  const count = request.drawCount ?? request.draws - start
  const bins = Math.max(1, Math.min(n, request.rankBins))
  const binWidth = Math.max(1, Math.ceil(n / bins))

  // Feasibility does not depend on the weights: check it once, with the base weights.
  const base = new Int32Array(n)
  priorities(p, Float64Array.from(request.domainWeights), base)
  const baseWave = selectWave(waveRequest(p, base), solver)
  if (!baseWave.feasible) {
    throw new Error(
      `the wave request is infeasible: ${baseWave.conflicts.map((c) => c.message).join('; ')}`,
    )
  }

  const selected = new Uint32Array(n)
  const rankMin = new Uint32Array(n).fill(0xffffffff)
  const rankMax = new Uint32Array(n)
  const rankSum = new Float64Array(n)
  const rankHist = new Uint32Array(n * bins)
  const prio = new Int32Array(n)
  const order = new Int32Array(n)
  const rankOf = new Int32Array(n)
  const counts = new Int32Array(10001)
  const taken = new Int32Array(p.provinceMin.length)
  const chosen = new Uint8Array(n)
  const picked = new Int32Array(n)
  const index = new Map(p.facilities.map((f, i) => [f.facilityId, i]))
  const limit = effectiveCount(p)
  let minimums = 0
  for (const v of p.provinceMin) minimums += v

  for (let k = start; k < start + count; k++) {
    const w = sampleDrawWeights(request.domainWeights, request.alpha, request.seed, k)
    priorities(p, w, prio)
    orderByPriority(p, prio, counts, order)
    let rank = 0
    for (let pos = 0; pos < n; pos++) {
      const i = order[pos] ?? 0
      const prev = pos > 0 ? (order[pos - 1] ?? 0) : -1
      if (pos === 0 || prio[prev] !== prio[i]) rank = pos + 1
      rankOf[i] = rank
    }
    // Second pass in facility order: the histogram rows are visited in memory
    // order, which the CPU prefetches (visiting them in rank order thrashed the cache).
    for (let i = 0; i < n; i++) {
      const r = rankOf[i] ?? 0
      if (r < (rankMin[i] ?? 0)) rankMin[i] = r
      if (r > (rankMax[i] ?? 0)) rankMax[i] = r
      rankSum[i] = (rankSum[i] ?? 0) + r
      const cell = i * bins + Math.min(bins - 1, Math.floor((r - 1) / binWidth))
      rankHist[cell] = (rankHist[cell] ?? 0) + 1
    }
    let size = 0
    if (p.greedy) {
      size = greedyInto(p, order, limit, minimums, taken, chosen, picked)
    } else {
      // The base request was parsed above; a draw changes only the priorities.
      const wave = selectParsedWave(waveRequest(p, prio), solver, { priceOfEquity: false })
      if (wave.feasible) {
        for (const id of wave.selected) picked[size++] = index.get(id) ?? 0
      }
    }
    for (let j = 0; j < size; j++) {
      const i = picked[j] ?? 0
      selected[i] = (selected[i] ?? 0) + 1
      chosen[i] = 0
    }
  }
  if (count === 0) rankMin.fill(0)
  return {
    facilityIds: p.facilities.map((f) => f.facilityId),
    draws: request.draws,
    ranges: count > 0 ? [[start, count]] : [],
    bins,
    binWidth,
    selected,
    rankMin,
    rankMax,
    rankSum,
    rankHist,
  }
}

function effectiveCount(p: Prepared): number {
  const { capacity, budget } = p.request.wave
  let count = Math.min(p.n, capacity ?? Infinity)
  if (budget !== undefined) count = Math.min(count, Math.floor(budget / p.cost))
  return count
}

/**
 * The same greedy as selectWave's: L_p best per province, then the best under
 * U_p and the count. Writes the chosen indices to `picked` (and marks them in
 * `chosen`, which the caller clears); returns how many.
 */
function greedyInto(
  p: Prepared,
  order: Int32Array,
  limit: number,
  minimums: number,
  taken: Int32Array,
  chosen: Uint8Array,
  picked: Int32Array,
): number {
  taken.fill(0)
  let size = 0
  // Stops as soon as every minimum is met (usually long before the end of the list).
  for (let pos = 0; pos < p.n && size < minimums; pos++) {
    const i = order[pos] ?? 0
    const prov = p.provinceIndex[i] ?? 0
    if ((taken[prov] ?? 0) < (p.provinceMin[prov] ?? 0)) {
      chosen[i] = 1
      picked[size++] = i
      taken[prov] = (taken[prov] ?? 0) + 1
    }
  }
  for (let pos = 0; pos < p.n && size < limit; pos++) {
    const i = order[pos] ?? 0
    if (chosen[i] === 1) continue
    const prov = p.provinceIndex[i] ?? 0
    if ((taken[prov] ?? 0) >= (p.provinceMax[prov] ?? 0)) continue
    chosen[i] = 1
    picked[size++] = i
    taken[prov] = (taken[prov] ?? 0) + 1
  }
  return size
}

function waveRequest(p: Prepared, prio: Int32Array): WaveRequest {
  const { wave } = p.request
  return {
    facilities: p.facilities.map((f, i) => ({
      facilityId: f.facilityId,
      code: f.code,
      priorityBp: prio[i] ?? 0,
      province: f.province,
      ...(f.tier === undefined ? {} : { tier: f.tier }),
      ...(f.cost === undefined ? {} : { cost: f.cost }),
      eligible: true,
      gateSubscoreBp: f.gateSubscoreBp,
      needBp: needBp(f),
    })),
    ...(wave.capacity === undefined ? {} : { capacity: wave.capacity }),
    ...(wave.budget === undefined ? {} : { budget: wave.budget }),
    defaultCost: wave.defaultCost,
    provinceQuotas: wave.provinceQuotas,
    tierQuotas: wave.tierQuotas,
    method: 'auto',
  }
}

/**
 * Merge partial results of disjoint draw slices: counts and sums add, minima
 * and maxima combine. Exact: merging the slices of a run equals the full run.
 *
 * @example mergeRobustness([runRobustnessDraws(a), runRobustnessDraws(b)])
 */
export function mergeRobustness(parts: readonly RobustnessPartial[]): RobustnessPartial {
  const first = parts[0]
  if (!first) throw new Error('nothing to merge')
  const n = first.facilityIds.length
  const merged: RobustnessPartial = {
    facilityIds: [...first.facilityIds],
    draws: first.draws,
    ranges: [],
    bins: first.bins,
    binWidth: first.binWidth,
    selected: new Uint32Array(n),
    rankMin: new Uint32Array(n),
    rankMax: new Uint32Array(n),
    rankSum: new Float64Array(n),
    rankHist: new Uint32Array(first.rankHist.length),
  }
  // Fixed merge order (by range start) so float sums do not depend on worker timing.
  const sorted = [...parts].sort((a, b) => (a.ranges[0]?.[0] ?? 0) - (b.ranges[0]?.[0] ?? 0))
  for (const part of sorted) {
    if (
      part.draws !== first.draws ||
      part.bins !== first.bins ||
      part.facilityIds.join('\n') !== first.facilityIds.join('\n')
    ) {
      throw new Error('partials come from different robustness requests')
    }
    if (part.ranges.length === 0) continue
    const empty = merged.ranges.length === 0
    merged.ranges.push(...part.ranges)
    for (let i = 0; i < n; i++) {
      merged.selected[i] = (merged.selected[i] ?? 0) + (part.selected[i] ?? 0)
      merged.rankSum[i] = (merged.rankSum[i] ?? 0) + (part.rankSum[i] ?? 0)
      merged.rankMax[i] = Math.max(merged.rankMax[i] ?? 0, part.rankMax[i] ?? 0)
      merged.rankMin[i] = empty
        ? (part.rankMin[i] ?? 0)
        : Math.min(merged.rankMin[i] ?? 0, part.rankMin[i] ?? 0)
    }
    for (let j = 0; j < merged.rankHist.length; j++) {
      merged.rankHist[j] = (merged.rankHist[j] ?? 0) + (part.rankHist[j] ?? 0)
    }
  }
  merged.ranges.sort((a, b) => a[0] - b[0])
  let next = 0
  for (const [start, count] of merged.ranges) {
    if (start < next) throw new Error(`draw slices overlap at draw ${start}`)
    next = start + count
  }
  return merged
}

export type RobustnessLabel = 'robust-in' | 'borderline' | 'robust-out'

export interface FacilityRobustness {
  facilityId: string
  /** a_i = selected draws / draws. */
  selectionProbability: number
  label: RobustnessLabel
  rankMin: number
  rankMax: number
  /** 5th and 95th percentile of the rank (bin edges when facilities > rankBins). */
  rankP5: number
  rankP95: number
  rankMean: number
}

export interface RobustnessResult {
  draws: number
  /** 95 % Monte-Carlo half-width of a probability: 1.96·√(0.25/N). */
  monteCarloError: number
  facilities: FacilityRobustness[]
}

/**
 * Turn merged counts into per-facility results. Label: a ≥ 0.9 robust-in,
 * a ≤ 0.1 robust-out, else borderline. Percentile q: smallest rank whose
 * cumulative count reaches ⌈q·N⌉. Output sorted by selection probability,
 * then mean rank, then facility id.
 *
 * @example summarizeRobustness(mergeRobustness(parts)).facilities[0].label // 'robust-in'
 */
export function summarizeRobustness(partial: RobustnessPartial): RobustnessResult {
  const drawn = partial.ranges.reduce((a, [, c]) => a + c, 0)
  if (drawn !== partial.draws) {
    throw new Error(`only ${drawn} of ${partial.draws} draws are present`)
  }
  const { bins, binWidth } = partial
  const n = partial.facilityIds.length
  const percentile = (i: number, q: number, upper: boolean): number => {
    const need = Math.max(1, Math.ceil(q * drawn))
    let acc = 0
    for (let b = 0; b < bins; b++) {
      acc += partial.rankHist[i * bins + b] ?? 0
      if (acc >= need) {
        const edge = upper ? Math.min(n, (b + 1) * binWidth) : b * binWidth + 1
        return Math.min(partial.rankMax[i] ?? edge, Math.max(partial.rankMin[i] ?? edge, edge))
      }
    }
    return partial.rankMax[i] ?? 0
  }
  const facilities: FacilityRobustness[] = partial.facilityIds.map((facilityId, i) => {
    const a = (partial.selected[i] ?? 0) / drawn
    return {
      facilityId,
      selectionProbability: a,
      label: a >= 0.9 ? 'robust-in' : a <= 0.1 ? 'robust-out' : 'borderline',
      rankMin: partial.rankMin[i] ?? 0,
      rankMax: partial.rankMax[i] ?? 0,
      rankP5: percentile(i, 0.05, false),
      rankP95: percentile(i, 0.95, true),
      rankMean: (partial.rankSum[i] ?? 0) / drawn,
    }
  })
  facilities.sort(
    (x, y) =>
      y.selectionProbability - x.selectionProbability ||
      x.rankMean - y.rankMean ||
      compareStrings(x.facilityId, y.facilityId),
  )
  return { draws: drawn, monteCarloError: 1.96 * Math.sqrt(0.25 / drawn), facilities }
}

/**
 * The whole run in one call: summarize(runRobustnessDraws(all draws)).
 * @example robustness({ facilities, domainWeights: [0.5, 0.5], draws: 10000, seed: 7, wave: { capacity: 130 } })
 */
export function robustness(input: RobustnessRequestInput, solver?: WaveSolver): RobustnessResult {
  return summarizeRobustness(
    runRobustnessDraws({ ...input, drawStart: 0, drawCount: undefined }, solver),
  )
}

// ---------------------------------------------------------------------------
// Weight sensitivity

/**
 * Kendall τ_b between two score vectors (ties handled), O(n log n) (Knight 1966):
 * τ_b = (n₀ − n₁ − n₂ + n₃ − 2·swaps) / √((n₀ − n₁)(n₀ − n₂)), with n₀ = n(n−1)/2,
 * n₁/n₂ ties in x/y, n₃ joint ties, swaps = discordant pairs. Null when undefined
 * (a constant vector).
 *
 * @example kendallTauB([1, 2, 3], [1, 3, 2]) // 0.333…
 */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const n = x.length
  if (n !== y.length) throw new Error('vectors of different lengths')
  if (n < 2) return null
  const idx = Array.from({ length: n }, (_, i) => i)
  const xs = (i: number) => x[i] ?? 0
  const ys = (i: number) => y[i] ?? 0
  idx.sort((a, b) => xs(a) - xs(b) || ys(a) - ys(b))
  const ties = (key: (i: number) => string | number, list: number[]): number => {
    let total = 0
    let run = 1
    for (let j = 1; j <= list.length; j++) {
      const a = list[j - 1] ?? 0
      const b = list[j]
      if (b !== undefined && key(a) === key(b)) run++
      else {
        total += (run * (run - 1)) / 2
        run = 1
      }
    }
    return total
  }
  const n0 = (n * (n - 1)) / 2
  const n1 = ties(xs, idx)
  const n3 = ties((i) => `${xs(i)}|${ys(i)}`, idx)
  // Merge sort by y counting strict inversions (pairs with x ascending, y descending).
  let swaps = 0
  let list = idx
  let buffer = new Array<number>(n)
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n)
      const hi = Math.min(lo + 2 * width, n)
      let i = lo
      let j = mid
      let k = lo
      while (i < mid && j < hi) {
        const a = list[i] ?? 0
        const b = list[j] ?? 0
        if (ys(b) < ys(a)) {
          buffer[k++] = b
          j++
          swaps += mid - i
        } else {
          buffer[k++] = a
          i++
        }
      }
      while (i < mid) buffer[k++] = list[i++] ?? 0
      while (j < hi) buffer[k++] = list[j++] ?? 0
    }
    ;[list, buffer] = [buffer, list]
  }
  const n2 = ties(ys, list)
  const denominator = Math.sqrt((n0 - n1) * (n0 - n2))
  if (denominator === 0) return null
  return (n0 - n1 - n2 + n3 - 2 * swaps) / denominator
}

export interface SensitivityCase {
  domainIndex: number
  /** +0.2 or −0.2: the relative change of that domain's weight before renormalising. */
  change: number
  weights: number[]
  kendallTauB: number | null
  /** |top-K(base) ∩ top-K(perturbed)| / K. */
  topKOverlap: number
  /** Largest change in competition rank of any facility. */
  maxRankChange: number
}

/**
 * Move each domain weight by ±delta (relative, default 20 %), renormalise,
 * re-rank, and compare with the base ranking: Kendall τ_b on priorities,
 * top-K overlap (tie-break order), largest rank change.
 *
 * @example weightSensitivity({ facilities, domainWeights, draws: 1, seed: 0 }, { topK: 130 })
 */
export function weightSensitivity(
  input: RobustnessRequestInput,
  options: { topK: number; delta?: number },
): SensitivityCase[] {
  const p = prepare({ ...input, drawStart: 0, drawCount: 0 })
  const delta = options.delta ?? 0.2
  const k = Math.max(0, Math.min(p.n, options.topK))
  const rankOf = (prio: Int32Array) => {
    const order = new Int32Array(p.n)
    orderByPriority(p, prio, new Int32Array(10001), order)
    const ranks = new Int32Array(p.n)
    let rank = 0
    order.forEach((i, pos) => {
      if (pos === 0 || prio[order[pos - 1] ?? 0] !== prio[i]) rank = pos + 1
      ranks[i] = rank
    })
    return { order, ranks }
  }
  const w0 = Float64Array.from(p.request.domainWeights)
  const base = new Int32Array(p.n)
  priorities(p, w0, base)
  const b = rankOf(base)
  const baseTop = new Set(Array.from(b.order.slice(0, k)))
  const cases: SensitivityCase[] = []
  for (let d = 0; d < p.m; d++) {
    for (const change of [delta, -delta]) {
      const w = Float64Array.from(w0)
      w[d] = (w[d] ?? 0) * (1 + change)
      const sum = w.reduce((a, v) => a + v, 0)
      for (let j = 0; j < w.length; j++) w[j] = (w[j] ?? 0) / sum
      const prio = new Int32Array(p.n)
      priorities(p, w, prio)
      const r = rankOf(prio)
      let overlap = 0
      for (const i of r.order.slice(0, k)) if (baseTop.has(i)) overlap++
      let maxRankChange = 0
      for (let i = 0; i < p.n; i++) {
        maxRankChange = Math.max(maxRankChange, Math.abs((r.ranks[i] ?? 0) - (b.ranks[i] ?? 0)))
      }
      cases.push({
        domainIndex: d,
        change,
        weights: Array.from(w),
        kendallTauB: kendallTauB(base, prio),
        topKOverlap: k === 0 ? 1 : overlap / k,
        maxRankChange,
      })
    }
  }
  return cases
}
