import type { ActionFunctionArgs } from '@remix-run/node'
import * as z from 'zod'
import { BULK_MAX_ROWS, linksFile } from '../admin/bulk.server.ts'
import { getI18n } from '../i18n.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getLocale } from '../utils/locale.server.ts'

const LinksSchema = z
  .array(
    z.object({
      login: z.string().max(64),
      displayName: z.string().max(200),
      email: z.string().max(254).nullable(),
      url: z.url().max(300),
      expiresAt: z.iso.datetime(),
    }),
  )
  .max(BULK_MAX_ROWS)

const DownloadSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  links: z.string().max(4 * 1024 * 1024),
})

/**
 * The invitation links of a bulk creation as a file. The page that just
 * created the accounts posts them back (they are on it already; the
 * database keeps only their hashes, so nothing else could produce them).
 */
export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, 'users:manage')
  const form = await request.formData().catch(() => null)
  const parsed = DownloadSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success)
    return apiError(request, 'bad_request', { issues: issuesOf(parsed.error.issues) })
  let links: z.infer<typeof LinksSchema>
  try {
    const result = LinksSchema.safeParse(JSON.parse(parsed.data.links))
    if (!result.success)
      return apiError(request, 'bad_request', { issues: issuesOf(result.error.issues) })
    links = result.data
  } catch {
    return apiError(request, 'bad_request')
  }
  const t = getI18n(getLocale(request)).t
  const header = ['login', 'displayName', 'email', 'link', 'expires'].map((k) =>
    t(`admin:import.columns.${k}`),
  )
  const format = parsed.data.format
  const body = await linksFile(links, format, header)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type':
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="sansang-invitations.${format}"`,
      'Cache-Control': 'no-store',
    },
  })
}

export async function loader({ request }: ActionFunctionArgs) {
  await requirePermission(request, 'users:manage')
  return apiError(request, 'method_not_allowed')
}
