/** The progress downloads (/rollout/export.csv, .xlsx): guard, scope, build, audit, respond. */
import type { AppLoadContext } from '@remix-run/node'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { progressCsv, progressXlsx } from './export.server.ts'
import { progressScope } from './progress-scope.server.ts'
import { listMemberProgress } from './progress.server.ts'

export async function exportProgress(
  request: Request,
  context: AppLoadContext,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const user = await requirePermission(request, 'rollout:view')
  const scope = progressScope(user, new URL(request.url).searchParams)
  if (!scope) throw notFound()
  const db = getDb()
  const today = todayInVietnam()
  const members = await listMemberProgress(db, scope.filter, scope.waveId, today)
  const t = getI18n(getLocale(request)).t
  const body = format === 'csv' ? progressCsv(t, members) : await progressXlsx(t, members)
  await writeAudit(db, {
    actorId: user.id,
    action: `rollout.export.${format}`,
    entityType: 'rollout',
    detail: { waveId: scope.waveId, province: scope.province, rows: members.length },
    ip: context.clientIp,
    requestId: context.requestId,
    at: nowIso(),
  })
  return new Response(body, {
    headers: {
      'Content-Type':
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      // Named by the day in Vietnam, like every date the app shows.
      'Content-Disposition': `attachment; filename="rollout-${today}.${format}"`,
      'Cache-Control': 'no-store',
    },
  })
}
