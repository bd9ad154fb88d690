/**
 * The national roadmap: every remaining facility scheduled into successive
 * waves (periods p = 0..P−1), each under its own budget B_p and capacity K_p,
 * with the planner's quotas per wave and the minimum-level rule.
 *
 *   maximise Σ_i Σ_p v_ip·x_ip,   v_ip = (P − p)·(priorityBp_i + 1)
 *   s.t.     Σ_p x_ip ≤ 1                              (each facility once)
 *            Σ_i x_ip ≤ K_p,   Σ_i c_i·x_ip ≤ B_p      (per period)
 *            Σ_{i∈g} x_ip ≤ U_g                        (quota maxima, per wave)
 *            Σ_{i∈g} x_ip ≥ min(L_g, R_gp)             (quota minima, per wave)
 *            x_ip = 0 for p < e_i;  x_ip ∈ {0, 1}
 *
 * v_ip rewards an earlier period (weight P − p) and a higher priority; the +1
 * makes a facility of priority 0 still worth scheduling. R_gp is the number of
 * facilities of group g available at p and not yet scheduled: a province with
 * fewer left than its minimum must have all of them taken, so the minimum
 * never makes the last waves infeasible on its own. The min(L, R) row is
 * linear with one binary b_gp per group and period:
 *   Σ_{i∈g} x_ip ≥ L_g·b_gp,   Σ_{q≤p} Σ_{i∈g} x_iq + R⁰_gp·b_gp ≥ R⁰_gp,
 *   R⁰_gp − Σ_{q<p} Σ_{i∈g} x_iq ≥ L_g·b_gp,
 * with R⁰_gp the facilities of g whose earliest period is ≤ p.
 *
 * The minimum-level rule: a facility below the planner's minimum level is
 * scheduled only after its uplift (its cheapest remedial actions, see
 * uplift.ts): its earliest period is e_i = upliftLeadPeriods, and with
 * `upliftFromBudget` its uplift cost is added to c_i; one without an uplift
 * (unreachable with the costed actions) is never scheduled.
 *
 * Method: one multi-period MILP solved by HiGHS when the schedulable
 * facilities × periods fit `maxMilpCells` (a size limit measured by the
 * roadmap bench), else successive optimal waves — each period's wave selected
 * exactly by `selectParsedWave` among the facilities still waiting — with the
 * gap to the LP relaxation of the multi-period model (an upper bound on the
 * optimum) when a solver is given. Pure: the solver is passed in.
 */
import * as z from 'zod'
import { compareByTieBreak, compareStrings } from './rank.ts'
import {
  DEFAULT_FACILITY_COST_VND,
  MAX_FACILITY_COST_VND,
  QuotaSchema,
  selectParsedWave,
  WaveFacilitySchema,
  type Quota,
  type WaveConflict,
  type WaveFacility,
  type WaveRequest,
  type WaveSolver,
} from './wave.ts'

/**
 * Default size limit of the multi-period MILP, in facility × period cells.
 * Measured (roadmap bench, per-facility costs, 8 periods, proven optimal):
 * 10 facilities (80 cells) 1.5 s, 25 (200 cells) 7.6 s, 50 did not finish in
 * 4 minutes; so 'auto' keeps the MILP to 80 cells and uses successive waves beyond.
 */
export const DEFAULT_MAX_MILP_CELLS = 80

/**
 * Default size limit of the LP relaxation behind the sequential gap, in cells;
 * above it the gap is not computed (null) rather than slowing the page.
 */
export const DEFAULT_MAX_BOUND_CELLS = 20_000

const Int = z.number().int()
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are written YYYY-MM-DD')

export const RoadmapPeriodSchema = z.strictObject({
  id: z.string().min(1),
  /** Last day of the period, YYYY-MM-DD: a facility scheduled in it is live by then. */
  end: IsoDate,
  budget: Int.min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  capacity: Int.min(0).optional(),
})
export type RoadmapPeriod = z.output<typeof RoadmapPeriodSchema>

export const RoadmapFacilitySchema = WaveFacilitySchema.extend({
  /** False when the facility is below the planner's minimum level. */
  meetsMinLevel: z.boolean().default(true),
  /** The cheapest uplift to the minimum level, VND; null when no costed actions reach it. */
  upliftCostVnd: Int.min(0).max(MAX_FACILITY_COST_VND).nullable().default(null),
})
export type RoadmapFacility = z.output<typeof RoadmapFacilitySchema>

export const RoadmapRequestSchema = z
  .strictObject({
    facilities: z.array(RoadmapFacilitySchema),
    periods: z.array(RoadmapPeriodSchema).min(1).max(40),
    defaultCost: Int.positive().max(MAX_FACILITY_COST_VND).default(DEFAULT_FACILITY_COST_VND),
    provinceQuotas: z.record(z.string(), QuotaSchema).default({}),
    tierQuotas: z.record(z.string(), QuotaSchema).default({}),
    /** Periods between funding a facility's uplift and its rollout. */
    upliftLeadPeriods: Int.min(0).max(40).default(1),
    /** Pay the uplift from the period's rollout budget (else from a separate support budget). */
    upliftFromBudget: z.boolean().default(false),
    /** The date every facility must be live by, YYYY-MM-DD. */
    deadline: IsoDate,
    method: z.enum(['auto', 'milp', 'sequential']).default('auto'),
    maxMilpCells: Int.min(0).default(DEFAULT_MAX_MILP_CELLS),
    /** Size limit of the LP relaxation solved for the sequential method's gap (cells). */
    maxBoundCells: Int.min(0).default(DEFAULT_MAX_BOUND_CELLS),
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
    request.periods.forEach((p, i) => {
      const prev = request.periods[i - 1]
      if (prev && p.end <= prev.end) {
        ctx.addIssue({
          code: 'custom',
          message: `period "${p.id}" must end after "${prev.id}"`,
          path: ['periods', i, 'end'],
        })
      }
    })
  })
export type RoadmapRequest = z.output<typeof RoadmapRequestSchema>
export type RoadmapRequestInput = z.input<typeof RoadmapRequestSchema>

export interface Coverage {
  /** Facilities live by the end of the period (scheduled in it or before). */
  covered: number
  /** Facilities of the roadmap in the group. */
  of: number
}

export interface RoadmapPeriodResult {
  id: string
  end: string
  /** Facility ids in tie-break order. */
  selected: string[]
  /** Σ c_i, VND (uplift included with `upliftFromBudget`). */
  cost: number
  coverage: Coverage
  byProvince: Record<string, Coverage>
  byTier: Record<string, Coverage>
}

export type UnscheduledReason = 'notEligible' | 'noUplift' | 'noRoom'

export interface RoadmapSchedule {
  feasible: true
  method: 'milp' | 'sequential'
  objective: number
  /** The LP relaxation's optimum (≥ any schedule's objective); null without a solver or above `maxBoundCells`. */
  lpBound: number | null
  /** (lpBound − objective)/lpBound for the sequential method; 0 for the MILP; null without a bound. */
  gap: number | null
  periods: RoadmapPeriodResult[]
  /** Facilities no period takes, with the reason, in code order. */
  unscheduled: { facilityId: string; reason: UnscheduledReason }[]
  deadline: {
    date: string
    /** The first period by whose end every facility is live, if any ends by the deadline. */
    metBy: string | null
    /** Facilities not live by the deadline, in code order. */
    missing: string[]
  }
}

export interface RoadmapInfeasible {
  feasible: false
  /** The period whose wave cannot meet the quotas (sequential), or null (MILP: none meets them). */
  periodId: string | null
  conflicts: WaveConflict[]
}

export type RoadmapResult = RoadmapSchedule | RoadmapInfeasible

interface Candidate {
  f: RoadmapFacility
  cost: number
  earliest: number
  order: number
}

/**
 * Parse a roadmap request at a boundary (defaults applied); throws a readable error.
 * @example parseRoadmapRequest({ facilities: [], periods: [{ id: '2026', end: '2026-12-31' }], deadline: '2026-12-31' })
 */
export function parseRoadmapRequest(input: unknown): RoadmapRequest {
  const result = RoadmapRequestSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid roadmap request:\n${z.prettifyError(result.error)}`)
  return result.data
}

/**
 * The value of scheduling a facility of priority `priorityBp` in period `p` of `P`:
 * v = (P − p)·(priorityBp + 1).
 * @example periodValue(7000, 0, 8) // 56008
 */
export function periodValue(priorityBp: number, p: number, periods: number): number {
  return (periods - p) * (priorityBp + 1)
}

function candidatesOf(request: RoadmapRequest): {
  candidates: Candidate[]
  unscheduled: Map<string, UnscheduledReason>
} {
  const unscheduled = new Map<string, UnscheduledReason>()
  const list: Candidate[] = []
  const sorted = [...request.facilities].sort(compareByTieBreak)
  for (const f of sorted) {
    if (!f.eligible) {
      unscheduled.set(f.facilityId, 'notEligible')
      continue
    }
    if (!f.meetsMinLevel && f.upliftCostVnd === null) {
      unscheduled.set(f.facilityId, 'noUplift')
      continue
    }
    const rollout = f.cost ?? request.defaultCost
    const uplift = !f.meetsMinLevel && request.upliftFromBudget ? (f.upliftCostVnd ?? 0) : 0
    list.push({
      f,
      cost: rollout + uplift,
      earliest: f.meetsMinLevel ? 0 : request.upliftLeadPeriods,
      order: list.length,
    })
  }
  return { candidates: list, unscheduled }
}

interface Group {
  family: 'province' | 'tier'
  key: string
  quota: Quota
  members: Candidate[]
}

function groupsOf(request: RoadmapRequest, candidates: Candidate[]): Group[] {
  const groups: Group[] = []
  for (const family of ['province', 'tier'] as const) {
    const record = family === 'province' ? request.provinceQuotas : request.tierQuotas
    for (const key of Object.keys(record).sort(compareStrings)) {
      const quota = record[key]
      if (!quota || (quota.min === 0 && quota.max === undefined)) continue
      const members = candidates.filter(
        (c) => (family === 'province' ? c.f.province : c.f.tier) === key,
      )
      groups.push({ family, key, quota, members })
    }
  }
  return groups
}

/** Successive optimal waves: period p selects among the facilities still waiting and available. */
function sequential(
  request: RoadmapRequest,
  candidates: Candidate[],
  solver: WaveSolver | undefined,
): { assignment: Map<Candidate, number> } | RoadmapInfeasible {
  const assignment = new Map<Candidate, number>()
  const byId = new Map(candidates.map((c) => [c.f.facilityId, c]))
  for (const [p, period] of request.periods.entries()) {
    const waiting = candidates.filter((c) => !assignment.has(c) && c.earliest <= p)
    const facilities: WaveFacility[] = waiting.map((c) => ({
      facilityId: c.f.facilityId,
      code: c.f.code,
      // Shifted by one like v_ip: no order changes, and priority 0 still counts.
      priorityBp: c.f.priorityBp + 1,
      province: c.f.province,
      ...(c.f.tier === undefined ? {} : { tier: c.f.tier }),
      cost: c.cost,
      eligible: true,
      gateSubscoreBp: c.f.gateSubscoreBp,
      needBp: c.f.needBp,
    }))
    const clip = (record: Record<string, Quota>, family: 'province' | 'tier') =>
      Object.fromEntries(
        Object.entries(record).map(([key, q]) => {
          const left = waiting.filter(
            (c) => (family === 'province' ? c.f.province : c.f.tier) === key,
          ).length
          return [key, { ...q, min: Math.min(q.min, left) }]
        }),
      )
    const wave: WaveRequest = {
      facilities,
      ...(period.capacity === undefined ? {} : { capacity: period.capacity }),
      ...(period.budget === undefined ? {} : { budget: period.budget }),
      defaultCost: request.defaultCost,
      provinceQuotas: clip(request.provinceQuotas, 'province'),
      tierQuotas: clip(request.tierQuotas, 'tier'),
      method: 'auto',
    }
    const result = selectParsedWave(wave, solver, { priceOfEquity: false })
    if (!result.feasible)
      return { feasible: false, periodId: period.id, conflicts: result.conflicts }
    for (const id of result.selected) {
      const c = byId.get(id)
      if (c) assignment.set(c, p)
    }
  }
  return { assignment }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

/** The multi-period model in CPLEX LP format; `relax` gives its LP relaxation. */
function lpModel(
  request: RoadmapRequest,
  candidates: Candidate[],
  groups: Group[],
  relax: boolean,
): { text: string; name: (c: Candidate, p: number) => string } {
  const P = request.periods.length
  const name = (c: Candidate, p: number) => `x${c.order}_${p}`
  const sum = (terms: string[]) => {
    const lines: string[] = []
    for (let i = 0; i < terms.length; i += 20) lines.push(terms.slice(i, i + 20).join(' + '))
    return lines.join('\n + ')
  }
  const columns: string[] = []
  const objective: string[] = []
  const rows: string[] = []
  const periodsOf = (c: Candidate) => {
    const out: number[] = []
    for (let p = c.earliest; p < P; p++) out.push(p)
    return out
  }
  for (const c of candidates) {
    const ps = periodsOf(c)
    for (const p of ps) {
      columns.push(name(c, p))
      objective.push(`${periodValue(c.f.priorityBp, p, P)} ${name(c, p)}`)
    }
    if (ps.length > 1) rows.push(` once${c.order}: ${sum(ps.map((p) => name(c, p)))} <= 1`)
  }
  request.periods.forEach((period, p) => {
    const inP = candidates.filter((c) => c.earliest <= p)
    if (inP.length === 0) return
    if (period.capacity !== undefined) {
      rows.push(` cap${p}: ${sum(inP.map((c) => name(c, p)))} <= ${period.capacity}`)
    }
    if (period.budget !== undefined) {
      const g = inP.reduce((a, c) => gcd(a, c.cost), 0) || 1
      const terms = inP.map((c) => `${c.cost / g} ${name(c, p)}`)
      rows.push(` bud${p}: ${sum(terms)} <= ${Math.floor(period.budget / g)}`)
    }
  })
  const binaries: string[] = []
  groups.forEach((g, k) => {
    for (let p = 0; p < P; p++) {
      const inP = g.members.filter((c) => c.earliest <= p)
      if (inP.length === 0) continue
      const now = inP.map((c) => name(c, p))
      if (g.quota.max !== undefined) rows.push(` qmax${k}_${p}: ${sum(now)} <= ${g.quota.max}`)
      if (g.quota.min === 0) continue
      const r0 = inP.length
      const before = g.members.flatMap((c) =>
        periodsOf(c)
          .filter((q) => q < p)
          .map((q) => name(c, q)),
      )
      const b = `b${k}_${p}`
      binaries.push(b)
      rows.push(` qmin${k}_${p}: ${sum(now)} - ${g.quota.min} ${b} >= 0`)
      rows.push(` qall${k}_${p}: ${sum([...now, ...before])} + ${r0} ${b} >= ${r0}`)
      // R⁰ − Σ_{q<p} x ≥ L·b  ⇔  L·b + Σ_{q<p} x ≤ R⁰
      rows.push(` qleft${k}_${p}: ${sum([`${g.quota.min} ${b}`, ...before])} <= ${r0}`)
    }
  })
  const all = [...columns, ...binaries]
  const text = [
    'Maximize',
    ` obj: ${objective.length > 0 ? sum(objective) : '0 z'}`,
    'Subject To',
    ...(rows.length > 0 ? rows : [` none: ${all[0] ?? 'z'} <= 1`]),
    'Bounds',
    ...all.map((c) => ` 0 <= ${c} <= 1`),
    ...(relax ? [] : ['Binary', ...all.map((c) => ` ${c}`)]),
    'End',
  ].join('\n')
  return { text, name }
}

function solveMilp(
  request: RoadmapRequest,
  candidates: Candidate[],
  groups: Group[],
  solver: WaveSolver,
): Map<Candidate, number> | null {
  const { text, name } = lpModel(request, candidates, groups, false)
  // Integer objective: an absolute gap below 1 proves optimality.
  const solution = solver.solve(text, { mip_rel_gap: 0, mip_abs_gap: 0.5, output_flag: false })
  if (solution.Status === 'Infeasible') return null
  if (solution.Status !== 'Optimal') {
    throw new Error(`the roadmap MILP solver stopped with status "${solution.Status}"`)
  }
  const assignment = new Map<Candidate, number>()
  for (const c of candidates) {
    for (let p = c.earliest; p < request.periods.length; p++) {
      const column = solution.Columns[name(c, p)]
      if (column && 'Primal' in column && column.Primal > 0.5) assignment.set(c, p)
    }
  }
  return canonicalise(candidates, assignment)
}

function lpBound(
  request: RoadmapRequest,
  candidates: Candidate[],
  groups: Group[],
  solver: WaveSolver,
): number | null {
  if (candidates.length === 0) return 0
  const solution = solver.solve(lpModel(request, candidates, groups, true).text, {
    output_flag: false,
  })
  return solution.Status === 'Optimal' ? solution.ObjectiveValue : null
}

/**
 * Interchangeable facilities (same priority, cost, province, tier and earliest
 * period) take the class's periods in tie-break order, earliest period first:
 * same objective and constraints, and the schedule no longer depends on the solver's path.
 */
function canonicalise(
  candidates: Candidate[],
  assignment: Map<Candidate, number>,
): Map<Candidate, number> {
  const classes = new Map<string, Candidate[]>()
  for (const c of candidates) {
    const key = JSON.stringify([c.f.priorityBp, c.cost, c.f.province, c.f.tier ?? null, c.earliest])
    const list = classes.get(key) ?? []
    list.push(c)
    classes.set(key, list)
  }
  const out = new Map<Candidate, number>()
  for (const list of classes.values()) {
    const periods = list
      .map((c) => assignment.get(c))
      .filter((p): p is number => p !== undefined)
      .sort((a, b) => a - b)
    periods.forEach((p, k) => {
      const c = list[k]
      if (c) out.set(c, p)
    })
  }
  return out
}

/** Exact check of every constraint; a violation is a bug, never a result. */
function assertFeasible(
  request: RoadmapRequest,
  candidates: Candidate[],
  groups: Group[],
  assignment: Map<Candidate, number>,
): void {
  const fail = (what: string) => {
    throw new Error(`roadmap violates ${what}`)
  }
  request.periods.forEach((period, p) => {
    const inP = candidates.filter((c) => assignment.get(c) === p)
    if (inP.some((c) => c.earliest > p)) fail(`the minimum-level rule in ${period.id}`)
    if (period.capacity !== undefined && inP.length > period.capacity)
      fail(`capacity in ${period.id}`)
    const cost = inP.reduce((a, c) => a + c.cost, 0)
    if (period.budget !== undefined && cost > period.budget) fail(`the budget in ${period.id}`)
    for (const g of groups) {
      const n = g.members.filter((c) => assignment.get(c) === p).length
      const left = g.members.filter(
        (c) => c.earliest <= p && (assignment.get(c) ?? Infinity) >= p,
      ).length
      if (g.quota.max !== undefined && n > g.quota.max)
        fail(`${g.family}:${g.key} max in ${period.id}`)
      if (n < Math.min(g.quota.min, left)) fail(`${g.family}:${g.key} min in ${period.id}`)
    }
  })
}

function coverageOf(
  facilities: readonly RoadmapFacility[],
  liveBy: (id: string) => boolean,
  key: (f: RoadmapFacility) => string | undefined,
): Record<string, Coverage> {
  const out: Record<string, Coverage> = {}
  const keys = [...new Set(facilities.map(key).filter((k): k is string => k !== undefined))].sort(
    compareStrings,
  )
  for (const k of keys) out[k] = { covered: 0, of: 0 }
  for (const f of facilities) {
    const k = key(f)
    const c = k === undefined ? undefined : out[k]
    if (!c) continue
    c.of++
    if (liveBy(f.facilityId)) c.covered++
  }
  return out
}

function summarise(
  request: RoadmapRequest,
  candidates: Candidate[],
  assignment: Map<Candidate, number>,
  unscheduledBefore: Map<string, UnscheduledReason>,
): Omit<RoadmapSchedule, 'feasible' | 'method' | 'lpBound' | 'gap'> {
  const P = request.periods.length
  const periodOf = new Map<string, number>()
  for (const [c, p] of assignment) periodOf.set(c.f.facilityId, p)
  const objective = [...assignment].reduce((a, [c, p]) => a + periodValue(c.f.priorityBp, p, P), 0)
  const periods = request.periods.map((period, p) => {
    const liveBy = (id: string) => (periodOf.get(id) ?? Infinity) <= p
    const inP = candidates.filter((c) => assignment.get(c) === p)
    const covered = request.facilities.filter((f) => liveBy(f.facilityId)).length
    return {
      id: period.id,
      end: period.end,
      selected: inP.map((c) => c.f.facilityId),
      cost: inP.reduce((a, c) => a + c.cost, 0),
      coverage: { covered, of: request.facilities.length },
      byProvince: coverageOf(request.facilities, liveBy, (f) => f.province),
      byTier: coverageOf(request.facilities, liveBy, (f) => f.tier),
    }
  })
  const byCode = (a: RoadmapFacility, b: RoadmapFacility) =>
    compareStrings(a.code, b.code) || compareStrings(a.facilityId, b.facilityId)
  const sortedFacilities = [...request.facilities].sort(byCode)
  const unscheduled = sortedFacilities
    .filter((f) => !periodOf.has(f.facilityId))
    .map((f) => ({
      facilityId: f.facilityId,
      reason: unscheduledBefore.get(f.facilityId) ?? ('noRoom' as const),
    }))
  // The last period ending by the deadline; facilities scheduled later (or never) miss it.
  let lastByDeadline = -1
  request.periods.forEach((period, p) => {
    if (period.end <= request.deadline) lastByDeadline = p
  })
  const missing = sortedFacilities
    .filter((f) => (periodOf.get(f.facilityId) ?? Infinity) > lastByDeadline)
    .map((f) => f.facilityId)
  const metIndex = periods.findIndex((r) => r.coverage.covered === r.coverage.of)
  const metBy =
    metIndex >= 0 && metIndex <= lastByDeadline ? (request.periods[metIndex]?.id ?? null) : null
  return {
    objective,
    periods,
    unscheduled,
    deadline: { date: request.deadline, metBy, missing },
  }
}

/**
 * Schedule a roadmap (see the module comment for the model and the methods).
 * Infeasible quotas return `{ feasible: false }` naming the period and the
 * quotas. The same request, in any facility order, gives the same schedule.
 *
 * @example
 * scheduleRoadmap({ facilities, periods: [{ id: '2026', end: '2026-12-31', budget: 500e9 }], deadline: '2026-12-31' }, highs)
 * // { feasible: true, method: 'milp', periods: [{ id: '2026', selected: [...50 ids], … }], deadline: { missing: [...] } }
 */
export function scheduleRoadmap(input: RoadmapRequestInput, solver?: WaveSolver): RoadmapResult {
  return scheduleParsedRoadmap(parseRoadmapRequest(input), solver)
}

/** `scheduleRoadmap` for a request already parsed (or built from checked inputs), like `selectParsedWave`. */
export function scheduleParsedRoadmap(request: RoadmapRequest, solver?: WaveSolver): RoadmapResult {
  const { candidates, unscheduled } = candidatesOf(request)
  const groups = groupsOf(request, candidates)
  const cells = candidates.reduce((a, c) => a + Math.max(0, request.periods.length - c.earliest), 0)
  const useMilp =
    request.method === 'milp' ||
    (request.method === 'auto' && solver !== undefined && cells <= request.maxMilpCells)
  let assignment: Map<Candidate, number>
  let method: RoadmapSchedule['method']
  if (useMilp) {
    if (!solver)
      throw new Error('the multi-period MILP needs the solver: pass a loaded highs instance')
    const solved = solveMilp(request, candidates, groups, solver)
    if (solved === null) {
      return {
        feasible: false,
        periodId: null,
        conflicts: [
          {
            kind: 'infeasibleCombination',
            quotas: groups.map((g) => `${g.family}:${g.key}`),
            message: 'no schedule meets these quotas together with the capacities and budgets',
            figures: {},
          },
        ],
      }
    }
    assignment = solved
    method = 'milp'
  } else {
    const result = sequential(request, candidates, solver)
    if ('feasible' in result) return result
    assignment = result.assignment
    method = 'sequential'
  }
  assertFeasible(request, candidates, groups, assignment)
  const described = summarise(request, candidates, assignment, unscheduled)
  const bound =
    method === 'milp'
      ? described.objective
      : solver && cells <= request.maxBoundCells
        ? lpBound(request, candidates, groups, solver)
        : null
  const gap =
    method === 'milp'
      ? 0
      : bound === null
        ? null
        : bound > 0
          ? Math.max(0, (bound - described.objective) / bound)
          : 0
  return { feasible: true, method, lpBound: bound, gap, ...described }
}
