import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { lazy, Suspense, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { keepFormOffline, servedFromOfflineCopy } from '../assessment/offline-copy.client.ts'
import { getAssessmentPage } from '../assessment/page.server.ts'
import { DeadlineNotice } from '../components/deadline-notice.tsx'
import { SubmissionReceipt } from '../components/submission-receipt.tsx'
import type { loader as rootLoader } from '../root.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate, useDateFormat } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { useHydrated } from '../utils/use-hydrated.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

/**
 * The form (SurveyJS, about three quarters of the page's JavaScript) is its
 * own chunk: the page shell renders and hydrates without it. Its download
 * starts when this module is evaluated, beside the rest of the page's
 * scripts, not after hydration; SurveyJS's stylesheet comes with it, so it
 * does not hold up the first paint either.
 */
const loadForm = () => import('../components/assessment-form.tsx')
if (typeof document !== 'undefined') void loadForm()
const AssessmentForm = lazy(() => loadForm().then((m) => ({ default: m.AssessmentForm })))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
  const page = await getAssessmentPage(getDb(), user, todayInVietnam(), getLocale(request))
  // Shown when the page is opened offline from the copy on the device (public/sw.js).
  return { ...page, renderedAt: nowIso() }
}

export const handle: RouteI18n = { i18n: ['rounds'] }

export default function AssessmentPage() {
  const data = useLoaderData<typeof loader>()
  const root = useRouteLoaderData<typeof rootLoader>('root')
  const { t } = useTranslation('assessment')
  const hydrated = useHydrated()
  const { dateTime } = useDateFormat()
  const [offline, setOffline] = useState(false)
  const [keptOffline, setKeptOffline] = useState(false)
  useEffect(() => {
    // Opened from the copy on the device: say so until the network is back.
    void servedFromOfflineCopy().then((copy) => {
      if (copy) setOffline(true)
      // Once the form's code is here, keep the page and its assets for an offline visit.
      else void loadForm().then(keepFormOffline).then(setKeptOffline)
    })
    const online = () => setOffline(false)
    window.addEventListener('online', online)
    return () => window.removeEventListener('online', online)
  }, [])
  if (!data.round || !data.facility) {
    return (
      <>
        <h1>{t('title')}</h1>
        <p>{t('noRound')}</p>
      </>
    )
  }
  const status = data.assessment?.status
  const open = data.round.window === 'open'
  return (
    <>
      <h1>{t('title')}</h1>
      <p>
        <strong>{data.facility.name}</strong> ({data.facility.code}) —{' '}
        {t('round', { name: data.round.name, closes: formatDate(data.round.closesOn) })}
      </p>
      {offline ? (
        <p className="notice" role="status" data-testid="offline-copy">
          {t('offline.copy', { at: dateTime(data.renderedAt) })}
        </p>
      ) : null}
      <DeadlineNotice deadline={data.deadline} nextRound={data.nextRound} />
      {!open ? (
        <p className="notice" role="note" data-testid="round-closed">
          {/* A closed facility's notice (above) already says why. */}
          {data.deadline.facilityClosedOn
            ? null
            : `${t('window.closed', { date: formatDate(data.round.closesOn) })} `}
          {t('window.readOnly')}
        </p>
      ) : null}
      {status === 'submitted' || status === 'verified' ? (
        <p className="notice" role="note">
          {status === 'submitted'
            ? t('readOnly.submitted', {
                date: data.assessment?.submittedAt ? formatDate(data.assessment.submittedAt) : '',
              })
            : t('readOnly.verified')}{' '}
          <Link to="/results">{t('viewResults')}</Link>
        </p>
      ) : null}
      {status === 'returned' && open ? (
        <p className="notice" role="note">
          {t('readOnly.returned')}
        </p>
      ) : null}
      {data.receipt ? <SubmissionReceipt receipt={data.receipt} /> : null}
      <p className="muted">{t('history')}</p>
      {keptOffline ? (
        <p className="muted" data-testid="kept-offline">
          {t('offline.kept')}
        </p>
      ) : null}
      <p className="no-print">
        {t('print.copies')} <Link to="/assessment/print">{t('print.linkResponse')}</Link> ·{' '}
        <Link to="/assessment/blank">{t('print.linkBlank')}</Link>
      </p>
      {hydrated ? (
        <Suspense fallback={<p aria-busy="true">{t('loadingForm')}</p>}>
          <AssessmentForm
            roundId={data.round.id}
            roundOpen={open}
            facilityId={data.facility.id}
            questionnaire={data.questionnaire}
            locale={root?.locale ?? 'vi'}
            assessment={data.assessment}
            evidenceItems={[...data.evidenceItems]}
            evidence={data.evidence}
            comments={data.comments}
            canSubmit={data.canSubmit}
          />
        </Suspense>
      ) : (
        <p aria-busy="true">{t('loadingForm')}</p>
      )}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment:title')
