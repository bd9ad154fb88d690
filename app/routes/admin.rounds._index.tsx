import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listRoundsForAdmin } from '../models/round.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'rounds:manage')
  return { rounds: await listRoundsForAdmin(getDb()) }
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function RoundsPage() {
  const { rounds } = useLoaderData<typeof loader>()
  const { t } = useTranslation('rounds')
  const { date } = useDateFormat()
  return (
    <>
      <h1>{t('list.title')}</h1>
      <p>{t('list.intro')}</p>
      <p className="actions">
        <Link className="button" to="/admin/rounds/new">
          {t('list.new')}
        </Link>
      </p>
      {rounds.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('list.name')}</th>
                <th scope="col">{t('list.dates')}</th>
                <th scope="col">{t('list.versions')}</th>
                <th scope="col">{t('list.gates')}</th>
                <th scope="col">{t('list.submitted')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('list.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => {
                const switched = Object.entries(r.gate_settings)
                return (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>
                      {date(r.opens_on)} – {date(r.closes_on)}
                    </td>
                    <td>
                      {r.questionnaire_version} · {r.model_version}
                      {r.submitted > 0 ? ` (${t('list.locked')})` : ''}
                    </td>
                    <td>
                      {switched.length === 0
                        ? t('list.noGateChanges')
                        : switched
                            .map(([id, on]) => `${id} ${on ? t('form.on') : t('form.off')}`)
                            .join(', ')}
                    </td>
                    <td>{r.submitted}</td>
                    <td>
                      <Link to={`/admin/rounds/${r.id}`} aria-label={`${t('list.edit')} ${r.name}`}>
                        {t('list.edit')}
                      </Link>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'rounds:list.title')
