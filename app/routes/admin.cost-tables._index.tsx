import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { listCostTableVersions } from '../models/roadmap.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const StoredSchema = z.object({ stored: z.string().min(1).max(40).optional() })

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'costs:manage')
  const versions = await listCostTableVersions(getDb())
  const parsed = StoredSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  const stored = parsed.success ? parsed.data.stored : undefined
  // Only a version that exists is announced as saved.
  return { versions, stored: versions.find((v) => v.version === stored)?.version ?? null }
}

export const handle: RouteI18n = { i18n: ['costs'] }

export default function CostTablesPage() {
  const { versions, stored } = useLoaderData<typeof loader>()
  const { t } = useTranslation('costs')
  const { dateTime } = useDateFormat()
  const { num } = useNumberFormat()
  const currentId = versions[0]?.id
  return (
    <>
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>
      {stored ? (
        <p role="status" className="notice">
          {t('list.stored', { version: stored })}
        </p>
      ) : null}
      <p className="actions">
        <Link className="button" to="/admin/cost-tables/new">
          {t('list.newVersion')}
        </Link>
      </p>
      <h2>{t('list.versions')}</h2>
      {versions.length === 0 ? (
        <p>{t('list.none')}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="cost-table-versions">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('list.id')}
                </th>
                <th scope="col">{t('list.version')}</th>
                <th scope="col">{t('list.created')}</th>
                <th scope="col">{t('list.by')}</th>
                <th scope="col" className="num">
                  {t('list.actions')}
                </th>
                <th scope="col">{t('list.current')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('list.view')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <td className="num">{v.id}</td>
                  <td>{v.version}</td>
                  <td>{dateTime(v.createdAt)}</td>
                  <td>{v.createdBy ?? t('list.shipped')}</td>
                  <td className="num">{num(v.actions)}</td>
                  <td>{v.id === currentId ? t('list.currentMark') : ''}</td>
                  <td>
                    <Link
                      to={`/admin/cost-tables/${v.id}`}
                      aria-label={t('list.viewVersion', { version: v.version })}
                    >
                      {t('list.view')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'costs:list.title')
