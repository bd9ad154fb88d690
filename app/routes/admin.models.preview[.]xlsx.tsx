import type { LoaderFunctionArgs } from '@remix-run/node'
import { previewXlsx } from '../admin/models/preview-file.server.ts'
import { parsePreviewParams } from '../admin/models/preview-params.server.ts'
import { buildModelPreview } from '../admin/models/preview.server.ts'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'

/** The preview with every facility compared, as an XLSX workbook. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'models:manage')
  const parsed = parsePreviewParams(new URL(request.url).searchParams)
  if (!parsed.success || parsed.data.round === undefined || parsed.data.model === undefined) {
    throw new Response('round and model are required', { status: 400 })
  }
  const db = getDb()
  const result = await buildModelPreview(db, {
    roundId: parsed.data.round,
    modelId: parsed.data.model,
  })
  if (result.kind === 'missing') throw notFound()
  if (result.kind === 'questionnaireMismatch') {
    throw new Response('the model scores another questionnaire', { status: 422 })
  }
  const p = result.preview
  const bytes = await previewXlsx(p, getI18n(getLocale(request)).t)
  await writeAudit(db, {
    actorId: user.id,
    action: 'models.preview.xlsx',
    entityType: 'round',
    entityId: p.round.id,
    detail: { scoringModelId: p.newModel.rowId, rows: p.rows.length },
    ip: context.clientIp,
    requestId: context.requestId,
    at: nowIso(),
  })
  return new Response(bytes, {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="model-preview-${p.round.id}-${p.newModel.version}-${todayInVietnam()}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}
