/**
 * Wave selection: which eligible facilities get EMR in this wave.
 *
 *   maximise Σ_i p_i·x_i
 *   s.t.     Σ_i x_i ≤ K                    (capacity, a count)
 *            Σ_i c_i·x_i ≤ B                (budget, VND)
 *            L_p ≤ Σ_{i∈p} x_i ≤ U_p        (province quotas)
 *            L_t ≤ Σ_{i∈t} x_i ≤ U_t        (tier quotas)
 *            x_i = 0 if i is not eligible;  x_i ∈ {0, 1}
 *
 * Equal costs and province quotas only (or none): the budget is a count and a
 * greedy is optimal — take the L_p best of each province, then the best
 * remaining under U_p and the count (exchange argument: any optimal set can be
 * swapped, facility by facility, into the greedy set without losing priority).
 * Otherwise (unequal costs: a knapsack; or tier quotas) a MILP solved by HiGHS,
 * which the caller loads and passes in (loading WASM is I/O; this module is pure).
 * All money is integer VND: 10 bn fits a double exactly, and so does the sum of
 * 13,000 costs capped at 100 bn each (< 2^53).
 */
import type { LegacyHighs } from 'highs'
import * as z from 'zod'
import { compareByTieBreak, compareStrings } from './rank.ts'

/** Default cost of one EMR rollout, VND. */
export const DEFAULT_FACILITY_COST_VND = 10_000_000_000
/** Per-facility cost ceiling (VND) that keeps every sum of costs an exact integer double. */
export const MAX_FACILITY_COST_VND = 100_000_000_000

/** The part of the HiGHS runtime this module uses (`await (await import('highs')).default()`). */
export type WaveSolver = Pick<LegacyHighs, 'solve'>

const Int = z.number().int()

export const WaveFacilitySchema = z.strictObject({
  facilityId: z.string().min(1),
  code: z.string().min(1),
  priorityBp: Int.min(0).max(10000),
  province: z.string().min(1),
  tier: z.string().min(1).optional(),
  /** VND; default `defaultCost`. */
  cost: Int.positive().max(MAX_FACILITY_COST_VND).optional(),
  /** False for excluded facilities (failed gates, incomplete, EMR already live). */
  eligible: z.boolean().default(true),
  gateSubscoreBp: Int.min(0).max(10000).default(0),
  needBp: Int.min(0).max(10000).default(0),
})
export type WaveFacility = z.output<typeof WaveFacilitySchema>

export const QuotaSchema = z.strictObject({
  min: Int.min(0).default(0),
  max: Int.min(0).optional(),
})
export type Quota = z.output<typeof QuotaSchema>

export const WaveRequestSchema = z
  .strictObject({
    facilities: z.array(WaveFacilitySchema),
    /** Maximum number of facilities in the wave. */
    capacity: Int.min(0).optional(),
    /** Budget in VND. */
    budget: Int.min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    defaultCost: Int.positive().max(MAX_FACILITY_COST_VND).default(DEFAULT_FACILITY_COST_VND),
    provinceQuotas: z.record(z.string(), QuotaSchema).default({}),
    tierQuotas: z.record(z.string(), QuotaSchema).default({}),
    /** 'auto': greedy when it is provably optimal, else MILP; 'milp': always MILP (cross-checks). */
    method: z.enum(['auto', 'milp']).default('auto'),
  })
  .superRefine((request, ctx) => {
    const ids = new Set<string>()
    request.facilities.forEach((f, i) => {
      if (ids.has(f.facilityId)) {
        ctx.addIssue({
          code: 'custom',
          message: `facility "${f.facilityId}" is listed twice`,
          path: ['facilities', i, 'facilityId'],
        })
      }
      ids.add(f.facilityId)
    })
  })
export type WaveRequest = z.output<typeof WaveRequestSchema>
export type WaveRequestInput = z.input<typeof WaveRequestSchema>

export type BindingConstraint =
  | { constraint: 'capacity' | 'budget'; limit: number; value: number }
  | {
      constraint: 'provinceMin' | 'provinceMax' | 'tierMin' | 'tierMax'
      key: string
      limit: number
      value: number
    }

export interface WaveConflict {
  kind:
    | 'minAboveMax'
    | 'minAboveEligible'
    | 'minimumsAboveCapacity'
    | 'minimumsAboveBudget'
    | 'infeasibleCombination'
  /** The quotas at fault, as "province:<key>" or "tier:<key>". */
  quotas: string[]
  /** English, for logs and the API; `figures` lets a page explain it in its own language. */
  message: string
  /**
   * The numbers behind the message: a quota's `min`/`max` and its `eligible`
   * count; for the sums of a family's minimums, their `total` (facilities)
   * against `capacity`, or their cheapest `cost` against `budget` (VND).
   */
  figures: {
    min?: number
    max?: number
    eligible?: number
    total?: number
    capacity?: number
    cost?: number
    budget?: number
  }
}

export interface WaveSelection {
  feasible: true
  method: 'greedy' | 'milp'
  /** Selected facility ids in tie-break order. */
  selected: string[]
  /** Σ priorityBp of the selected facilities. */
  objective: number
  /** Σ cost, VND. */
  totalCost: number
  binding: BindingConstraint[]
  /** Lowest priority among the selected (null when nothing is selected). */
  cutoffPriorityBp: number | null
  /** Eligible facilities left out with exactly the cut-off priority: for human review. */
  tiesAtCutoff: string[]
  /** The objective with every quota removed. */
  objectiveWithoutQuotas: number
  /** objectiveWithoutQuotas − objective: priority given up for equity (≥ 0). */
  priceOfEquity: number
}

export interface WaveInfeasible {
  feasible: false
  conflicts: WaveConflict[]
}

export type WaveResult = WaveSelection | WaveInfeasible

interface Candidate {
  f: WaveFacility
  cost: number
  /** Position in tie-break order among eligible facilities. */
  order: number
}

interface Group {
  family: 'province' | 'tier'
  key: string
  quota: Quota
  members: Candidate[]
}

/**
 * Parse a wave request at a boundary (defaults applied); throws a readable error.
 * @example parseWaveRequest({ facilities: [] }).defaultCost // 10_000_000_000
 */
export function parseWaveRequest(input: unknown): WaveRequest {
  const result = WaveRequestSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid wave request:\n${z.prettifyError(result.error)}`)
  return result.data
}

function label(g: Group): string {
  return `${g.family}:${g.key}`
}

function sortedKeys(record: Record<string, Quota>): string[] {
  return Object.keys(record).sort(compareStrings)
}

function buildGroups(request: WaveRequest, candidates: Candidate[]): Group[] {
  const groups: Group[] = []
  for (const family of ['province', 'tier'] as const) {
    const record = family === 'province' ? request.provinceQuotas : request.tierQuotas
    for (const key of sortedKeys(record)) {
      const quota = record[key]
      if (!quota) continue
      const members = candidates.filter(
        (c) => (family === 'province' ? c.f.province : c.f.tier) === key,
      )
      groups.push({ family, key, quota, members })
    }
  }
  return groups
}

/** Conflicts that make the request infeasible, found without solving. */
function findConflicts(request: WaveRequest, groups: Group[]): WaveConflict[] {
  const conflicts: WaveConflict[] = []
  for (const g of groups) {
    if (g.quota.max !== undefined && g.quota.min > g.quota.max) {
      conflicts.push({
        kind: 'minAboveMax',
        quotas: [label(g)],
        message: `${label(g)}: minimum ${g.quota.min} is above maximum ${g.quota.max}`,
        figures: { min: g.quota.min, max: g.quota.max },
      })
    }
    if (g.quota.min > g.members.length) {
      conflicts.push({
        kind: 'minAboveEligible',
        quotas: [label(g)],
        message: `${label(g)}: minimum ${g.quota.min} but only ${g.members.length} eligible facilities`,
        figures: { min: g.quota.min, eligible: g.members.length },
      })
    }
  }
  for (const family of ['province', 'tier'] as const) {
    const withMin = groups.filter((g) => g.family === family && g.quota.min > 0)
    if (withMin.length === 0) continue
    const sumMin = withMin.reduce((a, g) => a + g.quota.min, 0)
    if (request.capacity !== undefined && sumMin > request.capacity) {
      conflicts.push({
        kind: 'minimumsAboveCapacity',
        quotas: withMin.map(label),
        message: `${family} minimums add up to ${sumMin}, above the capacity of ${request.capacity}`,
        figures: { total: sumMin, capacity: request.capacity },
      })
    }
    if (request.budget !== undefined) {
      // Cheapest set meeting the minimums: the L cheapest eligible of each group (groups of one family are disjoint).
      let cheapest = 0
      for (const g of withMin) {
        const costs = g.members.map((c) => c.cost).sort((a, b) => a - b)
        cheapest += costs.slice(0, g.quota.min).reduce((a, b) => a + b, 0)
      }
      if (cheapest > request.budget) {
        conflicts.push({
          kind: 'minimumsAboveBudget',
          quotas: withMin.map(label),
          message: `meeting the ${family} minimums costs at least ${cheapest} VND, above the budget of ${request.budget} VND`,
          figures: { cost: cheapest, budget: request.budget },
        })
      }
    }
  }
  return conflicts
}

/** Greedy for equal costs and province quotas only; `count` is the effective cap K. */
function greedy(candidates: Candidate[], groups: Group[], count: number): Set<Candidate> {
  const quota = new Map(groups.map((g) => [g.key, g.quota]))
  const taken = new Map<string, number>()
  const selected = new Set<Candidate>()
  const take = (c: Candidate) => {
    selected.add(c)
    taken.set(c.f.province, (taken.get(c.f.province) ?? 0) + 1)
  }
  // 1. The L_p best of each province (candidates are in tie-break order).
  for (const c of candidates) {
    const min = quota.get(c.f.province)?.min ?? 0
    if ((taken.get(c.f.province) ?? 0) < min) take(c)
  }
  // 2. The best remaining, under U_p and the count.
  for (const c of candidates) {
    if (selected.size >= count) break
    if (selected.has(c)) continue
    const max = quota.get(c.f.province)?.max
    if (max !== undefined && (taken.get(c.f.province) ?? 0) >= max) continue
    take(c)
  }
  return selected
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** A CPLEX LP-format model; terms wrapped so no line grows without bound. */
function lpModel(
  request: WaveRequest,
  candidates: Candidate[],
  groups: Group[],
): { text: string; name: (c: Candidate) => string } {
  const name = (c: Candidate) => `x${c.order}`
  const sum = (terms: string[]) => {
    const lines: string[] = []
    for (let i = 0; i < terms.length; i += 20) lines.push(terms.slice(i, i + 20).join(' + '))
    return lines.join('\n + ')
  }
  const rows: string[] = []
  const ones = candidates.map(name)
  if (request.capacity !== undefined) rows.push(` cap: ${sum(ones)} <= ${request.capacity}`)
  if (request.budget !== undefined) {
    // Scale by the gcd of the costs: small exact coefficients, same feasible set.
    const g = candidates.reduce((a, c) => gcd(a, c.cost), 0) || 1
    const terms = candidates.map((c) => `${c.cost / g} ${name(c)}`)
    rows.push(` budget: ${sum(terms)} <= ${Math.floor(request.budget / g)}`)
  }
  groups.forEach((g, k) => {
    if (g.members.length === 0) return
    const terms = g.members.map(name)
    if (g.quota.min > 0) rows.push(` qmin${k}: ${sum(terms)} >= ${g.quota.min}`)
    if (g.quota.max !== undefined) rows.push(` qmax${k}: ${sum(terms)} <= ${g.quota.max}`)
  })
  const objective = sum(candidates.map((c) => `${c.f.priorityBp} ${name(c)}`))
  const text = [
    'Maximize',
    ` obj: ${objective}`,
    'Subject To',
    // LP format wants at least one row; x0 ≤ 1 is implied by Binary anyway.
    ...(rows.length > 0 ? rows : [` none: ${ones[0] ?? 'x0'} <= 1`]),
    'Binary',
    ...candidates.map((c) => ` ${name(c)}`),
    'End',
  ].join('\n')
  return { text, name }
}

function solveMilp(
  request: WaveRequest,
  candidates: Candidate[],
  groups: Group[],
  solver: WaveSolver,
): Set<Candidate> | null {
  if (candidates.length === 0) return new Set()
  const { text, name } = lpModel(request, candidates, groups)
  // Integer objective: any gap below 1 proves optimality; the default 1e-4 relative gap would not.
  // No presolve: on a national knapsack (13,000 binaries, per-facility costs) HiGHS's MIP presolve
  // took about 90 % of the solve, and without it each wave was proven optimal ten times sooner
  // with the same objective (roadmap bench, 4 Dec 2026: two waves 88.8 s → 9.1 s).
  const solution = solver.solve(text, {
    mip_rel_gap: 0,
    mip_abs_gap: 0.5,
    presolve: 'off',
    output_flag: false,
  })
  if (solution.Status === 'Infeasible') return null
  if (solution.Status !== 'Optimal') {
    throw new Error(`the MILP solver stopped with status "${solution.Status}"`)
  }
  const selected = new Set<Candidate>()
  for (const c of candidates) {
    const column = solution.Columns[name(c)]
    if (column && 'Primal' in column && column.Primal > 0.5) selected.add(c)
  }
  return canonicalise(candidates, selected)
}

/**
 * Among facilities that are interchangeable (same priority, cost, province and
 * tier), keep the ones first in tie-break order: same objective, same
 * constraints, and the set no longer depends on the solver's path.
 */
function canonicalise(candidates: Candidate[], selected: Set<Candidate>): Set<Candidate> {
  const classes = new Map<string, Candidate[]>()
  for (const c of candidates) {
    const key = JSON.stringify([c.f.priorityBp, c.cost, c.f.province, c.f.tier ?? null])
    const list = classes.get(key) ?? []
    list.push(c)
    classes.set(key, list)
  }
  const out = new Set<Candidate>()
  for (const list of classes.values()) {
    const m = list.filter((c) => selected.has(c)).length
    for (const c of list.slice(0, m)) out.add(c)
  }
  return out
}

function isGreedyInstance(candidates: Candidate[], groups: Group[]): boolean {
  const first = candidates[0]
  const equalCosts = candidates.every((c) => c.cost === first?.cost)
  const tierActive = groups.some(
    (g) => g.family === 'tier' && (g.quota.min > 0 || g.quota.max !== undefined),
  )
  return equalCosts && !tierActive
}

function effectiveCount(request: WaveRequest, candidates: Candidate[]): number {
  let count = Math.min(candidates.length, request.capacity ?? Infinity)
  const cost = candidates[0]?.cost
  if (request.budget !== undefined && cost !== undefined) {
    count = Math.min(count, Math.floor(request.budget / cost))
  }
  return count
}

function select(
  request: WaveRequest,
  candidates: Candidate[],
  groups: Group[],
  solver: WaveSolver | undefined,
): { method: 'greedy' | 'milp'; selected: Set<Candidate> | null } {
  if (request.method === 'auto' && isGreedyInstance(candidates, groups)) {
    return {
      method: 'greedy',
      selected: greedy(candidates, groups, effectiveCount(request, candidates)),
    }
  }
  if (!solver) {
    throw new Error(
      'this wave needs the MILP solver (unequal costs or tier quotas): pass a loaded highs instance',
    )
  }
  return { method: 'milp', selected: solveMilp(request, candidates, groups, solver) }
}

/** Exact check of every constraint; a violation is a bug, never a result. */
function assertFeasible(request: WaveRequest, selected: Candidate[], groups: Group[]): void {
  const cost = selected.reduce((a, c) => a + c.cost, 0)
  const fail = (what: string) => {
    throw new Error(`wave selection violates ${what}`)
  }
  if (request.capacity !== undefined && selected.length > request.capacity) fail('capacity')
  if (request.budget !== undefined && cost > request.budget) fail('the budget')
  const set = new Set(selected)
  for (const g of groups) {
    const n = g.members.filter((c) => set.has(c)).length
    if (n < g.quota.min || (g.quota.max !== undefined && n > g.quota.max)) fail(label(g))
  }
}

/**
 * Select a wave (see the module comment for the model and the method).
 * Infeasible requests return `{ feasible: false, conflicts }` naming the quotas,
 * never a partial answer. The price of equity solves the same request without
 * quotas (skipped, and reported as 0, with `{ priceOfEquity: false }`). Ties are broken by `compareByTieBreak`; the same request (in any
 * facility order) gives the same set.
 *
 * @example
 * const highs = await (await import('highs')).default() // caller side: I/O
 * selectWave({ facilities, budget: 1_300_000_000_000, provinceQuotas: { hn: { min: 1 } } }, highs)
 * // { feasible: true, method: 'greedy', selected: [...130 ids], priceOfEquity: 412, ... }
 */
export function selectWave(
  input: WaveRequestInput,
  solver?: WaveSolver,
  options: { priceOfEquity?: boolean } = {},
): WaveResult {
  return selectParsedWave(parseWaveRequest(input), solver, options)
}

/**
 * `selectWave` for a request already parsed with `parseWaveRequest`, or built
 * to the `WaveRequest` type by code whose inputs were checked at their own
 * boundary (the app's request builder, a robustness draw that changes only
 * the priorities of a request checked once). Parsing 13,000 facilities costs
 * about 20 ms, which a plan or a draw should not pay again. Facility ids must
 * be unique and every number within the schema's ranges: nothing here checks.
 *
 * @example selectParsedWave(parseWaveRequest({ facilities, capacity: 130 }))
 */
export function selectParsedWave(
  request: WaveRequest,
  solver?: WaveSolver,
  options: { priceOfEquity?: boolean } = {},
): WaveResult {
  const candidates: Candidate[] = request.facilities
    .filter((f) => f.eligible)
    .sort(compareByTieBreak)
    .map((f, order) => ({ f, cost: f.cost ?? request.defaultCost, order }))
  const groups = buildGroups(request, candidates)
  const conflicts = findConflicts(request, groups)
  if (conflicts.length > 0) return { feasible: false, conflicts }

  const { method, selected } = select(request, candidates, groups, solver)
  if (selected === null) {
    const withMin = groups.filter((g) => g.quota.min > 0 || g.quota.max !== undefined)
    return {
      feasible: false,
      conflicts: [
        {
          kind: 'infeasibleCombination',
          quotas: withMin.map(label),
          message: 'no wave meets these quotas together with the capacity and budget',
          figures: {},
        },
      ],
    }
  }
  const chosen = candidates.filter((c) => selected.has(c))
  assertFeasible(request, chosen, groups)

  const objective = chosen.reduce((a, c) => a + c.f.priorityBp, 0)
  const totalCost = chosen.reduce((a, c) => a + c.cost, 0)
  let objectiveWithoutQuotas = objective
  // Robustness draws skip the second solve (priceOfEquity: false); it is then reported as 0.
  if (groups.length > 0 && options.priceOfEquity !== false) {
    const free = select(request, candidates, [], solver).selected
    objectiveWithoutQuotas = candidates
      .filter((c) => free?.has(c))
      .reduce((a, c) => a + c.f.priorityBp, 0)
  }

  const left = candidates.filter((c) => !selected.has(c))
  const binding: BindingConstraint[] = []
  if (request.capacity !== undefined && chosen.length === request.capacity && left.length > 0) {
    binding.push({ constraint: 'capacity', limit: request.capacity, value: chosen.length })
  }
  if (
    request.budget !== undefined &&
    left.some((c) => totalCost + c.cost > (request.budget ?? 0))
  ) {
    // The budget binds when it keeps out at least one facility that would otherwise fit.
    binding.push({ constraint: 'budget', limit: request.budget, value: totalCost })
  }
  for (const g of groups) {
    const value = g.members.filter((c) => selected.has(c)).length
    const min = g.family === 'province' ? 'provinceMin' : 'tierMin'
    const max = g.family === 'province' ? 'provinceMax' : 'tierMax'
    if (g.quota.min > 0 && value === g.quota.min) {
      binding.push({ constraint: min, key: g.key, limit: g.quota.min, value })
    }
    if (g.quota.max !== undefined && value === g.quota.max) {
      binding.push({ constraint: max, key: g.key, limit: g.quota.max, value })
    }
  }
  const last = chosen.reduce<number | null>(
    (m, c) => (m === null || c.f.priorityBp < m ? c.f.priorityBp : m),
    null,
  )
  return {
    feasible: true,
    method,
    selected: chosen.map((c) => c.f.facilityId),
    objective,
    totalCost,
    binding,
    cutoffPriorityBp: last,
    tiesAtCutoff: left.filter((c) => c.f.priorityBp === last).map((c) => c.f.facilityId),
    objectiveWithoutQuotas,
    priceOfEquity: objectiveWithoutQuotas - objective,
  }
}
