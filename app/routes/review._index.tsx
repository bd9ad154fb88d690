import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getCurrentRound } from '../models/round.server.ts'
import { getReviewQueue } from '../review/page.server.ts'
import { facilityFilterFor, REVIEWER_ROLES, requireRole } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, REVIEWER_ROLES)
  const db = getDb()
  const round = await getCurrentRound(db, nowIso().slice(0, 10))
  if (!round) return { round: null, queue: [] }
  return {
    round: { id: round.id, name: round.name },
    queue: await getReviewQueue(db, facilityFilterFor(user), round.id),
  }
}

export default function ReviewQueuePage() {
  const { round, queue } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  return (
    <>
      <h1>{t('queue.title')}</h1>
      {!round ? (
        <p>{t('queue.noRound')}</p>
      ) : (
        <p>
          {t('queue.intro')} ({round.name})
        </p>
      )}
      {round && queue.length === 0 ? <p>{t('queue.empty')}</p> : null}
      {queue.length > 0 ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('queue.facility')}</th>
                <th scope="col">{t('queue.province')}</th>
                <th scope="col">{t('queue.submitted')}</th>
                <th scope="col" className="num">
                  {t('queue.composite')}
                </th>
                <th scope="col">{t('queue.level')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {queue.map((q) => (
                <tr key={q.id}>
                  <th scope="row">
                    {q.name} <span className="muted">({q.code})</span>
                  </th>
                  <td>{q.province_name}</td>
                  <td>{q.submitted_at?.slice(0, 10)}</td>
                  <td className="num">
                    {q.composite_bp === null ? '—' : (q.composite_bp / 100).toFixed(1)}
                  </td>
                  <td>{q.level ?? '—'}</td>
                  <td>
                    <Link to={`/review/${q.id}`} aria-label={`${t('queue.open')}: ${q.name}`}>
                      {t('queue.open')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Thẩm định · Sẵn Sàng' }]
