import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { costTableView } from '../admin/cost-tables.server.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import type { RouteI18n } from '../i18n.ts'

const TableIdParamsSchema = z.object({ tableId: z.coerce.number().int().positive() })

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'costs:manage')
  const parsed = TableIdParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const view = await costTableView(getDb(), parsed.data.tableId, {
    locale: getLocale(request),
    today: todayInVietnam(),
  })
  if (!view) throw notFound()
  return { view }
}

export const handle: RouteI18n = { i18n: ['costs', 'registry'] }

export default function CostTableVersionPage() {
  const { view } = useLoaderData<typeof loader>()
  const { t } = useTranslation('costs')
  const { dateTime } = useDateFormat()
  const { num } = useNumberFormat()
  return (
    <>
      <p>
        <Link to="/admin/cost-tables">{t('view.back')}</Link>
      </p>
      <h1>{t('view.title', { version: view.version })}</h1>
      <p className="muted">
        {t('view.provenance', {
          at: dateTime(view.createdAt),
          by: view.createdBy ?? t('list.shipped'),
          count: view.actions.length,
        })}
      </p>
      <p role="status">{view.current ? t('view.isCurrent') : t('view.notCurrent')}</p>
      <h2>{t('view.note')}</h2>
      <p>{view.note}</p>
      <p className="muted">
        {t('view.checksum')}: <code>{view.sha256}</code>
      </p>
      <div
        className="table-scroll"
        role="region"
        tabIndex={0}
        aria-label={t('view.tableLabel', { version: view.version })}
      >
        <table data-testid="cost-table-actions">
          <thead>
            <tr>
              <th scope="col">{t('view.item')}</th>
              <th scope="col">{t('view.action')}</th>
              <th scope="col" className="num">
                {t('view.cost')}
              </th>
              <th scope="col">{t('view.basis')}</th>
              <th scope="col">{t('view.source')}</th>
            </tr>
          </thead>
          <tbody>
            {view.actions.map((a) => (
              <tr key={a.itemId}>
                <td>
                  {a.item ?? t('view.notInModel')} <code>{a.itemId}</code>
                </td>
                <td>{a.action}</td>
                <td className="num">{num(a.costVnd)}</td>
                <td>{a.basis}</td>
                <td>{a.source ?? t('view.estimate')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'costs:list.title')
