/**
 * The planner page (`/waves`): what its loader shows and what its two
 * actions do (start a robustness job, save a run). The route only guards,
 * parses and responds.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { listRankingRuns } from '../models/ranking-run.server.ts'
import { listRounds } from '../models/round.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { listScoredModels } from '../models/wave-input.server.ts'
import { facilityFilterFor, type SessionUser } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { can } from '../utils/permissions.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { attachJob, planKey } from './plan-robustness.server.ts'
import { planView } from './plan-view.server.ts'
import { buildWave, paramIssueErrors, type FieldErrors } from './planner.server.ts'
import { getRobustnessJob, JobIdSchema, startRobustnessJob } from './robustness-jobs.server.ts'
import { saveRun } from './runs.server.ts'
import { parseWaveParams } from './wave-params.server.ts'

/** Robustness of a wave that needs the MILP solver costs one solve per draw. */
const MILP_MAX_DRAWS = 500

export const PlannerActionSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('save'),
    // Refusals worded by zodMessages where the route parses it.
    name: z.string().trim().min(1).max(120),
    params: z.string().max(30_000),
    job: z.string().optional(),
  }),
  z.object({ intent: z.literal('robustness'), params: z.string().max(30_000) }),
])
export type PlannerAction = z.infer<typeof PlannerActionSchema>

const noErrors: FieldErrors = {}

/**
 * The levels a minimum-level field offers: those of the model planned with
 * (else the current round's); the planner and the roadmap both offer them.
 */
export async function levelChoices(
  db: Kysely<Database>,
  modelRowId: number | undefined,
  locale: Locale,
  today: string,
): Promise<Array<{ id: string; title: string }>> {
  const rowId = modelRowId ?? (await getCurrentRound(db, today))?.scoring_model_id
  if (rowId === undefined) return []
  const model = await getScoringModel(db, rowId)
  return model.levels.map((l) => ({ id: l.id, title: localized(l.title, locale) }))
}

/**
 * Everything the page shows for the URL's parameters. Planning never writes:
 * the page is a GET form, so a view is a shareable URL.
 */
export async function getPlannerPage(
  db: Kysely<Database>,
  user: SessionUser,
  search: URLSearchParams,
  locale: Locale,
) {
  const parsed = parseWaveParams(search, locale)
  const today = todayInVietnam()
  const levelsOf = (modelRowId: number | undefined) => levelChoices(db, modelRowId, locale, today)
  const base = {
    canPlan: can(user, 'waves:plan'),
    canRoadmap: can(user, 'roadmap:view'),
    rounds: await listRounds(db),
    runs: (await listRankingRuns(db, 5)).map((r) => ({
      id: r.id,
      name: r.name,
      roundName: r.round_name,
      createdAt: r.created_at,
    })),
    values: Object.fromEntries(search),
    query: search.toString(),
  }
  const empty = { models: [], plan: null, job: null, levels: await levelsOf(undefined) }
  if (!parsed.success) {
    return {
      ...base,
      ...empty,
      fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
      missing: null,
    }
  }
  const built = await buildWave(db, facilityFilterFor(user), parsed.data, today)
  if ('missing' in built)
    return { ...base, ...empty, fieldErrors: noErrors, missing: built.missing }
  if ('invalid' in built) {
    const fieldErrors = paramIssueErrors(built.invalid, locale)
    return { ...base, ...empty, fieldErrors, missing: null }
  }
  const jobId = JobIdSchema.safeParse(search.get('job'))
  const job = jobId.success ? await getRobustnessJob(jobId.data, user.id) : undefined
  const plan = await attachJob(built.plan, search.get('job'), user)
  return {
    ...base,
    fieldErrors: noErrors,
    missing: null,
    models: await listScoredModels(db, plan.round.id),
    levels: await levelsOf(plan.model.rowId),
    plan: planView(plan, locale),
    job: job
      ? { id: job.id, status: job.status, done: job.done, total: job.total, error: job.error }
      : null,
  }
}

export type PlannerActionResult =
  { ok: true; redirect: string } | { ok: false; status: 400 | 404 | 409 | 429; formError: string }

/**
 * Starts a robustness job for the plan (then back to the planner, which
 * polls it), or saves the plan as a named run (with the finished job's
 * figures when one is named). Either writes one audit row; an infeasible
 * plan, a mismatched job or a busy queue changes nothing.
 */
export async function runPlannerAction(
  db: Kysely<Database>,
  user: SessionUser,
  action: PlannerAction,
  meta: { clientIp: string; requestId: string },
  locale: Locale,
): Promise<PlannerActionResult> {
  const search = new URLSearchParams(action.params)
  search.delete('job')
  const params = parseWaveParams(search, locale)
  if (!params.success) {
    return {
      ok: false,
      status: 400,
      formError: params.error.issues.map((i) => i.message).join(' '),
    }
  }
  const built = await buildWave(db, facilityFilterFor(user), params.data, todayInVietnam())
  if ('missing' in built) return { ok: false, status: 404, formError: `no ${built.missing}` }
  if ('invalid' in built) {
    return {
      ok: false,
      status: 400,
      formError: built.invalid.map((i) => localized(i.message, locale)).join(' '),
    }
  }
  const { plan } = built
  if (!plan.result.feasible) return { ok: false, status: 400, formError: 'infeasible' }

  if (action.intent === 'robustness') {
    if (built.needsMilp && params.data.draws > MILP_MAX_DRAWS) {
      return { ok: false, status: 400, formError: 'milpDraws' }
    }
    const started = await startRobustnessJob({
      userId: user.id,
      key: planKey(plan),
      request: built.robustnessRequest(),
      milp: built.needsMilp,
    })
    if (!started.ok) return { ok: false, status: 429, formError: started.reason }
    await writeAudit(db, {
      at: nowIso(),
      actorId: user.id,
      action: 'wave.robustness.start',
      entityType: 'round',
      entityId: plan.round.id,
      detail: { params: params.data, jobId: started.job.id, inputHash: plan.inputHash },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    search.set('job', started.job.id)
    return { ok: true, redirect: `/waves?${search.toString()}` }
  }

  const stored = action.job ? await attachJob(plan, action.job, user) : plan
  if (action.job && stored.robustness === null) {
    return { ok: false, status: 409, formError: 'jobMismatch' }
  }
  const now = nowIso()
  const runId = await db.transaction().execute(async (trx) => {
    const id = await saveRun(trx, {
      name: action.name,
      plan: stored,
      scoringModelId: plan.model.rowId,
      userId: user.id,
      now,
    })
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'wave.run.save',
      entityType: 'ranking_run',
      entityId: id,
      detail: {
        name: action.name,
        params: params.data,
        inputHash: plan.inputHash,
        seed: params.data.seed,
        robustnessDraws: stored.robustness?.draws ?? null,
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return id
  })
  return { ok: true, redirect: `/waves/runs/${runId}` }
}
