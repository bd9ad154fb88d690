/**
 * A plan and its robustness run: the key that says which plan a job's draws
 * belong to, and the plan with a finished job's figures on its rows.
 */
import { createHash } from 'node:crypto'
import type { RobustnessLabel, RobustnessResult } from '../../scoring/robustness.ts'
import type { SessionUser } from '../utils/auth.server.ts'
import { canonicalJson } from './canonical-json.ts'
import type { WavePlan } from './planner.server.ts'
import { getRobustnessJob, JobIdSchema } from './robustness-jobs.server.ts'

/** Identifies what a robustness job was computed for: the same key, the same draws apply. */
export function planKey(plan: WavePlan): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        inputHash: plan.inputHash,
        model: [plan.model.id, plan.model.version],
        params: plan.params,
        round: plan.round.id,
        scope: plan.scope,
      }),
    )
    .digest('hex')
}

/** The plan with a finished robustness run's figures on its rows (a new object). */
export function withRobustness(
  plan: WavePlan,
  result: RobustnessResult,
  meta: { seed: number; alpha: number },
): WavePlan {
  const byId = new Map(result.facilities.map((f) => [f.facilityId, f]))
  const counts: Record<RobustnessLabel, number> = {
    'robust-in': 0,
    borderline: 0,
    'robust-out': 0,
  }
  for (const f of result.facilities) counts[f.label]++
  return {
    ...plan,
    robustness: {
      seed: meta.seed,
      draws: result.draws,
      alpha: meta.alpha,
      monteCarloError: result.monteCarloError,
      counts,
    },
    rows: plan.rows.map((r) => {
      const f = byId.get(String(r.facilityId))
      return f
        ? { ...r, selectionProbability: f.selectionProbability, robustness: f.label }
        : { ...r, selectionProbability: null, robustness: null }
    }),
  }
}

/** The plan with the figures of the user's finished robustness job, when it is for this plan. */
export async function attachJob(
  plan: WavePlan,
  jobId: string | null,
  user: SessionUser,
): Promise<WavePlan> {
  const id = JobIdSchema.safeParse(jobId)
  if (!id.success) return plan
  const job = await getRobustnessJob(id.data, user.id)
  if (!job || job.status !== 'done' || !job.result || job.key !== planKey(plan)) return plan
  return withRobustness(plan, job.result, { seed: job.seed, alpha: job.alpha })
}
