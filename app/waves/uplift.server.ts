/**
 * The cheapest uplift of every facility below the planner's minimum level:
 * one home for the roadmap (which schedules those facilities after their
 * uplift), the support-curve page (what support money buys per province) and
 * the planner's "spend a support budget first" option. The facilities are
 * ranked at the model's lowest level, so a facility below the minimum keeps
 * its priority and only what the ranking itself refuses (incomplete, a
 * required gate failing) is left out; for each ranked facility below the
 * minimum, its full stored score and `cheapestUplift` with the cost table.
 * Never writes.
 */
import type { Kysely } from 'kysely'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { Database } from '../../db/schema.ts'
import {
  cheapestUplift,
  costIndex,
  type RemedialCostTable,
  type UpliftPlan,
} from '../../scoring/uplift.ts'
import { listFullScores } from '../models/roadmap.server.ts'
import type { PlanInputs } from './planner.server.ts'
import { objectiveOf, type WaveParams } from './wave-params.server.ts'
import { buildWaveRequest, type WaveRequestBuild } from './wave-request.server.ts'

export interface BelowLevelUplifts {
  /** The planner's request ranked at the model's lowest level (below-level facilities included). */
  request: WaveRequestBuild
  /** The index of the minimum level in the model. */
  minIndex: number
  /** Each ranked facility below the minimum level and its cheapest uplift to it, by facility id. */
  uplifts: Map<string, UpliftPlan>
}

/**
 * The uplifts of the planner's inputs (`gatherPlanInputs`) to the
 * parameters' minimum level with `costTable`'s actions. Facilities the
 * ranking excludes have none (they cannot be planned whatever their level).
 */
export async function upliftsToMinLevel(
  db: Kysely<Database>,
  plan: PlanInputs,
  wave: WaveParams,
  costTable: RemedialCostTable,
): Promise<BelowLevelUplifts> {
  const { model, inputs } = plan
  const minIndex = model.levels.findIndex((l) => l.id === wave.minLevel)
  const lowest = model.levels[0]?.id ?? wave.minLevel
  const request = buildWaveRequest({
    model,
    priority: CURRENT_PRIORITY_MODEL,
    inputs,
    round: plan.deadlines,
    params: { ...wave, minLevel: lowest },
    objective: objectiveOf(wave),
  })
  const inputById = new Map(inputs.map((f) => [String(f.facilityId), f]))
  const below = request.request.facilities.filter(
    (f) => (inputById.get(f.facilityId)?.score.level.index ?? 0) < minIndex,
  )
  const fullScores = await listFullScores(db, {
    roundId: plan.round.id,
    scoringModelId: plan.modelId,
    basis: wave.basis,
    facilityIds: below.map((f) => Number(f.facilityId)),
  })
  const costs = costIndex(costTable.actions)
  const uplifts = new Map(
    below.map((f) => {
      const score = fullScores.get(Number(f.facilityId))
      if (!score) throw new Error(`the stored score of facility ${f.facilityId} disappeared`)
      return [f.facilityId, cheapestUplift(model, score, costs, wave.minLevel)] as const
    }),
  )
  return { request, minIndex, uplifts }
}
