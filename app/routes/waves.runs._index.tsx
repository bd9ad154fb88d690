import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listRankingRuns } from '../models/ranking-run.server.ts'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const RUN_LIST_LIMIT = 200

/** Saved runs, newest first. Opening one restricts its rows to the user's scope. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'waves:view')
  const runs = await listRankingRuns(getDb(), RUN_LIST_LIMIT)
  return {
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      roundName: r.round_name,
      createdAt: r.created_at,
      createdBy: r.created_by_name,
      inputHash: r.input_hash,
      seed: r.seed,
    })),
  }
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function WaveRunsPage() {
  const { runs } = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  return (
    <>
      <h1>{t('runs.title')}</h1>
      <p>
        <Link to="/waves">{t('runs.back')}</Link>
      </p>
      {runs.length === 0 ? (
        <p>{t('runs.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('runs.name')}</th>
                <th scope="col">{t('form.round')}</th>
                <th scope="col">{t('runs.createdAt')}</th>
                <th scope="col">{t('runs.createdBy')}</th>
                <th scope="col">{t('runs.inputHash')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/waves/runs/${r.id}`}>{r.name}</Link>
                  </th>
                  <td>{r.roundName}</td>
                  <td>{r.createdAt.slice(0, 19).replace('T', ' ')} UTC</td>
                  <td>{r.createdBy}</td>
                  <td>
                    <code>{r.inputHash.slice(0, 12)}</code>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'waves:runs.title')
