/** The current cost table's downloads (/admin/cost-tables/export.csv, .xlsx): guard, build, audit, respond. */
import type { AppLoadContext } from '@remix-run/node'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { exportCostTable } from './cost-tables.server.ts'

export async function exportCurrentCostTable(
  request: Request,
  context: AppLoadContext,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const user = await requirePermission(request, 'costs:manage')
  const db = getDb()
  const locale = getLocale(request)
  const file = await exportCostTable(db, format, {
    locale,
    today: todayInVietnam(),
    sheetName: getI18n(locale).t('costs:file.sheet'),
  })
  if (!file) throw notFound()
  await writeAudit(db, {
    actorId: user.id,
    action: `cost_table.export.${format}`,
    entityType: 'cost_table',
    entityId: file.id,
    detail: { version: file.version },
    ip: context.clientIp,
    requestId: context.requestId,
    at: nowIso(),
  })
  // The version is an administrator's label: only safe characters reach the header.
  const label = file.version.replace(/[^A-Za-z0-9._-]+/g, '_')
  return new Response(file.body, {
    headers: {
      'Content-Type':
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="remedial-costs-${file.id}-${label}.${format}"`,
      'Cache-Control': 'no-store',
    },
  })
}
