/**
 * Saved ranking runs: a run stores every parameter, the scoring model, the
 * input hash, the robustness seed and the whole plan as shown, so opening it
 * later shows (and exports) exactly the same list, whatever happened to the
 * data since. "Re-run on today's data" rebuilds the plan with the stored
 * parameters and lists what changed.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { getRankingRun, insertRankingRun } from '../models/ranking-run.server.ts'
import { facilityFilterFor, type FacilityFilter, type SessionUser } from '../utils/auth.server.ts'
import type { Locale } from '../i18n.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { planView } from './plan-view.server.ts'
import { buildWave, type WavePlan } from './planner.server.ts'
import { WaveParamsSchema } from './wave-params.server.ts'
import type { WaveRow } from './wave-rows.server.ts'

const STORED_VERSION = 1

// The stored plan is this module's own output; the check guards against a
// row written by another version of the code, not against hostile input.
const StoredRunSchema = z.object({
  version: z.literal(STORED_VERSION),
  plan: z.object({
    round: z.object({ id: z.number(), name: z.string() }),
    rows: z.array(z.object({ facilityId: z.number(), province: z.string() })),
    inputHash: z.string(),
  }),
})

/** A plan as stored by any earlier version: fields added since may be missing. */
type StoredPlan = Omit<WavePlan, 'priorityModel' | 'rows' | 'params'> & {
  priorityModel?: WavePlan['priorityModel']
  params: Omit<WavePlan['params'], 'minLevel'> & { minLevel?: string }
  rows: Array<
    Omit<WaveRow, 'gateSubscoreBp' | 'needBp' | 'priorityInputs' | 'dataQuality'> &
      Partial<Pick<WaveRow, 'gateSubscoreBp' | 'needBp' | 'priorityInputs' | 'dataQuality'>>
  >
}

/**
 * A run saved before priorities were versioned shows what it stored and says
 * what it lacks: no priority model, no inputs, no flags; it ranked every level
 * (there was no minimum), which is R0, the lowest, and what a re-run repeats.
 */
function upgradeStoredPlan(plan: StoredPlan): WavePlan {
  return {
    ...plan,
    priorityModel: plan.priorityModel ?? null,
    support: plan.support ?? null,
    params: { ...plan.params, minLevel: plan.params.minLevel ?? 'R0' },
    rows: plan.rows.map((r) => ({
      ...r,
      gateSubscoreBp: r.gateSubscoreBp ?? null,
      needBp: r.needBp ?? null,
      priorityInputs: r.priorityInputs ?? null,
      dataQuality: r.dataQuality ?? [],
    })),
  }
}

export function serializeRun(plan: WavePlan): string {
  return JSON.stringify({ version: STORED_VERSION, plan })
}

export async function saveRun(
  db: Kysely<Database>,
  input: { name: string; plan: WavePlan; scoringModelId: number; userId: number; now: string },
): Promise<number> {
  return insertRankingRun(db, {
    name: input.name,
    roundId: input.plan.round.id,
    scoringModelId: input.scoringModelId,
    paramsJson: JSON.stringify({ ...input.plan.params, scope: input.plan.scope }),
    inputHash: input.plan.inputHash,
    seed: input.plan.params.seed,
    resultJson: serializeRun(input.plan),
    createdBy: input.userId,
    createdAt: input.now,
  })
}

export interface LoadedRun {
  id: number
  name: string
  createdAt: string
  createdByName: string
  scoringModelId: number
  plan: WavePlan
}

/** The run as stored, restricted to the user's scope; null when it does not exist. */
export async function loadRun(
  db: Kysely<Database>,
  id: number,
  scope: FacilityFilter,
): Promise<LoadedRun | null> {
  const row = await getRankingRun(db, id)
  if (!row) return null
  const raw: unknown = JSON.parse(row.result_json)
  const parsed = StoredRunSchema.safeParse(raw)
  if (!parsed.success) throw new Error(`ranking run ${id} is not in a format this version reads`)
  // Checked above for the fields this module relies on; the rest is the planner's own shape.
  const plan = upgradeStoredPlan((raw as { plan: StoredPlan }).plan)
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    scoringModelId: row.scoring_model_id,
    plan: restrictPlan(plan, scope),
  }
}

/**
 * A province scope (a province reviewer, a province API token) sees only its
 * province's rows of a run made for the whole country (the totals stay the
 * run's own); the national scope sees every row, a facility's none.
 */
export function restrictPlan(plan: WavePlan, scope: FacilityFilter): WavePlan {
  if (scope.kind === 'all') return plan
  const rows = plan.rows.filter(
    (r) => scope.kind === 'province' && r.province === scope.provinceCode,
  )
  const visible = new Set(rows.map((r) => String(r.facilityId)))
  const result = plan.result.feasible
    ? {
        ...plan.result,
        selected: plan.result.selected.filter((id) => visible.has(id)),
        tiesAtCutoff: plan.result.tiesAtCutoff.filter((id) => visible.has(id)),
      }
    : plan.result
  // The support's totals are the plan's, like its budget; who it lifted is cut to the scope.
  const support = plan.support
    ? {
        ...plan.support,
        lifted: plan.support.lifted.filter((f) => visible.has(String(f.facilityId))),
      }
    : null
  return { ...plan, rows, result, support }
}

export interface RunDiff {
  sameInputs: boolean
  entered: WaveRow[]
  left: WaveRow[]
  moved: Array<{ row: WaveRow; from: number; to: number }>
  appeared: WaveRow[]
  disappeared: WaveRow[]
}

/**
 * What changed between a stored plan and today's: facilities that entered or
 * left the selection, rank moves of facilities ranked in both (largest move
 * first), and facilities that appeared in or disappeared from the data.
 */
export function diffPlans(before: WavePlan, after: WavePlan): RunDiff {
  const old = new Map(before.rows.map((r) => [r.facilityId, r]))
  const now = new Map(after.rows.map((r) => [r.facilityId, r]))
  const moved: RunDiff['moved'] = []
  for (const r of after.rows) {
    const o = old.get(r.facilityId)
    if (o && o.rank !== null && r.rank !== null && o.rank !== r.rank)
      moved.push({ row: r, from: o.rank, to: r.rank })
  }
  moved.sort(
    (a, b) =>
      Math.abs(b.to - b.from) - Math.abs(a.to - a.from) || a.row.facilityId - b.row.facilityId,
  )
  return {
    sameInputs: before.inputHash === after.inputHash,
    entered: after.rows.filter((r) => r.selected && !old.get(r.facilityId)?.selected),
    left: before.rows.filter((r) => r.selected && !now.get(r.facilityId)?.selected),
    moved,
    appeared: after.rows.filter((r) => !old.has(r.facilityId)),
    disappeared: before.rows.filter((r) => !now.has(r.facilityId)),
  }
}

const MOVED_LIMIT = 50

/**
 * The run page: the run as stored (in the user's scope) and, when asked, the
 * same parameters re-run on today's data with what changed. The re-run uses
 * the run's own scope and resolved parameters (round and model pinned), then
 * the user's view of it. Null when the run does not exist.
 */
export async function getRunPage(
  db: Kysely<Database>,
  user: SessionUser,
  input: { runId: number; rerun: boolean; locale: Locale },
) {
  const run = await loadRun(db, input.runId, facilityFilterFor(user))
  if (!run) return null
  let diff = null
  if (input.rerun) {
    // Through the schema again: a run saved before a parameter existed gets its default.
    const params = WaveParamsSchema.parse(run.plan.params)
    const today = await buildWave(db, run.plan.scope, params, todayInVietnam())
    // A re-run the data now refuses (a cost line naming a facility gone) shows no comparison.
    if ('plan' in today) {
      const d = diffPlans(run.plan, restrictPlan(today.plan, facilityFilterFor(user)))
      diff = {
        ...d,
        moved: d.moved.slice(0, MOVED_LIMIT),
        movedCount: d.moved.length,
        appeared: d.appeared.length,
        disappeared: d.disappeared.length,
      }
    }
  }
  return {
    run: {
      id: run.id,
      name: run.name,
      createdAt: run.createdAt,
      createdBy: run.createdByName,
      restricted: facilityFilterFor(user).kind !== 'all',
    },
    plan: planView(run.plan, input.locale),
    diff,
  }
}
