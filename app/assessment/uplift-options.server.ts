/**
 * What support buys for one facility (issue #21): the cheapest set of
 * remedial actions lifting its current score to the next readiness level,
 * and to R3 ("ready with support", the level a rollout can build on), priced
 * with the newest cost table — `cheapestUplift`, exact by branch and bound on
 * the engine's own level rule (`scoring/uplift.ts`). The director's results
 * page shows it beside the improvements that gain the most points.
 */
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import { cheapestUplift, costIndex, type RemedialCostTable } from '../../scoring/uplift.ts'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'

/** The level an uplift is always shown to, besides the next one: ready with support. */
export const SUPPORTED_READY_LEVEL = 'R3'

export interface UpliftOption {
  levelId: string
  levelTitle: string
  status: 'reached' | 'unreachable'
  costVnd: number
  /** False when the search stopped before proving the cost minimal. */
  exact: boolean
  actions: Array<{
    itemId: string
    question: string
    action: string
    costVnd: number
    /** A reference, or "estimate". */
    source: string
  }>
}

/**
 * The uplifts to the next level and to R3: one entry when the next level is
 * R3 or the facility is past it, none at the top level.
 */
export function upliftOptions(
  model: ScoringModel,
  score: AssessmentScore,
  costTable: RemedialCostTable,
  question: (itemId: string) => string,
  locale: Locale,
): UpliftOption[] {
  const costs = costIndex(costTable.actions)
  const byItem = new Map(costTable.actions.map((a) => [a.itemId, a]))
  const now = score.level.index
  const r3 = model.levels.findIndex((l) => l.id === SUPPORTED_READY_LEVEL)
  const targets = [...new Set([now + 1, ...(r3 > now + 1 ? [r3] : [])])].filter(
    (k) => k < model.levels.length,
  )
  return targets.map((k) => {
    const level = model.levels[k]
    if (!level) throw new Error(`level ${k} is not in model ${model.id}`)
    const plan = cheapestUplift(model, score, costs, level.id)
    return {
      levelId: level.id,
      levelTitle: localized(level.title, locale),
      status: plan.status === 'reached' ? 'reached' : 'unreachable',
      costVnd: plan.costVnd,
      exact: plan.exact,
      actions: plan.actions.map((itemId) => {
        const row = byItem.get(itemId)
        return {
          itemId,
          question: question(itemId),
          action: row ? localized(row.action, locale) : itemId,
          costVnd: row?.costVnd ?? 0,
          source: row?.source ?? '',
        }
      }),
    }
  })
}
