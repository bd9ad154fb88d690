import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { countByProvinceAndLevel, countByProvinceAndStatus } from '../models/overview.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { nowIso } from '../utils/time.server.ts'

const STATUSES = ['not_started', 'draft', 'returned', 'submitted', 'verified'] as const
const LEVELS = ['R0', 'R1', 'R2', 'R3', 'R4'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'overview:view')
  const db = getDb()
  const today = nowIso().slice(0, 10)
  const round = await getCurrentRound(db, today)
  if (!round) return { round: null, provinces: [], late: false }
  const filter = facilityFilterFor(user)
  const [byStatus, byLevel] = await Promise.all([
    countByProvinceAndStatus(db, filter, round.id),
    countByProvinceAndLevel(db, filter, round.id),
  ])
  const provinces = new Map<
    string,
    { code: string; name: string; status: Record<string, number>; levels: Record<string, number> }
  >()
  for (const r of byStatus) {
    const p = provinces.get(r.province_code) ?? {
      code: r.province_code,
      name: r.province_name,
      status: {},
      levels: {},
    }
    p.status[String(r.status)] = Number(r.count)
    provinces.set(r.province_code, p)
  }
  for (const r of byLevel) {
    const p = provinces.get(r.province_code)
    if (p) p.levels[r.level] = Number(r.count)
  }
  return {
    round: { name: round.name, closesOn: round.closes_on },
    // After the close date, anything not submitted or verified is late.
    late: today > round.closes_on,
    provinces: [...provinces.values()],
  }
}

export default function RoundOverviewPage() {
  const { round, provinces, late } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  if (!round) return <p>{t('queue.noRound')}</p>
  const total = (p: (typeof provinces)[number]) =>
    STATUSES.reduce((a, s) => a + (p.status[s] ?? 0), 0)
  return (
    <>
      <h1>{t('overview.title')}</h1>
      <p>{t('overview.intro', { round: round.name, closes: round.closesOn })}</p>
      <div className="table-scroll">
        <table>
          <caption className="muted">{t('overview.byStatus')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.province')}</th>
              {STATUSES.map((s) => (
                <th scope="col" className="num" key={s}>
                  {tc(`assessmentStatus.${s}`)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('overview.late')}
              </th>
              <th scope="col">{t('overview.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {provinces.map((p) => {
              const n = total(p)
              const done = (p.status.submitted ?? 0) + (p.status.verified ?? 0)
              const lateCount = late ? n - done : 0
              return (
                <tr key={p.code}>
                  <th scope="row">{p.name}</th>
                  {STATUSES.map((s) => (
                    <td className="num" key={s}>
                      {p.status[s] ?? 0}
                    </td>
                  ))}
                  <td className="num">{lateCount}</td>
                  <td style={{ width: '20%' }}>
                    <div
                      className="bar"
                      style={{ width: `${n ? (100 * done) / n : 0}%` }}
                      title={`${done}/${n}`}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table>
          <caption className="muted">{t('overview.byLevel')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.province')}</th>
              {LEVELS.map((l) => (
                <th scope="col" className="num" key={l}>
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {provinces.map((p) => (
              <tr key={p.code}>
                <th scope="row">{p.name}</th>
                {LEVELS.map((l) => (
                  <td className="num" key={l}>
                    {p.levels[l] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Tiến độ đợt · Sẵn Sàng' }]
