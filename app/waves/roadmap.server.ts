/**
 * The national roadmap from a round's scores: the planner's inputs
 * (`gatherPlanInputs`, `buildWaveRequest`: round, scores on the basis,
 * priorities, costs, quotas), the cheapest uplift of every facility below
 * the minimum level (`upliftsToMinLevel` with the newest cost table), then
 * `scheduleRoadmap` once per budget scenario, in the roadmap worker
 * (roadmap-solve.server.ts). The maths lives in `scoring/`;
 * here are the facilities it is asked about and the deadlines it is judged
 * against. Never writes.
 */
import type { Kysely } from 'kysely'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { Database } from '../../db/schema.ts'
import type { PriorityModel } from '../../scoring/priority.ts'
import type { ExclusionReason } from '../../scoring/rank.ts'
import {
  type Coverage,
  type RoadmapRequestInput,
  type RoadmapResult,
} from '../../scoring/roadmap.ts'
import type { WaveConflict } from '../../scoring/wave.ts'
import { getLatestCostTable } from '../models/roadmap.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { MIB } from '../utils/bytes.ts'
import { LruMap } from '../utils/lru-map.ts'
import { canonicalJson } from './canonical-json.ts'
import { gatherPlanInputs, type ParamIssue } from './planner.server.ts'
import { periodsOf, scenarioBudgets, type RoadmapParams } from './roadmap-params.server.ts'
import { solveRoadmap } from './roadmap-solve.server.ts'
import { upliftsToMinLevel } from './uplift.server.ts'
import { BILLION, type WaveParams } from './wave-params.server.ts'
import type { RoundDeadlines } from './wave-request.server.ts'

/** A facility of the roadmap, as the page and the files name it. */
export interface RoadmapFacilityRow {
  facilityId: number
  code: string
  name: string
  provinceCode: string
  provinceName: string
  tier: string
  facilityClass: 'hospital' | 'other' | null
  levelId: string
  meetsMinLevel: boolean
  /** The cheapest uplift to the minimum level (VND); null at the level or when none reaches it. */
  upliftCostVnd: number | null
  /** Item ids of that uplift's actions. */
  upliftActions: string[]
  /** The ranking's reasons when the facility cannot be scheduled at all (incomplete, a gate). */
  exclusions: string[]
}

/** Why a facility is not live by a deadline. */
export type MissReason =
  | { kind: 'late'; periodId: string; end: string }
  | { kind: 'noRoom' }
  | { kind: 'noUplift' }
  | { kind: 'notEligible'; exclusions: string[] }

export interface DeadlineCheck {
  date: string
  /** 'all': every facility (the engine's deadline); 'hospital': hospitals only, by their class's date. */
  scope: 'all' | 'hospital'
  /** Facilities the deadline applies to. */
  of: number
  /** The first period by whose end every one of them is live, if it ends by the date. */
  metBy: string | null
  missing: Array<{ facilityId: number; reason: MissReason }>
}

export interface ScenarioPeriod {
  id: string
  end: string
  costVnd: number
  facilityIds: number[]
  coverage: Coverage
  byTier: Record<string, Coverage>
  byProvince: Record<string, Coverage>
}

export type ScenarioResult =
  | {
      budgetBn: number
      feasible: true
      method: 'milp' | 'sequential'
      objective: number
      lpBound: number | null
      gap: number | null
      periods: ScenarioPeriod[]
      unscheduled: Record<'notEligible' | 'noUplift' | 'noRoom', number>
      deadlines: DeadlineCheck[]
    }
  | { budgetBn: number; feasible: false; periodId: string | null; conflicts: WaveConflict[] }

export interface Roadmap {
  round: { id: number; name: string; deadlines: RoundDeadlines }
  model: { rowId: number; id: string; version: string }
  costTable: { id: number; version: string }
  /** The need and feasibility formulas the priorities were computed with. */
  priorityModel: PriorityModel
  params: { wave: WaveParams; roadmap: RoadmapParams }
  scope: FacilityFilter
  inputHash: string
  periods: Array<{ id: string; end: string }>
  /** Every facility of the roadmap (scored, EMR not live), in code order. */
  facilities: RoadmapFacilityRow[]
  scenarios: ScenarioResult[]
}

export type RoadmapBuild =
  { roadmap: Roadmap } | { missing: 'round' | 'model' | 'costTable' } | { invalid: ParamIssue[] }

function exclusionText(r: ExclusionReason): string {
  return r.kind === 'gate' ? `gate:${r.gateId}` : r.kind
}

/** Why a facility is not live by a deadline: scheduled later, or never (the engine's reason). */
function missReason(
  id: string,
  periodOf: ReadonlyMap<string, { id: string; end: string }>,
  never: ReadonlyMap<string, string>,
  row: RoadmapFacilityRow | undefined,
): MissReason {
  const period = periodOf.get(id)
  if (period) return { kind: 'late', periodId: period.id, end: period.end }
  const reason = never.get(id)
  if (reason === 'notEligible') return { kind: 'notEligible', exclusions: row?.exclusions ?? [] }
  return { kind: reason === 'noUplift' ? 'noUplift' : 'noRoom' }
}

/**
 * The deadlines a schedule is judged against: the engine's own (every
 * facility by the round's deadline for other facilities, 31/12/2026 by
 * default), and the hospitals' (Circular 13/2025's 30/9/2025 by default),
 * which applies to hospitals only and which the engine, holding one date, is
 * not asked: a hospital misses it when its period ends after it or it is
 * never scheduled.
 */
function deadlineChecks(
  result: Extract<RoadmapResult, { feasible: true }>,
  facilities: readonly RoadmapFacilityRow[],
  hospitalDeadline: string,
): DeadlineCheck[] {
  const periodOf = new Map<string, { id: string; end: string }>()
  for (const p of result.periods) for (const id of p.selected) periodOf.set(id, p)
  const never = new Map<string, string>(result.unscheduled.map((u) => [u.facilityId, u.reason]))
  const rowById = new Map(facilities.map((f) => [String(f.facilityId), f]))
  const withReasons = (ids: readonly string[]) =>
    ids.map((id) => ({
      facilityId: Number(id),
      reason: missReason(id, periodOf, never, rowById.get(id)),
    }))
  const hospitals = facilities.filter((f) => f.facilityClass === 'hospital')
  const late = hospitals
    .map((f) => String(f.facilityId))
    .filter((id) => (periodOf.get(id)?.end ?? '9999-12-31') > hospitalDeadline)
  const lastEnd = hospitals.reduce((acc, f) => {
    const end = periodOf.get(String(f.facilityId))?.end
    return end !== undefined && end > acc ? end : acc
  }, '')
  return [
    {
      date: result.deadline.date,
      scope: 'all',
      of: facilities.length,
      metBy: result.deadline.metBy,
      missing: withReasons(result.deadline.missing),
    },
    {
      date: hospitalDeadline,
      scope: 'hospital',
      of: hospitals.length,
      metBy: late.length === 0 ? (result.periods.find((p) => p.end >= lastEnd)?.id ?? null) : null,
      missing: withReasons(late),
    },
  ]
}

/** One budget scenario's schedule as the page and the files show it. */
function scenarioResult(
  budgetBn: number,
  result: RoadmapResult,
  facilities: readonly RoadmapFacilityRow[],
  hospitalDeadline: string,
): ScenarioResult {
  if (!result.feasible) {
    return { budgetBn, feasible: false, periodId: result.periodId, conflicts: result.conflicts }
  }
  const count = (reason: 'notEligible' | 'noUplift' | 'noRoom') =>
    result.unscheduled.filter((u) => u.reason === reason).length
  return {
    budgetBn,
    feasible: true,
    method: result.method,
    objective: result.objective,
    lpBound: result.lpBound,
    gap: result.gap,
    periods: result.periods.map((p) => ({
      id: p.id,
      end: p.end,
      costVnd: p.cost,
      facilityIds: p.selected.map(Number),
      coverage: p.coverage,
      byTier: p.byTier,
      byProvince: p.byProvince,
    })),
    unscheduled: {
      notEligible: count('notEligible'),
      noUplift: count('noUplift'),
      noRoom: count('noRoom'),
    },
    deadlines: deadlineChecks(result, facilities, hospitalDeadline),
  }
}

// Reviewers compare a few scenario sets on the same data; a save re-asks the view just shown.
const roadmapCache = new LruMap<string, Roadmap>({ entries: 4, bytes: 32 * MIB })

/**
 * Builds the roadmap of the parameters on today's data, one schedule per
 * budget scenario. `missing` names what does not exist (no round, a model
 * that did not score it, no cost table); `invalid` lists parameters the data
 * refuses. Never writes.
 */
export async function buildRoadmap(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: { wave: WaveParams; roadmap: RoadmapParams },
  today: string,
): Promise<RoadmapBuild> {
  const gathered = await gatherPlanInputs(db, filter, params.wave, today)
  if (!('inputs' in gathered)) return gathered
  const costTable = await getLatestCostTable(db)
  if (!costTable) return { missing: 'costTable' }
  const { round, modelId, model, deadlines, inputs, inputHash } = gathered
  const cacheKey = canonicalJson({
    costTable: costTable.id,
    deadlines,
    filter,
    inputHash,
    modelId,
    params,
    priority: CURRENT_PRIORITY_MODEL.version,
    round: round.id,
  })
  const cached = roadmapCache.get(cacheKey)
  if (cached) return { roadmap: cached }

  const wave = params.wave
  const {
    request,
    minIndex,
    uplifts: uplift,
  } = await upliftsToMinLevel(db, gathered, wave, costTable.table)
  const inputById = new Map(inputs.map((f) => [String(f.facilityId), f]))
  const exclusionsById = new Map(
    request.ranking.excluded.map((e) => [e.facilityId, e.reasons.map(exclusionText)]),
  )
  const facilities: RoadmapFacilityRow[] = request.entries
    .map((e) => {
      const f = inputById.get(e.facilityId)
      if (!f) throw new Error(`facility ${e.facilityId} is not among the inputs`)
      const plan = uplift.get(e.facilityId)
      return {
        facilityId: f.facilityId,
        code: f.code,
        name: f.name,
        provinceCode: f.provinceCode,
        provinceName: f.provinceName,
        tier: f.tier,
        facilityClass: f.facilityClass,
        levelId: f.score.level.id,
        meetsMinLevel: f.score.level.index >= minIndex,
        upliftCostVnd: plan?.status === 'reached' ? plan.costVnd : null,
        upliftActions: plan?.status === 'reached' ? plan.actions : [],
        exclusions: exclusionsById.get(e.facilityId) ?? [],
      }
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.facilityId - b.facilityId))
  const rowById = new Map(facilities.map((f) => [String(f.facilityId), f]))
  // Facilities the ranking excluded cannot be scheduled; the engine lists them as notEligible.
  // Their priority fields are never read for an ineligible facility, so they carry zeros.
  const engineFacilities: RoadmapRequestInput['facilities'] = [
    ...request.request.facilities.map((f) => {
      const row = rowById.get(f.facilityId)
      return {
        ...f,
        meetsMinLevel: row?.meetsMinLevel ?? true,
        upliftCostVnd: row?.upliftCostVnd ?? null,
      }
    }),
    ...request.ranking.excluded.map((e) => {
      const row = rowById.get(e.facilityId)
      return {
        facilityId: e.facilityId,
        code: e.code,
        priorityBp: 0,
        province: row?.provinceCode ?? '',
        tier: row?.tier,
        eligible: false,
      }
    }),
  ]
  const periods = periodsOf(params.roadmap)
  const scenarios: ScenarioResult[] = []
  // One after another: the worker computes one schedule at a time anyway.
  for (const budgetBn of scenarioBudgets(params.roadmap, wave.budgetBn)) {
    scenarios.push(
      scenarioResult(
        budgetBn,
        await solveRoadmap({
          facilities: engineFacilities,
          periods: periods.map((p) => ({
            ...p,
            budget: budgetBn * BILLION,
            capacity: wave.capacity,
          })),
          defaultCost: wave.costBn * BILLION,
          provinceQuotas: request.request.provinceQuotas,
          tierQuotas: request.request.tierQuotas,
          upliftLeadPeriods: params.roadmap.upliftLead,
          upliftFromBudget: params.roadmap.upliftFromBudget === 'on',
          deadline: deadlines.other,
        }),
        facilities,
        deadlines.hospital,
      ),
    )
  }
  const roadmap: Roadmap = {
    round: { ...round, deadlines },
    model: { rowId: modelId, id: model.id, version: model.version },
    costTable: { id: costTable.id, version: costTable.version },
    priorityModel: CURRENT_PRIORITY_MODEL,
    // Resolved: a saved scenario set re-runs on the same round and model.
    params: { wave: { ...wave, round: round.id, model: modelId }, roadmap: params.roadmap },
    scope: filter,
    inputHash,
    periods,
    facilities,
    scenarios,
  }
  roadmapCache.set(cacheKey, roadmap)
  return { roadmap }
}
