/**
 * What support buys: for one facility, the cheapest set of remedial actions
 * that lifts it to a target readiness level.
 *
 * An action a_i is tied to one improvable item i (an applicable item below its
 * best score) and raises that item to its best score, at cost c_i (VND, from
 * the versioned cost table). For a target level k:
 *
 *   minimise Σ_i c_i·x_i
 *   s.t.     level(s + Σ_i x_i·(best_i − s_i)·e_i) ≥ k,   x_i ∈ {0, 1}
 *
 * where level is the engine's own rule (`levelIndexFromCodes`: composite,
 * gates and domain floors of every level up to k). Raising an item never
 * lowers the composite, a domain score or a gate, so "reaches k" is monotone
 * in the set of actions: a superset of a feasible set is feasible. The search
 * is a depth-first branch and bound over the actions (include first, in order
 * of cost per composite point), pruned when cost so far + LB, rounded up to
 * a multiple of the costs' gcd, is ≥ the best cost found. LB is the exact LP
 * relaxation of the composite and domain-floor deficits (`lowerBound`): a
 * lower bound on any integer completion, and Infinity when the undecided
 * actions cannot cover the deficits (then nothing below the node reaches k).
 * Items whose failing gate must pass are forced in at the root. The first
 * incumbent is a greedy (best points per VND until the level is reached, then
 * drop what is not needed, most expensive first). When the search visits
 * `nodeLimit` nodes, an exact DP over cost multiples finishes it (see
 * `dynamicProgramme`); only when that cannot run (grid too large) or its set
 * fails the engine's check is the best set found returned with `exact: false`.
 * Pure: no I/O, deterministic (ties broken by model order).
 */
import * as z from 'zod'
import { LocalizedTextSchema, type ScoringModel } from './model-schema.ts'
import { compareStrings } from './rank.ts'
import {
  gatesEnabled,
  itemBestScores,
  itemCodes,
  levelIndexFromCodes,
  SCORE_TOLERANCE,
  type AssessmentScore,
} from './score.ts'

/** Ceiling of one action's cost (VND): sums over every item stay exact integers. */
export const MAX_ACTION_COST_VND = 100_000_000_000
/** Default cap on branch-and-bound nodes per facility and target. */
export const DEFAULT_UPLIFT_NODE_LIMIT = 1_000

export const RemedialActionSchema = z.strictObject({
  itemId: z.string().min(1),
  costVnd: z.number().int().positive().max(MAX_ACTION_COST_VND),
})
export type RemedialAction = z.infer<typeof RemedialActionSchema>

/**
 * A versioned cost table of remedial actions (stored in remedial_cost_tables):
 * one action per item money can improve, its cost in VND, how the figure was
 * built (`basis`) and its `source`: a reference, or "estimate". Items with no
 * row cannot be bought (an autonomy group, an outcome such as downtime hours).
 */
export const RemedialCostTableSchema = z
  .strictObject({
    version: z.string().min(1).max(40),
    currency: z.literal('VND'),
    note: LocalizedTextSchema,
    actions: z.array(
      RemedialActionSchema.extend({
        action: LocalizedTextSchema,
        basis: LocalizedTextSchema,
        source: z.string().min(1).max(300),
      }),
    ),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>()
    table.actions.forEach((a, i) => {
      if (seen.has(a.itemId)) {
        ctx.addIssue({
          code: 'custom',
          message: `item "${a.itemId}" has two remedial actions`,
          path: ['actions', i, 'itemId'],
        })
      }
      seen.add(a.itemId)
    })
  })
export type RemedialCostTable = z.infer<typeof RemedialCostTableSchema>

/**
 * Parse a cost table at a boundary; throws a readable error.
 * @example parseRemedialCostTable(json).actions.length // 59
 */
export function parseRemedialCostTable(input: unknown): RemedialCostTable {
  const result = RemedialCostTableSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid cost table:\n${z.prettifyError(result.error)}`)
  return result.data
}

export interface UpliftPlan {
  /** The target level id. */
  targetLevelId: string
  /**
   * reached: the actions lift the facility to the target; already: it is there;
   * unreachable: even every costed action does not (an item without a cost
   * row, or a rule whose best answer is below a gate's minimum).
   */
  status: 'reached' | 'already' | 'unreachable'
  /** Item ids of the actions, in model order. */
  actions: string[]
  /** Σ c_i over the actions, VND (0 when already there or unreachable). */
  costVnd: number
  /** The level index after the actions (the engine's rule). */
  levelIndexAfter: number
  /** True when the search finished: the cost is the minimum. */
  exact: boolean
  /**
   * 'branchAndBound'; 'dynamicProgramme' when the node limit stopped the search
   * and the cost DP finished it; 'greedy' when neither did (then `exact` is false).
   */
  method: 'branchAndBound' | 'dynamicProgramme' | 'greedy' | 'none'
  nodes: number
}

interface Candidate {
  index: number
  itemId: string
  cost: number
  /** Composite points gained, 100·effectiveWeight·(best − score) (for the bound and the order only). */
  points: number
  /** The item's domain (model order) and the domain score it adds, w_i·(best − s_i)/Σ_{A_d} w. */
  domain: number
  domainPoints: number
}

interface Problem {
  model: ScoringModel
  base: Float64Array
  best: Float64Array
  enabled: boolean[]
  target: number
  candidates: Candidate[]
  /** Composite points still missing at the base: minComposite_k − composite, at least 0. */
  deficit: number
  /** Per domain, the domain score still missing for the floors and domain gates up to k. */
  domainDeficit: Float64Array
  /** The candidates by cost per point, ascending, for the fractional bound. */
  byRatio: Candidate[]
  /** Per domain, its candidates by cost per domain point, ascending. */
  byDomainRatio: Candidate[][]
  /** Scratch codes, reused by every check (single-threaded: no re-entrancy). */
  scratch: Float64Array
}

/**
 * Index a cost table by item id; an item listed twice is refused.
 * @example costIndex([{ itemId: 'backup_restore', costVnd: 300_000_000 }]).get('backup_restore') // 300000000
 */
export function costIndex(actions: readonly RemedialAction[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const a of actions) {
    if (out.has(a.itemId)) throw new Error(`item "${a.itemId}" has two remedial actions`)
    out.set(a.itemId, a.costVnd)
  }
  return out
}

function levelAfter(p: Problem, chosen: Iterable<Candidate>): number {
  p.scratch.set(p.base)
  for (const c of chosen) p.scratch[c.index] = p.best[c.index] ?? 0
  return levelIndexFromCodes(p.model, p.scratch, p.enabled)
}

function reaches(p: Problem, chosen: Iterable<Candidate>): boolean {
  return levelAfter(p, chosen) >= p.target
}

/**
 * The LP bound at a node: min Σ c_i·x_i over 0 ≤ x_i ≤ 1 (undecided actions)
 * subject to the composite points and every domain's floor or gate still
 * missing. Within a domain an item's composite points are 100·W'_d times its
 * domain points, so the cost of a domain gain G_d is the convex
 * fractional-knapsack curve f_d(G) of the domain's items by cost per point;
 * the LP is min Σ_d f_d(G_d) with G_d ≥ δ_d and Σ_d 100·W'_d·G_d ≥ Δ, solved
 * exactly by paying each f_d(δ_d) first and then filling what Δ still misses
 * with the cheapest remaining segments, whichever their domain. Slacks keep
 * it a lower bound on the basis-points basis (0.005 of a point, 0.00005 of a
 * domain score round up to the threshold) and against float noise.
 * Returns Infinity when the undecided actions cannot cover the deficits.
 */
function lowerBound(
  p: Problem,
  points: number,
  domainGained: Float64Array,
  undecided: (c: Candidate) => boolean,
  used: Float64Array,
): number {
  used.fill(0)
  let cost = 0
  let gainedPoints = 0
  for (let d = 0; d < p.domainDeficit.length; d++) {
    let missing = (p.domainDeficit[d] ?? 0) - (domainGained[d] ?? 0) - 1e-4
    if (missing <= 0) continue
    for (const c of p.byDomainRatio[d] ?? []) {
      if (missing <= 0) break
      if (!undecided(c) || c.domainPoints <= 0) continue
      const share = Math.min(1, missing / c.domainPoints)
      used[c.index] = share
      cost += c.cost * share
      gainedPoints += c.points * share
      missing -= c.domainPoints * share
    }
    if (missing > 0) return Infinity
  }
  let need = p.deficit - points - gainedPoints - 0.01
  for (const c of p.byRatio) {
    if (need <= 0) break
    if (!undecided(c) || c.points <= 0) continue
    const left = 1 - (used[c.index] ?? 0)
    if (left <= 0) continue
    const share = Math.min(left, need / c.points)
    cost += c.cost * share
    need -= c.points * share
  }
  return need > 0 ? Infinity : cost
}

/** Most points per VND until the level is reached, then drop what is not needed, dearest first. */
function greedy(p: Problem, forced: Candidate[]): Candidate[] | null {
  const chosen = new Set(forced)
  // Floors and domain gates first, within each domain by domain points per VND.
  p.byDomainRatio.forEach((list, d) => {
    let missing =
      (p.domainDeficit[d] ?? 0) -
      [...chosen].filter((c) => c.domain === d).reduce((a, c) => a + c.domainPoints, 0)
    for (const c of list) {
      if (missing <= 0) break
      if (chosen.has(c)) continue
      chosen.add(c)
      missing -= c.domainPoints
    }
  })
  for (const c of p.byRatio) {
    if (reaches(p, chosen)) break
    chosen.add(c)
  }
  const rest = p.candidates
    .filter((c) => !chosen.has(c))
    .sort((a, b) => a.cost - b.cost || a.index - b.index)
  for (const c of rest) {
    if (reaches(p, chosen)) break
    chosen.add(c)
  }
  if (!reaches(p, chosen)) return null
  const byCost = [...chosen].sort((a, b) => b.cost - a.cost || b.index - a.index)
  for (const c of byCost) {
    chosen.delete(c)
    if (!reaches(p, chosen)) chosen.add(c)
  }
  return [...chosen]
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b]
  return a
}

const total = (list: readonly Candidate[]) => list.reduce((a, c) => a + c.cost, 0)

/** Per domain, the highest floor or domain-gate minimum of the levels up to `target`. */
function domainRequirements(
  model: ScoringModel,
  target: number,
  enabled: readonly boolean[],
): Float64Array {
  const need = new Float64Array(model.domains.length)
  for (let j = 0; j <= target; j++) {
    const level = model.levels[j]
    if (level === undefined) continue
    model.domains.forEach((domain, d) => {
      const floors = level.domainFloors
      const floor = floors ? Math.max(floors.all ?? 0, floors.domains?.[domain.id] ?? 0) : 0
      need[d] = Math.max(need[d] ?? 0, floor)
    })
    for (const gateId of level.gateIds) {
      const g = model.gates.findIndex((gate) => gate.id === gateId)
      const gate = model.gates[g]
      if (gate === undefined || enabled[g] === false || gate.condition.kind !== 'domain') continue
      const c = gate.condition
      const d = model.domains.findIndex((domain) => domain.id === c.domainId)
      if (d >= 0) need[d] = Math.max(need[d] ?? 0, c.minScore)
    }
  }
  return need
}

/** Cost grids larger than this (upper bound ÷ the costs' gcd) are not tried by the DP. */
export const MAX_UPLIFT_DP_CELLS = 4_000

/**
 * Exact dynamic programme over cost, used when the branch and bound stops at
 * its node limit. Costs are multiples of g, so a set's cost is u·g with u an
 * integer ≤ C = UB/g (UB: the best set found). Domains hold disjoint items:
 *   F_d[u] = max domain points of a subset of domain d's actions costing ≤ u·g
 *            (0/1 knapsack; forced actions always in),
 *   H_k[u] = max over u' ≤ u of H_{k−1}[u − u'] + 100·W'_d·F_d[u'], counting only
 *            u' with F_d[u'] ≥ δ_d (the domain's floor or gate),
 * and the answer is the least u with H_D[u] ≥ Δ. Time O(C·n + D·C²). The set
 * is rebuilt from the tables and checked with the engine's level rule; the
 * same slacks as the bound make the DP a relaxation, so a set failing the
 * check (a float boundary) returns null and the caller keeps its best set.
 */
function dynamicProgramme(
  p: Problem,
  forced: ReadonlySet<Candidate>,
  unit: number,
  upper: number,
): Candidate[] | null {
  const C = Math.floor(upper / unit)
  if (C > MAX_UPLIFT_DP_CELLS) return null
  const D = p.domainDeficit.length
  const NEG = -Infinity
  // Per domain: F[u] and the take table for rebuilding the subset.
  const tables = Array.from({ length: D }, (_, d) => {
    const items = p.candidates.filter((c) => c.domain === d)
    const fixed = items.filter((c) => forced.has(c))
    const free = items.filter((c) => !forced.has(c))
    const base = fixed.reduce((a, c) => a + c.cost / unit, 0)
    const baseGain = fixed.reduce((a, c) => a + c.domainPoints, 0)
    const F = new Float64Array(C + 1).fill(NEG)
    for (let u = base; u <= C; u++) F[u] = baseGain
    const take: Uint8Array[] = []
    for (const c of free) {
      const w = c.cost / unit
      const row = new Uint8Array(C + 1)
      for (let u = C; u >= base + w; u--) {
        const withIt = (F[u - w] ?? NEG) + c.domainPoints
        if (withIt > (F[u] ?? NEG)) {
          F[u] = withIt
          row[u] = 1
        }
      }
      take.push(row)
    }
    return { F, take, free, fixed }
  })
  // Combine domains: H[u] = best composite points with every domain's requirement met.
  const weights = Float64Array.from({ length: D }, (_, d) => {
    const c = p.candidates.find((x) => x.domain === d && x.domainPoints > 0)
    return c ? c.points / c.domainPoints : 0
  })
  let H = new Float64Array(C + 1).fill(0)
  const splits: Int32Array[] = []
  for (let d = 0; d < D; d++) {
    const { F } = tables[d] ?? { F: new Float64Array(C + 1) }
    const need = (p.domainDeficit[d] ?? 0) - 1e-4
    const next = new Float64Array(C + 1).fill(NEG)
    const split = new Int32Array(C + 1).fill(-1)
    // Only the budgets where F_d steps up matter (a larger budget at the same F_d is never better).
    const steps: number[] = []
    for (let v = 0; v <= C; v++) {
      const f = F[v] ?? NEG
      if (f === NEG || (need > 0 && f < need)) continue
      if (steps.length === 0 || f > (F[steps[steps.length - 1] ?? 0] ?? NEG)) steps.push(v)
    }
    for (let u = 0; u <= C; u++) {
      for (const v of steps) {
        if (v > u) break
        const f = F[v] ?? NEG
        const value = (H[u - v] ?? NEG) + (weights[d] ?? 0) * f
        if (value > (next[u] ?? NEG)) {
          next[u] = value
          split[u] = v
        }
      }
    }
    H = next
    splits.push(split)
  }
  let found = -1
  for (let u = 0; u <= C; u++) {
    if ((H[u] ?? NEG) >= p.deficit - 0.01) {
      found = u
      break
    }
  }
  if (found < 0) return null
  // Rebuild: the domains' budgets from the splits, then each domain's subset from its take table.
  const chosen: Candidate[] = []
  let u = found
  for (let d = D - 1; d >= 0; d--) {
    const v = splits[d]?.[u] ?? -1
    if (v < 0) return null
    const t = tables[d]
    if (!t) return null
    chosen.push(...t.fixed)
    let w = v
    for (let k = t.free.length - 1; k >= 0; k--) {
      const c = t.free[k]
      if (c && t.take[k]?.[w] === 1) {
        chosen.push(c)
        w -= c.cost / unit
      }
    }
    u -= v
  }
  return reaches(p, chosen) ? chosen : null
}

/**
 * The cheapest set of remedial actions lifting a scored facility to `targetLevelId`
 * (see the module comment for the formulation and the search).
 *
 * @example
 * cheapestUplift(model, score, costIndex(actions), 'R3')
 * // { status: 'reached', actions: ['backup_restore', 'esign_available'], costVnd: 1_300_000_000, exact: true, … }
 */
export function cheapestUplift(
  model: ScoringModel,
  score: AssessmentScore,
  costs: ReadonlyMap<string, number>,
  targetLevelId: string,
  options: { nodeLimit?: number } = {},
): UpliftPlan {
  const target = model.levels.findIndex((l) => l.id === targetLevelId)
  if (target < 0) {
    throw new Error(`level "${targetLevelId}" is not in model ${model.id} ${model.version}`)
  }
  if (score.modelId !== model.id || score.modelVersion !== model.version) {
    throw new Error(
      `the score is of ${score.modelId} ${score.modelVersion}, not ${model.id} ${model.version}`,
    )
  }
  const nodeLimit = options.nodeLimit ?? DEFAULT_UPLIFT_NODE_LIMIT
  const base = itemCodes(model, score)
  const best = itemBestScores(model)
  const enabled = gatesEnabled(model, score)
  const levelNow = levelIndexFromCodes(model, base, enabled)
  const plan = (
    status: UpliftPlan['status'],
    chosen: Candidate[],
    after: number,
    exact: boolean,
    method: UpliftPlan['method'],
    nodes: number,
  ): UpliftPlan => ({
    targetLevelId,
    status,
    actions: [...chosen].sort((a, b) => a.index - b.index).map((c) => c.itemId),
    costVnd: status === 'reached' ? total(chosen) : 0,
    levelIndexAfter: after,
    exact,
    method,
    nodes,
  })
  if (levelNow >= target) return plan('already', [], levelNow, true, 'none', 0)

  const indexOf = new Map(model.items.map((item, i) => [item.id, i]))
  const domainIndex = new Map(model.domains.map((d, i) => [d.id, i]))
  const candidates: Candidate[] = []
  for (const scored of score.items) {
    const index = indexOf.get(scored.id)
    const cost = costs.get(scored.id)
    const b = index === undefined ? undefined : best[index]
    const domain = domainIndex.get(scored.domainId)
    const weight = score.domains[domain ?? -1]?.weight ?? 0
    if (index === undefined || cost === undefined || b === undefined || domain === undefined)
      continue
    if (scored.score === null) continue
    const code = base[index] ?? 0
    const current = code >= 0 ? code : 0
    // An answered item already at its best gains nothing.
    if (code >= 0 && current + SCORE_TOLERANCE >= b) continue
    candidates.push({
      index,
      itemId: scored.id,
      cost,
      points: 100 * scored.effectiveWeight * (b - current),
      domain,
      // effectiveWeight = W'_d·w_i/Σw, so the domain share is effectiveWeight / W'_d.
      domainPoints: weight > 0 ? (scored.effectiveWeight / weight) * (b - current) : 0,
    })
  }
  candidates.sort((a, b) => a.index - b.index)
  const ratio = (unit: (c: Candidate) => number) => (a: Candidate, b: Candidate) =>
    a.cost * unit(b) - b.cost * unit(a) || a.index - b.index
  const byRatio = [...candidates].sort(ratio((c) => c.points))
  const required = domainRequirements(model, target, enabled)
  const domainDeficit = Float64Array.from(model.domains, (_, d) => {
    const domain = score.domains[d]
    return domain?.applicable ? Math.max(0, (required[d] ?? 0) - domain.score) : 0
  })
  const p: Problem = {
    model,
    base,
    best,
    enabled,
    target,
    candidates,
    deficit: Math.max(0, (model.levels[target]?.minComposite ?? 0) - score.composite),
    domainDeficit,
    byRatio,
    byDomainRatio: model.domains.map((_, d) =>
      candidates.filter((c) => c.domain === d).sort(ratio((c) => c.domainPoints)),
    ),
    scratch: new Float64Array(base.length),
  }
  if (!reaches(p, candidates)) {
    return plan('unreachable', [], levelAfter(p, candidates), true, 'none', 0)
  }

  // Forced: an item gate of a level up to the target that fails now can only pass through its own action.
  const forced = new Set<Candidate>()
  for (let j = 0; j <= target; j++) {
    for (const gateId of model.levels[j]?.gateIds ?? []) {
      const g = model.gates.findIndex((gate) => gate.id === gateId)
      const gate = model.gates[g]
      if (gate === undefined || enabled[g] === false || gate.condition.kind !== 'item') continue
      const index = indexOf.get(gate.condition.itemId)
      const code = index === undefined ? -1 : (base[index] ?? -1)
      if (code >= 0 && code + SCORE_TOLERANCE >= gate.condition.minScore) continue
      const c = candidates.find((x) => x.index === index)
      if (c) forced.add(c)
    }
  }

  const first = greedy(p, [...forced])
  if (first === null) return plan('unreachable', [], levelAfter(p, candidates), true, 'none', 0)
  let incumbent = first
  let bestCost = total(first)
  let improved = false
  let nodes = 0
  let stopped = false

  // Branch order: forced first (always in), then by cost per composite point.
  const order = [...forced, ...byRatio.filter((c) => !forced.has(c))]
  const decided = new Uint8Array(model.items.length) // by item index: 1 once decided
  const undecided = (c: Candidate) => decided[c.index] === 0
  const chosen: Candidate[] = []
  const domainGained = new Float64Array(model.domains.length)
  const used = new Float64Array(model.items.length)
  const unit = candidates.reduce((g, c) => gcd(g, c.cost), 0) || 1

  const visit = (depth: number, cost: number, points: number): void => {
    if (stopped) return
    nodes++
    if (nodes > nodeLimit) {
      stopped = true
      return
    }
    if (cost >= bestCost) return
    const bound = lowerBound(p, points, domainGained, undecided, used)
    // A positive bound means a deficit beyond the slack: the level is not reached yet.
    if (bound === 0 && reaches(p, chosen)) {
      // Costs are positive: adding more only costs more.
      incumbent = [...chosen]
      bestCost = cost
      improved = true
      return
    }
    // Every set costs a multiple of g (the gcd of the costs): the bound rounds up to one.
    if (depth === order.length || Math.ceil((cost + bound) / unit - 1e-9) * unit >= bestCost) return
    const c = order[depth]
    if (c === undefined) return
    decided[c.index] = 1
    chosen.push(c)
    domainGained[c.domain] = (domainGained[c.domain] ?? 0) + c.domainPoints
    visit(depth + 1, cost + c.cost, points + c.points)
    chosen.pop()
    domainGained[c.domain] = (domainGained[c.domain] ?? 0) - c.domainPoints
    if (!forced.has(c)) visit(depth + 1, cost, points)
    decided[c.index] = 0
  }
  visit(0, 0, 0)
  let exact = !stopped
  let method: UpliftPlan['method'] = improved || exact ? 'branchAndBound' : 'greedy'
  if (stopped) {
    const solved = dynamicProgramme(p, forced, unit, bestCost)
    if (solved !== null && total(solved) <= bestCost) {
      incumbent = solved
      exact = true
      method = 'dynamicProgramme'
    }
  }
  return plan(
    'reached',
    incumbent,
    levelAfter(p, incumbent),
    exact,
    method,
    Math.min(nodes, nodeLimit),
  )
}

export interface SupportPoint {
  /** Cumulative support, VND: the cheapest `lifted` uplifts of the province together. */
  costVnd: number
  lifted: number
  /** The facility whose uplift this point adds. */
  facilityId: string
}

/**
 * Per province, the support curve "X VND of support lifts N facilities to the
 * level": uplift costs sorted ascending (ties by facility id), cumulated.
 * Taking the cheapest first maximises the number lifted for any budget X
 * (every facility counts 1: exchanging a dearer uplift for a cheaper one never
 * lowers the count), so point N is the least support that lifts N facilities.
 * Facilities already at the level or without an uplift are not on the curve.
 *
 * @example
 * supportCurves([{ facilityId: 'a', province: 'hn', costVnd: 3e8 }, { facilityId: 'b', province: 'hn', costVnd: 1e8 }])
 * // { hn: [{ costVnd: 1e8, lifted: 1, facilityId: 'b' }, { costVnd: 4e8, lifted: 2, facilityId: 'a' }] }
 */
export function supportCurves(
  uplifts: readonly { facilityId: string; province: string; costVnd: number }[],
): Record<string, SupportPoint[]> {
  const byProvince = new Map<string, { facilityId: string; costVnd: number }[]>()
  for (const u of uplifts) {
    const list = byProvince.get(u.province) ?? []
    list.push(u)
    byProvince.set(u.province, list)
  }
  const out: Record<string, SupportPoint[]> = {}
  for (const province of [...byProvince.keys()].sort(compareStrings)) {
    const list = (byProvince.get(province) ?? []).sort(
      (a, b) => a.costVnd - b.costVnd || compareStrings(a.facilityId, b.facilityId),
    )
    let total = 0
    out[province] = list.map((u, k) => {
      total += u.costVnd
      return { costVnd: total, lifted: k + 1, facilityId: u.facilityId }
    })
  }
  return out
}

/**
 * How many facilities a support budget lifts on a curve: the largest N whose
 * cumulative cost is ≤ the budget (0 when even the cheapest costs more).
 * @example liftedBy(curves.hn, 2e8) // 1
 */
export function liftedBy(curve: readonly SupportPoint[], budgetVnd: number): number {
  let n = 0
  for (const point of curve) {
    if (point.costVnd > budgetVnd) break
    n = point.lifted
  }
  return n
}
