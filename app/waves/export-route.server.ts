/** The shared body of the export endpoints: guard, parse, plan, audit, respond. */
import type { AppLoadContext } from '@remix-run/node'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getRound } from '../models/round.server.ts'
import { facilityFilterFor, REVIEWER_ROLES, requireRole } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { waveCsv, waveXlsx } from './export.server.ts'
import { parseWaveParams, planWave } from './planner.server.ts'

export async function exportWave(
  request: Request,
  context: AppLoadContext,
  format: 'csv' | 'xlsx' | 'json',
) {
  const user = await requireRole(request, [...REVIEWER_ROLES, 'admin'])
  const parsed = parseWaveParams(new URL(request.url).searchParams)
  if (!parsed.success)
    return Response.json(
      { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      { status: 400 },
    )
  const db = getDb()
  const filter = facilityFilterFor(user)
  const plan = await planWave(db, filter, parsed.data, nowIso().slice(0, 10))
  if (!plan) return Response.json({ error: 'no round' }, { status: 404 })
  await writeAudit(db, {
    at: nowIso(),
    actorId: user.id,
    action: `wave.export.${format}`,
    entityType: 'round',
    entityId: plan.round.id,
    detail: { params: parsed.data, scope: filter, rows: plan.rows.length },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  const name = `sansang-wave-round${plan.round.id}`
  if (format === 'json') {
    return Response.json({
      round: plan.round,
      model: { id: plan.model.id, version: plan.model.version },
      params: plan.params,
      objective: plan.objective,
      result: plan.result,
      rows: plan.rows,
    })
  }
  if (format === 'csv') {
    return new Response(waveCsv(plan), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}.csv"`,
        'Cache-Control': 'no-store',
      },
    })
  }
  const round = await getRound(db, plan.round.id)
  const model = await getScoringModel(db, round?.scoring_model_id ?? 0)
  const bytes = await waveXlsx(plan, model)
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${name}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}
