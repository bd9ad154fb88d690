/** The registry downloads (/admin/facilities/export.csv, .xlsx): guard, build, audit, respond. */
import type { AppLoadContext } from '@remix-run/node'
import { getI18n } from '../../i18n.ts'
import { writeAudit } from '../../models/audit.server.ts'
import { requirePermission } from '../../utils/auth.server.ts'
import { getDb } from '../../utils/db.server.ts'
import { getLocale } from '../../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../../utils/time.server.ts'
import { registryCsv, registryXlsx } from './export.server.ts'

export async function exportRegistry(
  request: Request,
  context: AppLoadContext,
  format: 'csv' | 'xlsx',
): Promise<Response> {
  const user = await requirePermission(request, 'registry:manage')
  const db = getDb()
  const now = nowIso()
  // The file is named by the day in Vietnam, like every date the app shows.
  const stamp = todayInVietnam()
  const file =
    format === 'csv'
      ? await registryCsv(db).then((r) => ({ body: r.csv, rows: r.rows }))
      : await registryXlsx(db, getI18n(getLocale(request)).t('registry:list.title')).then((r) => ({
          body: r.bytes,
          rows: r.rows,
        }))
  await writeAudit(db, {
    actorId: user.id,
    action: `registry.export.${format}`,
    entityType: 'registry',
    detail: { rows: file.rows },
    ip: context.clientIp,
    requestId: context.requestId,
    at: now,
  })
  return new Response(file.body, {
    headers: {
      'Content-Type':
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="registry-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
    },
  })
}
