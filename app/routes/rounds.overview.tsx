import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getI18n, type RouteI18n } from '../i18n.ts'
import {
  OVERVIEW_LEVELS as LEVELS,
  OVERVIEW_STATUSES as STATUSES,
  type OverviewRow,
} from '../review/round-overview.ts'
import { roundOverview } from '../review/round-overview.server.ts'
import { facilityFilterFor, requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { todayInVietnam } from '../utils/time.server.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'overview:view')
  const t = getI18n(getLocale(request)).t
  return roundOverview(
    getDb(),
    facilityFilterFor(user),
    todayInVietnam(),
    t('review:overview.total'),
  )
}

/** The facilities table filtered to a province (and a status or level), where the numbers come from. */
function facilitiesLink(province: string | null, patch: Record<string, string> = {}) {
  const q = new URLSearchParams({ ...(province ? { province } : {}), ...patch })
  const s = q.toString()
  return s ? `/facilities?${s}` : '/facilities'
}

export const handle: RouteI18n = { i18n: ['api', 'review'] }

export default function RoundOverviewPage() {
  const overview = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { num } = useNumberFormat()
  if (!overview) return <p>{t('queue.noRound')}</p>
  const { round, provinces, total } = overview
  const percent = (part: number, whole: number) =>
    whole > 0 ? t('overview.percent', { value: num((100 * part) / whole) }) : ''
  const statusRow = (p: OverviewRow, isTotal: boolean) => {
    const n = p.facilities
    const province = p.code
    return (
      <tr key={p.code ?? 'total'} className={isTotal ? 'total' : undefined}>
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
        <td className="num">{num(p.late)}</td>
        <td className="num">{num(n)}</td>
        <td style={{ width: '16%' }}>
          <div className="bar" style={{ width: `${n ? (100 * p.done) / n : 0}%` }} />
          <span className="muted">
            {t('overview.done', { done: num(p.done), total: num(n), percent: percent(p.done, n) })}
          </span>
        </td>
      </tr>
    )
  }
  const levelRow = (p: OverviewRow, isTotal: boolean) => {
    const n = p.scored
    const province = p.code
    return (
      <tr key={p.code ?? 'total'} className={isTotal ? 'total' : undefined}>
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
      <p>
        <a href="/rounds/overview/export.csv" download>
          {t('listExport.exportCsv')}
        </a>
        {' · '}
        <a href="/rounds/overview/export.xlsx" download>
          {t('listExport.exportXlsx')}
        </a>
      </p>
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
          {total ? <tfoot>{statusRow(total, true)}</tfoot> : null}
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
          {total ? <tfoot>{levelRow(total, true)}</tfoot> : null}
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
