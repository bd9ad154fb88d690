/**
 * The downloads of the facilities table (/facilities/export.csv, .xlsx) and
 * of the round overview (/rounds/overview/export.csv, .xlsx): the page's
 * guard and scope, the page's query for the filters in the URL, audited,
 * sent as an attachment named by the day in Vietnam.
 */
import type { AppLoadContext } from '@remix-run/node'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { toCsv, type Cell } from '../utils/csv.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { fileResponse, tablesXlsx } from '../utils/export-files.server.ts'
import { facilityListRequest, listAllFacilities } from './facility-list.server.ts'
import { facilityListTable, roundOverviewTable } from './list-export.server.ts'
import { roundOverview } from './round-overview.server.ts'

type Format = 'csv' | 'xlsx'

async function encode(format: Format, sheet: string, table: Cell[][]) {
  return format === 'csv' ? toCsv(table) : tablesXlsx([{ name: sheet, rows: table }])
}

/** Every row the facilities table shows for the URL's filters, in its order (all pages). */
export async function exportFacilityList(
  request: Request,
  context: AppLoadContext,
  format: Format,
): Promise<Response> {
  const user = await requirePermission(request, 'facilities:view')
  const db = getDb()
  const filter = facilityFilterFor(user)
  const locale = getLocale(request)
  const { params, query, sortedDomain } = await facilityListRequest(
    db,
    new URL(request.url),
    locale,
  )
  const rows = await listAllFacilities(db, filter, query)
  const t = getI18n(locale).t
  const body = await encode(
    format,
    t('review:listExport.facilitySheet'),
    facilityListTable(t, rows, sortedDomain),
  )
  const { page: _page, ...filters } = params
  await writeAudit(db, {
    actorId: user.id,
    action: `facilities.export.${format}`,
    entityType: 'facility_list',
    detail: { scope: filter, filters, rows: rows.length },
    ip: context.clientIp,
    requestId: context.requestId,
    at: nowIso(),
  })
  return fileResponse(`facilities-${todayInVietnam()}.${format}`, format, body)
}

/** The round overview's rows (each province, and the whole scope's). 404 without a round. */
export async function exportRoundOverview(
  request: Request,
  context: AppLoadContext,
  format: Format,
): Promise<Response> {
  const user = await requirePermission(request, 'overview:view')
  const db = getDb()
  const filter = facilityFilterFor(user)
  const t = getI18n(getLocale(request)).t
  const today = todayInVietnam()
  const overview = await roundOverview(db, filter, today, t('review:overview.total'))
  if (!overview) throw notFound()
  const body = await encode(
    format,
    t('review:listExport.overviewSheet'),
    roundOverviewTable(t, overview.provinces, overview.total),
  )
  await writeAudit(db, {
    actorId: user.id,
    action: `round.overview.export.${format}`,
    entityType: 'round',
    entityId: overview.round.id,
    detail: { scope: filter, rows: overview.provinces.length },
    ip: context.clientIp,
    requestId: context.requestId,
    at: nowIso(),
  })
  return fileResponse(`round${overview.round.id}-overview-${today}.${format}`, format, body)
}
