/**
 * The saved scenario set's page and export endpoints: guard, parse, load
 * within scope, (for exports) limit and audit, respond.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getCostTable } from '../models/roadmap.server.ts'
import {
  facilityFilterFor,
  notFound,
  requirePermission,
  type SessionUser,
} from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { requireWaveQuota } from './rate-limit.server.ts'
import { roadmapCsv, roadmapXlsx } from './roadmap-export.server.ts'
import { loadScenarioSet } from './roadmap-scenarios.server.ts'
import { roadmapView } from './roadmap-view.server.ts'

export const ScenarioIdSchema = z.object({ scenarioId: z.coerce.number().int().positive() })

/** The saved set's page: the stored roadmap as it was shown; null outside the viewer's scope. */
export async function getScenarioSetPage(
  db: Kysely<Database>,
  user: SessionUser,
  scenarioId: number,
) {
  const set = await loadScenarioSet(db, scenarioId, facilityFilterFor(user))
  if (!set) return null
  return {
    id: set.id,
    name: set.name,
    createdAt: set.createdAt,
    roadmap: roadmapView(set.roadmap),
  }
}

/** `/waves/roadmap/:id/export.{csv,xlsx}`: the stored set, one audit row per download. */
export async function exportScenarioSet(
  request: Request,
  context: AppLoadContext,
  params: unknown,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const user = await requirePermission(request, 'roadmap:view')
  const parsed = ScenarioIdSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  await requireWaveQuota(request, user.id)
  const db = getDb()
  const set = await loadScenarioSet(db, parsed.data.scenarioId, facilityFilterFor(user))
  if (!set) throw notFound()
  await writeAudit(db, {
    at: nowIso(),
    actorId: user.id,
    action: `roadmap.scenario.export.${format}`,
    entityType: 'roadmap_scenario',
    entityId: set.id,
    detail: { name: set.name, inputHash: set.roadmap.inputHash },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  const locale = getLocale(request)
  const language = { locale, t: getI18n(locale).t }
  const filename = `sansang-roadmap-${set.id}`
  if (format === 'csv') {
    return new Response(roadmapCsv(set.roadmap, language), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}.csv"`,
        'Cache-Control': 'no-store',
      },
    })
  }
  const model = await getScoringModel(db, set.roadmap.model.rowId)
  const costTable = await getCostTable(db, set.roadmap.costTable.id)
  if (!costTable) throw new Error(`cost table ${set.roadmap.costTable.id} is missing`)
  const bytes = await roadmapXlsx(set.roadmap, model, costTable.table, set, language)
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${filename}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}
