/**
 * What support money buys, per province: from the planner's inputs in the
 * reader's scope and the newest cost table, every facility below the minimum
 * level with its cheapest uplift (`upliftsToMinLevel`, the roadmap's own),
 * then `supportCurves`: "X VND of support lifts N facilities to the level",
 * cheapest first, ties by facility id. Facilities no costed actions lift, and
 * those the ranking refuses (incomplete, a required gate failing), are
 * counted and listed beside each curve, never dropped. Never writes.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { LocalizedText } from '../../scoring/model-schema.ts'
import type { ExclusionReason } from '../../scoring/rank.ts'
import { liftedBy, supportCurves } from '../../scoring/uplift.ts'
import { getLatestCostTable } from '../models/roadmap.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { MIB } from '../utils/bytes.ts'
import { LruMap } from '../utils/lru-map.ts'
import { canonicalJson } from './canonical-json.ts'
import { gatherPlanInputs, type ParamIssue } from './planner.server.ts'
import { upliftsToMinLevel } from './uplift.server.ts'
import type { WaveParams } from './wave-params.server.ts'

export interface SupportFacility {
  facilityId: number
  code: string
  name: string
  levelId: string
}

/** One point of a province's curve: the facility it adds and what lifting it takes. */
export interface SupportStep {
  /** Cumulative support (VND) that lifts `lifted` facilities: this one and every cheaper one. */
  cumulativeVnd: number
  lifted: number
  facility: SupportFacility
  /** This facility's uplift (VND) and its actions (item ids, model order). */
  costVnd: number
  actions: string[]
  /** False when the search stopped before proving the cost minimal (see `cheapestUplift`). */
  exact: boolean
}

export interface ProvinceSupport {
  code: string
  name: string
  /** Facilities of the province in the plan (scored, EMR not live). */
  facilities: number
  /** Of those, at the minimum level already. */
  atLevel: number
  curve: SupportStep[]
  /** Below the level, and even every costed action does not reach it. */
  unreachable: SupportFacility[]
  /** Below the level, and the ranking refuses them whatever their level (incomplete, a gate). */
  notEligible: Array<SupportFacility & { exclusions: string[] }>
}

export interface SupportCurves {
  round: { id: number; name: string }
  model: { rowId: number; id: string; version: string }
  /** The cost table used, with each action's name by item id (the steps name their actions). */
  costTable: { id: number; version: string; actionNames: Record<string, LocalizedText> }
  params: WaveParams
  scope: FacilityFilter
  inputHash: string
  /** Every province in scope with a facility in the plan, in code order. */
  provinces: ProvinceSupport[]
}

export type SupportBuild =
  | { support: SupportCurves }
  | { missing: 'round' | 'model' | 'costTable' }
  | { invalid: ParamIssue[] }

function exclusionText(r: ExclusionReason): string {
  return r.kind === 'gate' ? `gate:${r.gateId}` : r.kind
}

// Reviewers move between provinces of the same view: the national build is kept.
const supportCache = new LruMap<string, SupportCurves>({ entries: 4, bytes: 32 * MIB })

/**
 * The support curves of the parameters in `filter`'s scope, on today's data.
 * `missing` names what does not exist; `invalid` lists parameters the data
 * refuses. Never writes.
 */
export async function buildSupportCurves(
  db: Kysely<Database>,
  filter: FacilityFilter,
  wave: WaveParams,
  today: string,
): Promise<SupportBuild> {
  const gathered = await gatherPlanInputs(db, filter, wave, today)
  if (!('inputs' in gathered)) return gathered
  const costTable = await getLatestCostTable(db)
  if (!costTable) return { missing: 'costTable' }
  const { round, modelId, model, inputs, inputHash, deadlines } = gathered
  const cacheKey = canonicalJson({
    costTable: costTable.id,
    deadlines,
    filter,
    inputHash,
    modelId,
    wave,
    round: round.id,
  })
  const cached = supportCache.get(cacheKey)
  if (cached) return { support: cached }

  const { request, minIndex, uplifts } = await upliftsToMinLevel(
    db,
    gathered,
    wave,
    costTable.table,
  )
  const planned = inputs.filter((f) => f.emrStatus !== 'live')
  const byId = new Map(planned.map((f) => [String(f.facilityId), f]))
  const ref = (id: string): SupportFacility => {
    const f = byId.get(id)
    if (!f) throw new Error(`facility ${id} is not among the inputs`)
    return { facilityId: f.facilityId, code: f.code, name: f.name, levelId: f.score.level.id }
  }
  const reached = [...uplifts].flatMap(([id, plan]) =>
    plan.status === 'reached'
      ? [{ facilityId: id, province: byId.get(id)?.provinceCode ?? '', costVnd: plan.costVnd }]
      : [],
  )
  const curves = supportCurves(reached)
  const provinces = new Map<string, string>()
  for (const f of planned) provinces.set(f.provinceCode, f.provinceName)
  const codeOrder = (a: SupportFacility, b: SupportFacility) =>
    a.code < b.code ? -1 : a.code > b.code ? 1 : a.facilityId - b.facilityId
  const result: ProvinceSupport[] = [...provinces]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, name]) => {
      const mine = planned.filter((f) => f.provinceCode === code)
      return {
        code,
        name,
        facilities: mine.length,
        atLevel: mine.filter((f) => f.score.level.index >= minIndex).length,
        curve: (curves[code] ?? []).map((p) => {
          const plan = uplifts.get(p.facilityId)
          return {
            cumulativeVnd: p.costVnd,
            lifted: p.lifted,
            facility: ref(p.facilityId),
            costVnd: plan?.costVnd ?? 0,
            actions: plan?.actions ?? [],
            exact: plan?.exact ?? false,
          }
        }),
        unreachable: [...uplifts]
          .filter(
            ([id, plan]) => plan.status === 'unreachable' && byId.get(id)?.provinceCode === code,
          )
          .map(([id]) => ref(id))
          .sort(codeOrder),
        notEligible: request.ranking.excluded
          .filter((e) => {
            const f = byId.get(e.facilityId)
            return f?.provinceCode === code && f.score.level.index < minIndex
          })
          .map((e) => ({ ...ref(e.facilityId), exclusions: e.reasons.map(exclusionText) }))
          .sort(codeOrder),
      }
    })
  const support: SupportCurves = {
    round,
    model: { rowId: modelId, id: model.id, version: model.version },
    costTable: {
      id: costTable.id,
      version: costTable.version,
      actionNames: Object.fromEntries(costTable.table.actions.map((a) => [a.itemId, a.action])),
    },
    params: { ...wave, round: round.id, model: modelId },
    scope: filter,
    inputHash,
    provinces: result,
  }
  supportCache.set(cacheKey, support)
  return { support }
}

/**
 * What a support budget buys on one province's curve: how many it lifts and
 * the support that takes (the cumulative cost at that point, 0 when none).
 */
export function spendOnCurve(
  curve: readonly SupportStep[],
  budgetVnd: number,
): { lifted: number; spentVnd: number } {
  const lifted = liftedBy(
    curve.map((p) => ({ costVnd: p.cumulativeVnd, lifted: p.lifted, facilityId: '' })),
    budgetVnd,
  )
  return { lifted, spentVnd: lifted === 0 ? 0 : (curve[lifted - 1]?.cumulativeVnd ?? 0) }
}
