import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import surveyCss from 'survey-core/survey-core.fontless.min.css?url'
import { getAssessmentPage } from '../assessment/page.server.ts'
import { AssessmentForm } from '../components/assessment-form.tsx'
import type { loader as rootLoader } from '../root.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { useHydrated } from '../utils/use-hydrated.ts'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: surveyCss }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
  return getAssessmentPage(getDb(), user, todayInVietnam())
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
      <p className="muted">{t('history')}</p>
      {hydrated ? (
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
        />
      ) : (
        <p aria-busy="true">{t('loadingForm')}</p>
      )}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Tự đánh giá · Sẵn Sàng' }]
