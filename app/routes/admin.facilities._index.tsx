import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { foldSearchKey } from '../../db/text.ts'
import { countRegistry, countRegistryPage, listRegistryPage } from '../models/facility.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const PAGE_SIZE = 50

const RegistryListParamsSchema = z.object({
  q: z.string().max(100).optional(),
  status: z.enum(['all', 'open', 'closed']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
})

const ImportedSchema = z.object({
  imported: z.literal('1'),
  new: z.coerce.number().int().min(0),
  changed: z.coerce.number().int().min(0),
  unchanged: z.coerce.number().int().min(0),
})

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'registry:manage')
  const url = new URL(request.url)
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''))
  // Malformed filters fall back to the defaults, as on /facilities.
  const parsed = RegistryListParamsSchema.safeParse(raw)
  const params = parsed.success ? parsed.data : RegistryListParamsSchema.parse({})
  const imported = ImportedSchema.safeParse(raw)
  const query = {
    search: params.q ? foldSearchKey(params.q) : undefined,
    status: params.status,
    offset: (params.page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  }
  const db = getDb()
  const [rows, matched, totals] = await Promise.all([
    listRegistryPage(db, query),
    countRegistryPage(db, query),
    countRegistry(db),
  ])
  return {
    params,
    rows,
    matched,
    totals,
    pages: Math.max(1, Math.ceil(matched / PAGE_SIZE)),
    imported: imported.success ? imported.data : null,
  }
}

export const handle: RouteI18n = { i18n: ['registry'] }

export default function RegistryPage() {
  const { params, rows, totals, pages, imported } = useLoaderData<typeof loader>()
  const { t } = useTranslation('registry')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  const pageLink = (page: number) => {
    const search = new URLSearchParams()
    if (params.q) search.set('q', params.q)
    if (params.status !== 'all') search.set('status', params.status)
    search.set('page', String(page))
    return `?${search}`
  }
  return (
    <>
      <h1>{t('list.title')}</h1>
      {imported ? (
        <p className="notice" role="status">
          {t('list.imported', {
            new: num(imported.new),
            changed: num(imported.changed),
            unchanged: num(imported.unchanged),
          })}
        </p>
      ) : null}
      <p>{t('list.intro', { total: num(totals.total), closed: num(totals.closed) })}</p>
      <p>
        <Link to="/admin/facilities/import">{t('list.import')}</Link> ·{' '}
        <a href="/admin/facilities/export.csv" download>
          {t('list.exportCsv')}
        </a>{' '}
        ·{' '}
        <a href="/admin/facilities/export.xlsx" download>
          {t('list.exportXlsx')}
        </a>
      </p>
      <Form method="get" className="card filters">
        <div className="field">
          <label htmlFor="registry-q">{t('list.search')}</label>
          <input id="registry-q" name="q" type="search" defaultValue={params.q ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="registry-status">{t('list.status')}</label>
          <select id="registry-status" name="status" defaultValue={params.status}>
            <option value="all">{t('list.statusAll')}</option>
            <option value="open">{t('list.statusOpen')}</option>
            <option value="closed">{t('list.statusClosed')}</option>
          </select>
        </div>
        <button type="submit">{t('list.filter')}</button>
      </Form>
      {rows.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('list.code')}</th>
                <th scope="col">{t('list.name')}</th>
                <th scope="col">{t('list.province')}</th>
                <th scope="col">{t('list.tier')}</th>
                <th scope="col" className="num">
                  {t('list.beds')}
                </th>
                <th scope="col">{t('list.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.code}</td>
                  <td>
                    <Link to={`/facilities/${r.id}`}>{r.name}</Link>
                  </td>
                  <td>{r.province_name}</td>
                  <td>{tc(`tiers.${r.tier}`)}</td>
                  <td className="num">{num(r.beds)}</td>
                  <td>
                    {r.closed_at ? (
                      <span className="badge">
                        {t('list.closedOn', { date: formatDate(r.closed_at) })}
                      </span>
                    ) : (
                      t('list.open')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t('list.page', { page: params.page, pages })}>
        <p>
          {params.page > 1 ? (
            <Link to={pageLink(params.page - 1)}>{t('list.previous')}</Link>
          ) : null}{' '}
          {t('list.page', { page: params.page, pages })}{' '}
          {params.page < pages ? (
            <Link to={pageLink(params.page + 1)}>{t('list.next')}</Link>
          ) : null}
        </p>
      </nav>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'registry:list.title')
