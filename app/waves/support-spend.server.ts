/**
 * The planner's "spend a support budget first" option: before the wave is
 * selected, the support budget buys the cheapest uplifts (`upliftsToMinLevel`,
 * the roadmap's and the support curve's own) of facilities below the minimum
 * level, cheapest first across the plan's scope with ties by facility id
 * (`supportCurves` over one curve), as many as fit in full. Those facilities
 * then count as at the minimum level for the ranking, so they may be selected;
 * their priority stays that of their current scores (the support is paid, not
 * yet done). Never writes.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { LocalizedText } from '../../scoring/model-schema.ts'
import { liftedBy, supportCurves, type RemedialCostTable } from '../../scoring/uplift.ts'
import type { PlanInputs } from './planner.server.ts'
import { upliftsToMinLevel } from './uplift.server.ts'
import type { WaveParams } from './wave-params.server.ts'

/** What the support budget bought, stored with the plan (absent in plans without the option). */
export interface PlanSupport {
  budgetVnd: number
  spentVnd: number
  costTable: { id: number; version: string }
  /** Facilities below the level that costed actions can lift (the budget's candidates). */
  candidates: number
  /** The facilities lifted, cheapest first, each with its uplift's cost and actions. */
  lifted: Array<{
    facilityId: number
    code: string
    name: string
    provinceName: string
    levelId: string
    costVnd: number
    actions: Array<{ itemId: string; name: LocalizedText }>
  }>
}

/**
 * Spend `budgetVnd` on the cheapest uplifts to `params.minLevel` in the
 * plan's scope: the largest N whose N cheapest uplifts together fit (taking
 * the cheapest first lifts the most facilities for any budget).
 */
export async function spendSupport(
  db: Kysely<Database>,
  plan: PlanInputs,
  params: WaveParams,
  costTable: { id: number; version: string; table: RemedialCostTable },
  budgetVnd: number,
): Promise<PlanSupport> {
  const { uplifts } = await upliftsToMinLevel(db, plan, params, costTable.table)
  const reached = [...uplifts].flatMap(([facilityId, u]) =>
    u.status === 'reached' ? [{ facilityId, province: 'scope', costVnd: u.costVnd }] : [],
  )
  const curve = supportCurves(reached).scope ?? []
  const n = liftedBy(curve, budgetVnd)
  const byId = new Map(plan.inputs.map((f) => [String(f.facilityId), f]))
  const actionName = new Map(costTable.table.actions.map((a) => [a.itemId, a.action]))
  const lifted = curve.slice(0, n).map((p) => {
    const f = byId.get(p.facilityId)
    const u = uplifts.get(p.facilityId)
    if (!f || !u) throw new Error(`facility ${p.facilityId} is not among the inputs`)
    return {
      facilityId: f.facilityId,
      code: f.code,
      name: f.name,
      provinceName: f.provinceName,
      levelId: f.score.level.id,
      costVnd: u.costVnd,
      actions: u.actions.map((itemId) => {
        const name = actionName.get(itemId)
        // The uplift was priced from this table: every action it took has a row.
        if (!name) throw new Error(`action "${itemId}" is not in cost table ${costTable.version}`)
        return { itemId, name }
      }),
    }
  })
  return {
    budgetVnd,
    spentVnd: n === 0 ? 0 : (curve[n - 1]?.costVnd ?? 0),
    costTable: { id: costTable.id, version: costTable.version },
    candidates: curve.length,
    lifted,
  }
}
