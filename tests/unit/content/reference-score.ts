/**
 * An independent, deliberately naive re-implementation of the scoring rules in
 * scoring/model-schema.ts, used as a test oracle for the content: to check the
 * golden composites of the samples and the spread of generated answers. It is
 * not the engine (scoring/score.ts is); it exists so the content tests do not
 * trust the code they are testing.
 *
 * - An item is not applicable when its `applicableIf` fails or its answer is
 *   the `na` token; it then drops out and the domain's other weights are
 *   renormalised.
 * - `dontknow` scores 0; an unanswered item scores 0 too (worst case).
 * - domain = Σ wᵢ·sᵢ / Σ wᵢ over applicable items; composite = 100 · Σ W_d · domain_d.
 * - level = highest level whose minComposite is met and whose gates and domain
 *   floors, and those of every lower level, all pass; with `levelBasis:
 *   'basisPoints'` (model 1.1) on the numbers rounded as pages show them
 *   (composite to 2 decimals, domains to 2 decimals of a percent).
 */
import type { Item, ScoringModel } from '../../../scoring/model-schema.ts'

export type Answers = Record<string, unknown>

export interface ReferenceResult {
  composite: number
  domains: Record<string, number>
  /** Domains below a level's floor, among the levels the composite reaches. */
  floorsFailed: Array<{ levelId: string; domainId: string }>
  items: Record<string, number | null>
  gates: Record<string, boolean>
  levelId: string
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x))

/** Score of one item in [0, 1], or null when not applicable. */
export function referenceItemScore(
  model: ScoringModel,
  item: Item,
  answers: Answers,
): number | null {
  const { notApplicable, dontKnow } = model.tokens
  if (
    item.applicableIf &&
    !item.applicableIf.in.some((v) => v === answers[item.applicableIf?.question ?? ''])
  ) {
    return null
  }
  const status = item.statusQuestion ? answers[item.statusQuestion] : undefined
  const value = answers[item.id]
  if (value === notApplicable || status === notApplicable) return null
  if (value === dontKnow || status === dontKnow) return 0
  const rule = item.rule
  switch (rule.type) {
    case 'choice':
      return typeof value === 'string' ? (rule.scores[value] ?? 0) : 0
    case 'yesNo':
      return value === 'yes' ? rule.yes : value === 'no' ? rule.no : 0
    case 'checklist': {
      if (!Array.isArray(value)) return 0
      const picked = rule.options.filter((o) => value.includes(o))
      return picked.length / rule.options.length
    }
    case 'percentage':
    case 'number': {
      if (typeof value !== 'number') return 0
      let x = value
      if (rule.type === 'number' && rule.per) {
        const denominator = answers[rule.per.question]
        if (typeof denominator !== 'number' || denominator === 0) return 0
        x = value / (denominator / rule.per.unit)
      }
      return clamp01((x - rule.floor) / (rule.target - rule.floor))
    }
  }
}

export function referenceScore(model: ScoringModel, answers: Answers): ReferenceResult {
  const items: Record<string, number | null> = {}
  for (const item of model.items) items[item.id] = referenceItemScore(model, item, answers)
  const domains: Record<string, number> = {}
  const applicable = new Set<string>()
  let composite = 0
  for (const d of model.domains) {
    let num = 0
    let den = 0
    for (const item of model.items.filter((i) => i.domainId === d.id)) {
      const s = items[item.id]
      if (s === null || s === undefined) continue
      num += item.weight * s
      den += item.weight
    }
    const score = den > 0 ? num / den : 0
    if (den > 0) applicable.add(d.id)
    domains[d.id] = score
    composite += 100 * d.weight * score
  }
  const gates: Record<string, boolean> = {}
  for (const g of model.gates) {
    const c = g.condition
    const s = c.kind === 'item' ? items[c.itemId] : domains[c.domainId]
    gates[g.id] = !g.enabled || (typeof s === 'number' && s >= c.minScore)
  }
  // Shown numbers: the composite with two decimals, a domain as a percent with two decimals.
  const shown = (x: number, scale: number) =>
    model.levelBasis === 'basisPoints' ? Math.round(x * scale) / scale : x
  let levelId = model.levels[0]?.id ?? 'R0'
  let blocked = false
  const floorsFailed: ReferenceResult['floorsFailed'] = []
  for (const level of model.levels) {
    if (shown(composite, 100) < level.minComposite) break
    const floors = level.domainFloors
    for (const d of model.domains) {
      const min = Math.max(floors?.all ?? 0, floors?.domains?.[d.id] ?? 0)
      if (applicable.has(d.id) && shown(domains[d.id] ?? 0, 10000) < min) {
        floorsFailed.push({ levelId: level.id, domainId: d.id })
        blocked = true
      }
    }
    if (!level.gateIds.every((id) => gates[id])) blocked = true
    if (!blocked) levelId = level.id
  }
  return { composite, domains, floorsFailed, items, gates, levelId }
}
