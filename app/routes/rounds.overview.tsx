import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { countByProvinceAndLevel, countByProvinceAndStatus } from '../models/overview.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'

const STATUSES = ['not_started', 'draft', 'returned', 'submitted', 'verified'] as const
const LEVELS = ['R0', 'R1', 'R2', 'R3', 'R4'] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'overview:view')
  const db = getDb()
  const today = todayInVietnam()
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
    round: { id: round.id, name: round.name, closesOn: round.closes_on },
    // After the close date, anything not submitted or verified is late.
    late: today > round.closes_on,
    provinces: [...provinces.values()],
  }
}

type Province = ReturnType<typeof useLoaderData<typeof loader>>['provinces'][number]

/** The facilities table filtered to a province (and a status or level), where the numbers come from. */
function facilitiesLink(province: string | null, patch: Record<string, string> = {}) {
  const q = new URLSearchParams({ ...(province ? { province } : {}), ...patch })
  const s = q.toString()
  return s ? `/facilities?${s}` : '/facilities'
}

export default function RoundOverviewPage() {
  const { round, provinces, late } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  if (!round) return <p>{t('queue.noRound')}</p>
  const statusTotal = (p: Province) => STATUSES.reduce((a, s) => a + (p.status[s] ?? 0), 0)
  const levelTotal = (p: Province) => LEVELS.reduce((a, l) => a + (p.levels[l] ?? 0), 0)
  // The whole scope as one more row: the same sums, so the totals always agree with the rows.
  const totals: Province = {
    code: '',
    name: t('overview.total'),
    status: Object.fromEntries(
      STATUSES.map((s) => [s, provinces.reduce((a, p) => a + (p.status[s] ?? 0), 0)]),
    ),
    levels: Object.fromEntries(
      LEVELS.map((l) => [l, provinces.reduce((a, p) => a + (p.levels[l] ?? 0), 0)]),
    ),
  }
  const percent = (part: number, whole: number) =>
    whole > 0 ? t('overview.percent', { value: num((100 * part) / whole) }) : ''
  const statusRow = (p: Province, isTotal: boolean) => {
    const n = statusTotal(p)
    const done = (p.status.submitted ?? 0) + (p.status.verified ?? 0)
    const lateCount = late ? n - done : 0
    const province = isTotal ? null : p.code
    return (
      <tr key={p.code || 'total'} className={isTotal ? 'total' : undefined}>
        <th scope="row">
          <Link to={facilitiesLink(province)}>{p.name}</Link>
        </th>
        {STATUSES.map((s) => (
          <td className="num" key={s}>
            <Link
              to={facilitiesLink(province, { status: s })}
              aria-label={t('overview.cellLink', {
                count: p.status[s] ?? 0,
                status: tc(`assessmentStatus.${s}`),
                province: p.name,
              })}
            >
              {num(p.status[s] ?? 0)}
            </Link>{' '}
            <span className="muted">{percent(p.status[s] ?? 0, n)}</span>
          </td>
        ))}
        <td className="num">{num(lateCount)}</td>
        <td className="num">{num(n)}</td>
        <td style={{ width: '16%' }}>
          <div className="bar" style={{ width: `${n ? (100 * done) / n : 0}%` }} />
          <span className="muted">
            {t('overview.done', { done: num(done), total: num(n), percent: percent(done, n) })}
          </span>
        </td>
      </tr>
    )
  }
  const levelRow = (p: Province, isTotal: boolean) => {
    const n = levelTotal(p)
    const province = isTotal ? null : p.code
    return (
      <tr key={p.code || 'total'} className={isTotal ? 'total' : undefined}>
        <th scope="row">
          <Link to={facilitiesLink(province)}>{p.name}</Link>
        </th>
        {LEVELS.map((l) => (
          <td className="num" key={l}>
            <Link
              to={facilitiesLink(province, { level: l })}
              aria-label={t('overview.levelLink', {
                count: p.levels[l] ?? 0,
                level: l,
                province: p.name,
              })}
            >
              {num(p.levels[l] ?? 0)}
            </Link>{' '}
            <span className="muted">{percent(p.levels[l] ?? 0, n)}</span>
          </td>
        ))}
        <td className="num">{num(n)}</td>
      </tr>
    )
  }
  return (
    <>
      <h1>{t('overview.title')}</h1>
      <p>{t('overview.intro', { round: round.name, closes: formatDate(round.closesOn) })}</p>
      <div className="table-scroll">
        <table data-testid="overview-status">
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
              <th scope="col" className="num">
                {t('overview.facilities')}
              </th>
              <th scope="col">{t('overview.progress')}</th>
            </tr>
          </thead>
          <tbody>{provinces.map((p) => statusRow(p, false))}</tbody>
          {provinces.length > 1 ? <tfoot>{statusRow(totals, true)}</tfoot> : null}
        </table>
      </div>
      <div className="table-scroll">
        <table data-testid="overview-level">
          <caption className="muted">{t('overview.byLevel')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('list.province')}</th>
              {LEVELS.map((l) => (
                <th scope="col" className="num" key={l}>
                  {l}
                </th>
              ))}
              <th scope="col" className="num">
                {t('overview.scored')}
              </th>
            </tr>
          </thead>
          <tbody>{provinces.map((p) => levelRow(p, false))}</tbody>
          {provinces.length > 1 ? <tfoot>{levelRow(totals, true)}</tfoot> : null}
        </table>
      </div>
      <RawDataLinks roundId={round.id} />
    </>
  )
}

/** The analysts' files of the round (issue #19), within the reader's scope. */
function RawDataLinks({ roundId }: { roundId: number }) {
  const { t } = useTranslation('api')
  return (
    <section aria-labelledby="raw-data">
      <h2 id="raw-data">{t('downloads.title')}</h2>
      <p>{t('downloads.intro')}</p>
      <ul>
        <li>
          <a href={`/rounds/${roundId}/answers.csv`}>{t('downloads.answersCsv')}</a>
        </li>
        <li>
          <a href={`/rounds/${roundId}/answers.xlsx`}>{t('downloads.answersXlsx')}</a>
        </li>
        <li>
          <a href={`/rounds/${roundId}/codebook.csv`}>{t('downloads.codebook')}</a>
        </li>
      </ul>
    </section>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:overview.title')
