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
 * of cost per composite point), pruned when
 *   (1) the set with every undecided action added still misses k (monotone), or
 *   (2) cost so far + LB ≥ the best cost found, with LB the fractional-knapsack
 *       bound on the composite points still missing (an LP relaxation: a
 *       lower bound on any integer completion).
 * Items whose failing gate must pass are forced in at the root. The first
 * incumbent is a greedy (best points per VND until the level is reached, then
 * drop what is not needed, most expensive first). The search is exact unless
 * it visits `nodeLimit` nodes; then it returns the best set found with
 * `exact: false` and the greedy's method named.
 * Pure: no I/O, deterministic (ties broken by model order).
 */
import * as z from 'zod'
import type { ScoringModel } from './model-schema.ts'
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
export const DEFAULT_UPLIFT_NODE_LIMIT = 20_000

export const RemedialActionSchema = z.strictObject({
  itemId: z.string().min(1),
  costVnd: z.number().int().positive().max(MAX_ACTION_COST_VND),
})
export type RemedialAction = z.infer<typeof RemedialActionSchema>

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
  /** 'branchAndBound', or 'greedy' when the node limit stopped the search before it improved on the greedy. */
  method: 'branchAndBound' | 'greedy' | 'none'
  nodes: number
}

interface Candidate {
  index: number
  itemId: string
  cost: number
  /** Composite points gained, 100·effectiveWeight·(best − score) (for the bound and the order only). */
  points: number
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
  /** The candidates by cost per point, ascending, for the fractional bound. */
  byRatio: Candidate[]
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

function reaches(p: Problem, chosen: Iterable<Candidate>): boolean {
  const codes = Float64Array.from(p.base)
  for (const c of chosen) codes[c.index] = p.best[c.index] ?? 0
  return levelIndexFromCodes(p.model, codes, p.enabled) >= p.target
}

function levelAfter(p: Problem, chosen: Iterable<Candidate>): number {
  const codes = Float64Array.from(p.base)
  for (const c of chosen) codes[c.index] = p.best[c.index] ?? 0
  return levelIndexFromCodes(p.model, codes, p.enabled)
}

/** LB on the cost of the points still missing: fractional knapsack over the undecided candidates. */
function fractionalBound(
  p: Problem,
  missing: number,
  undecided: (c: Candidate) => boolean,
): number {
  // On the basis-points basis a composite 0.005 below the threshold rounds up to it; float
  // noise in the points adds less: a slack of 0.01 points keeps the bound a lower bound.
  let need = missing - 0.01
  if (need <= 0) return 0
  let bound = 0
  for (const c of p.byRatio) {
    if (!undecided(c) || c.points <= 0) continue
    if (c.points >= need) return bound + (c.cost * need) / c.points
    bound += c.cost
    need -= c.points
  }
  return Infinity
}

function greedy(p: Problem, forced: Candidate[]): Candidate[] | null {
  const chosen = new Set(forced)
  for (const c of p.byRatio) {
    if (reaches(p, chosen)) break
    chosen.add(c)
  }
  // Points alone may not reach a floor or a domain gate: add the cheapest remaining until it does.
  const rest = p.candidates
    .filter((c) => !chosen.has(c))
    .sort((a, b) => a.cost - b.cost || a.index - b.index)
  for (const c of rest) {
    if (reaches(p, chosen)) break
    chosen.add(c)
  }
  if (!reaches(p, chosen)) return null
  // Drop what is not needed, most expensive first.
  const byCost = [...chosen].sort((a, b) => b.cost - a.cost || b.index - a.index)
  for (const c of byCost) {
    chosen.delete(c)
    if (!reaches(p, chosen)) chosen.add(c)
  }
  return [...chosen]
}

const total = (list: readonly Candidate[]) => list.reduce((a, c) => a + c.cost, 0)

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
  if (target < 0)
    throw new Error(`level "${targetLevelId}" is not in model ${model.id} ${model.version}`)
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
  const candidates: Candidate[] = []
  for (const scored of score.items) {
    const index = indexOf.get(scored.id)
    const cost = costs.get(scored.id)
    const b = index === undefined ? undefined : best[index]
    if (index === undefined || cost === undefined || b === undefined || scored.score === null)
      continue
    const code = base[index] ?? 0
    const current = code >= 0 ? code : 0
    // An answered item already at its best gains nothing; a missing one at best 0 neither.
    if (code >= 0 && current + SCORE_TOLERANCE >= b) continue
    candidates.push({
      index,
      itemId: scored.id,
      cost,
      points: 100 * scored.effectiveWeight * (b - current),
    })
  }
  candidates.sort((a, b) => a.index - b.index)
  const level = model.levels[target]
  const threshold = level?.minComposite ?? 0
  const byRatio = [...candidates].sort(
    (a, b) => a.cost * b.points - b.cost * a.points || a.index - b.index,
  )
  const p: Problem = {
    model,
    base,
    best,
    enabled,
    target,
    candidates,
    deficit: Math.max(0, threshold - score.composite),
    byRatio,
  }
  if (!reaches(p, candidates))
    return plan('unreachable', [], levelAfter(p, candidates), true, 'none', 0)

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

  // Branch order: forced first (always in), then by cost per point.
  const order = [...forced, ...byRatio.filter((c) => !forced.has(c))]
  const state = new Uint8Array(order.length) // 0 undecided, 1 in, 2 out
  const pos = new Map(order.map((c, i) => [c, i]))
  const chosen: Candidate[] = []
  const undecided = (c: Candidate) => state[pos.get(c) ?? 0] === 0

  const visit = (depth: number, cost: number, points: number): void => {
    if (stopped) return
    nodes++
    if (nodes > nodeLimit) {
      stopped = true
      return
    }
    if (cost >= bestCost) return
    if (reaches(p, chosen)) {
      // Costs are positive: adding more only costs more.
      incumbent = [...chosen]
      bestCost = cost
      improved = true
      return
    }
    if (depth === order.length) return
    const open = order.filter((_, i) => i >= depth)
    if (!reaches(p, [...chosen, ...open])) return
    if (cost + fractionalBound(p, p.deficit - points, undecided) >= bestCost) return
    const c = order[depth]
    if (c === undefined) return
    state[depth] = 1
    chosen.push(c)
    visit(depth + 1, cost + c.cost, points + c.points)
    chosen.pop()
    if (!forced.has(c)) {
      state[depth] = 2
      visit(depth + 1, cost, points)
    }
    state[depth] = 0
  }
  // Forced actions are decided in at the root: the search starts after them.
  visit(0, 0, 0)
  const exact = !stopped
  return plan(
    'reached',
    incumbent,
    levelAfter(p, incumbent),
    exact,
    improved || exact ? 'branchAndBound' : 'greedy',
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
