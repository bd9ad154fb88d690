import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getFacilityRollout } from '../rollout/facility-rollout.server.ts'
import { requireUser } from '../utils/auth.server.ts'
import { can } from '../utils/permissions.ts'
import { getDb } from '../utils/db.server.ts'
import { getHomeData } from '../utils/home.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { DeadlineNotice } from '../components/deadline-notice.tsx'
import { MilestoneHistory, NextStepText } from '../components/milestone-history.tsx'
import { formatDate, useDateFormat } from '../utils/date-format.ts'
import type { RouteI18n } from '../i18n.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = getDb()
  const today = todayInVietnam()
  const [home, rollout] = await Promise.all([
    getHomeData(db, user, today),
    can(user, 'rollout:propose') && user.facilityId !== null
      ? getFacilityRollout(db, user.facilityId, today)
      : null,
  ])
  return {
    user: { displayName: user.displayName, role: user.role },
    home,
    // Only a facility of an adopted wave has a rollout to follow.
    rollout: rollout?.wave ? { ...rollout, wave: rollout.wave } : null,
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

/** The director's rollout: the wave, the next step to report and every milestone reported. */
function FacilityRollout({ rollout }: { rollout: NonNullable<LoaderData['rollout']> }) {
  const { t } = useTranslation('rollout')
  const { date } = useDateFormat()
  const next = rollout.next
  return (
    <section className="card" aria-labelledby="rollout-title" data-testid="home-rollout">
      <h2 id="rollout-title">{t('home.title')}</h2>
      <p>
        {t('facility.wave', { name: rollout.wave.name, date: date(rollout.wave.targetGoLive) })}
      </p>
      {next ? (
        <p className={next.overdue ? 'notice' : undefined} data-testid="home-next-step">
          <NextStepText next={next} />
        </p>
      ) : (
        <p data-testid="home-next-step">{t('home.allReported')}</p>
      )}
      <MilestoneHistory milestones={rollout.milestones} details={false} />
      <p className="actions">
        <Link className="button" to="/rollout/facility">
          {t('home.open')}
        </Link>
      </p>
    </section>
  )
}

function Bars({
  rows,
  label,
}: {
  rows: Array<{ key: string; label: string; count: number }>
  label: string
}) {
  const { t } = useTranslation()
  const max = Math.max(1, ...rows.map((r) => r.count))
  return (
    <table>
      <caption className="muted">{label}</caption>
      <thead>
        <tr>
          <th scope="col">{t('home.status')}</th>
          <th scope="col" className="num">
            {t('home.count')}
          </th>
          <th scope="col" aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td className="num">{r.count}</td>
            <td style={{ width: '40%' }} aria-hidden="true">
              <div className="bar" style={{ width: `${(100 * r.count) / max}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function Home() {
  const { user, home, rollout } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation()
  const en = i18n.language === 'en'
  return (
    <>
      <h1>{t('home.welcome', { name: user.displayName })}</h1>
      <section className="card" aria-labelledby="round-title">
        <h2 id="round-title">{t('home.currentRound')}</h2>
        {home.round ? (
          <p>
            <strong>{home.round.name}</strong> —{' '}
            {t('home.roundDates', {
              opens: formatDate(home.round.opens_on),
              closes: formatDate(home.round.closes_on),
            })}
          </p>
        ) : (
          <p>{t('home.noRound')}</p>
        )}
        {home.kind === 'facility' && home.deadline ? (
          <DeadlineNotice deadline={home.deadline} nextRound={home.nextRound} />
        ) : null}
      </section>
      {home.kind === 'facility' && home.facility ? (
        <section className="card" aria-labelledby="facility-title">
          <h2 id="facility-title">{t('home.yourFacility')}</h2>
          <p>
            <strong>{home.facility.name}</strong> ({home.facility.code}) —{' '}
            {en ? home.facility.province_name_en : home.facility.province_name}
          </p>
          <p>
            {t('home.assessmentStatus')}:{' '}
            <span className="badge">{t(`assessmentStatus.${home.assessmentStatus}`)}</span>
          </p>
          {home.assessmentStatus === 'returned' ? (
            <div className="notice" role="status" data-testid="returned-notice">
              <p>
                <strong>{t('home.returned', { count: home.comments.length })}</strong>
              </p>
              <ul>
                {home.comments.map((c) => (
                  <li key={c.id}>
                    {c.body} <span className="muted">— {c.author}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <p className="actions">
            <Link className="button" to="/assessment">
              {t('home.openAssessment')}
            </Link>{' '}
            <Link to="/results">{t('home.openResults')}</Link> ·{' '}
            <Link to={`/facilities/${home.facility.id}`}>{t('home.openFacility')}</Link>
          </p>
        </section>
      ) : null}
      {rollout ? <FacilityRollout rollout={rollout} /> : null}
      {home.kind === 'scope' ? (
        <section className="card" aria-labelledby="scope-title">
          <h2 id="scope-title">{t('home.facilitiesInScope')}</h2>
          {(user.role === 'province_reviewer' || user.role === 'ministry_reviewer') &&
          (home.byStatus.find((r) => r.status === 'submitted')?.count ?? 0) > 0 ? (
            <p className="notice" role="status" data-testid="review-notice">
              <Link to="/review">
                {t('home.waitingReview', {
                  count: home.byStatus.find((r) => r.status === 'submitted')?.count ?? 0,
                })}
              </Link>
            </p>
          ) : null}
          <p>
            {home.province
              ? t('home.scopeProvince', {
                  province: en ? home.province.full_name_en : home.province.full_name,
                })
              : t('home.scopeAll')}
          </p>
          <div className="grid">
            <Bars
              label={t('home.byTier')}
              rows={home.byTier.map((r) => ({
                key: r.tier,
                label: t(`tiers.${r.tier}`),
                count: r.count,
              }))}
            />
            {home.byStatus.length > 0 ? (
              <Bars
                label={t('home.byStatus')}
                rows={home.byStatus.map((r) => ({
                  key: r.status,
                  label: t(`assessmentStatus.${r.status}`),
                  count: r.count,
                }))}
              />
            ) : null}
          </div>
        </section>
      ) : null}
      {home.kind === 'scope' && home.system ? (
        <section className="card" aria-labelledby="system-title">
          <h2 id="system-title">{t('home.adminSummary')}</h2>
          <dl className="facts">
            <dt>{t('home.users')}</dt>
            <dd>{home.system.users}</dd>
            <dt>{t('home.facilities')}</dt>
            <dd>{home.system.facilities}</dd>
            <dt>{t('home.provinces')}</dt>
            <dd>{home.system.provinces}</dd>
          </dl>
          {can(user, 'users:manage') ? (
            <p className="actions">
              <Link className="button" to="/admin/users">
                {t('home.manageUsers')}
              </Link>{' '}
              <Link to="/admin/users/new">{t('home.newUser')}</Link> ·{' '}
              <Link to="/admin/users/import">{t('home.importUsers')}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:nav.home')
