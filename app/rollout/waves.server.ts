/**
 * Adopting a saved ranking run as an official wave: its selected facilities
 * become the wave's members with the cost the run gave each, the adoption is
 * audited, and from then on the run is immutable (migration 0020's triggers).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { writeAudit } from '../models/audit.server.ts'
import {
  getWaveIdOfRun,
  insertWave,
  insertWaveMembers,
  type listWaves,
} from '../models/rollout.server.ts'
import { facilityFilterFor, type SessionUser } from '../utils/auth.server.ts'
import type { RequestMeta } from '../utils/login.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { loadRun } from '../waves/runs.server.ts'
import type { AdoptWave } from './rollout-input.ts'

const VND_PER_BILLION = 1_000_000_000

export type AdoptResult =
  | { kind: 'adopted'; waveId: number; facilities: number }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'not_found' }
  | { kind: 'conflict' }

/** The caller has checked `rollout:adopt` (national planners: the run's every row is in scope). */
export async function adoptRun(
  db: Kysely<Database>,
  user: SessionUser,
  input: AdoptWave,
  meta: RequestMeta,
): Promise<AdoptResult> {
  const run = await loadRun(db, input.runId, facilityFilterFor(user))
  if (!run) return { kind: 'not_found' }
  const members = run.plan.rows
    .filter((r) => r.selected)
    .map((r) => ({ facilityId: r.facilityId, costVnd: r.costVnd }))
  if (members.length === 0) return { kind: 'invalid', errors: { runId: 'nothingSelected' } }
  const budgetVnd = Math.round(input.budgetBn * VND_PER_BILLION)
  return db.transaction().execute(async (trx): Promise<AdoptResult> => {
    if ((await getWaveIdOfRun(trx, run.id)) !== null) return { kind: 'conflict' }
    const now = nowIso()
    const waveId = await insertWave(trx, {
      runId: run.id,
      name: input.name,
      targetGoLive: input.targetGoLive,
      budgetVnd,
      adoptedBy: user.id,
      adoptedAt: now,
    })
    await insertWaveMembers(trx, waveId, members)
    await writeAudit(trx, {
      at: now,
      actorId: user.id,
      action: 'rollout.wave.adopt',
      entityType: 'wave',
      entityId: waveId,
      detail: {
        runId: run.id,
        name: input.name,
        targetGoLive: input.targetGoLive,
        budgetVnd,
        inputHash: run.plan.inputHash,
        facilities: members.length,
      },
      ip: meta.clientIp,
      requestId: meta.requestId,
    })
    return { kind: 'adopted', waveId, facilities: members.length }
  })
}

type WaveRow = Awaited<ReturnType<typeof listWaves>>[number]

/** A wave as the rollout pages show it, the same on the progress page and the waves page. */
export function waveSummary(w: WaveRow) {
  return {
    id: w.id,
    name: w.name,
    runId: w.run_id,
    runName: w.run_name,
    targetGoLive: w.target_go_live,
    budgetVnd: Number(w.budget_vnd),
    plannedVnd: Number(w.planned_vnd),
    committedVnd: Number(w.committed_vnd),
    facilities: Number(w.facilities),
    live: Number(w.live),
    adoptedAt: w.adopted_at,
    adoptedBy: w.adopted_by_name,
  }
}
