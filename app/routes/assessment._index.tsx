import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { getAssessmentPage } from '../assessment/page.server.ts'
import { DeadlineNotice } from '../components/deadline-notice.tsx'
import { SubmissionReceipt } from '../components/submission-receipt.tsx'
import type { loader as rootLoader } from '../root.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { useHydrated } from '../utils/use-hydrated.ts'

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
  return getAssessmentPage(getDb(), user, todayInVietnam(), getLocale(request))
}

export default function AssessmentPage() {
  const data = useLoaderData<typeof loader>()
  const root = useRouteLoaderData<typeof rootLoader>('root')
  const { t } = useTranslation('assessment')
  const hydrated = useHydrated()
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
      <DeadlineNotice deadline={data.deadline} nextRound={data.nextRound} />
      {!open ? (
        <p className="notice" role="note" data-testid="round-closed">
          {t('window.closed', { date: formatDate(data.round.closesOn) })} {t('window.readOnly')}
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

export const meta: MetaFunction = () => [{ title: 'Tự đánh giá · Sẵn Sàng' }]
