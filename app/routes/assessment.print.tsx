import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getPrintableResponse } from '../assessment/print.server.ts'
import { PrintableCopy } from '../components/printable-copy.tsx'
import { SubmissionReceipt } from '../components/submission-receipt.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate, formatDateTime } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

/** The facility's own copy of its response, to print or save as PDF. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'assessment:edit')
  return { copy: await getPrintableResponse(getDb(), user, todayInVietnam(), getLocale(request)) }
}

export const handle: RouteI18n = { i18n: [] }

export default function PrintResponsePage() {
  const { copy } = useLoaderData<typeof loader>()
  const { t, i18n } = useTranslation('assessment')
  if (!copy) {
    return (
      <>
        <h1>{t('print.title')}</h1>
        <p>{t('noRound')}</p>
      </>
    )
  }
  return (
    <article className="print-sheet">
      <p className="no-print">
        <Link to="/assessment">{t('print.back')}</Link> ·{' '}
        <button type="button" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </p>
      <h1>{t('print.title')}</h1>
      <p>
        <strong>{copy.facility.name}</strong> ({copy.facility.code})
      </p>
      <dl className="print-meta">
        <dt>{t('print.round')}</dt>
        <dd>
          {copy.round.name} · {t('print.closes', { date: formatDate(copy.round.closesOn) })}
        </dd>
        <dt>{t('print.statusLabel')}</dt>
        <dd data-testid="print-status">
          {t(`common:assessmentStatus.${copy.status ?? 'not_started'}`)}
          {copy.updatedAt
            ? ` · ${t('print.updated', { at: formatDateTime(copy.updatedAt, i18n.language), version: copy.version })}`
            : ''}
        </dd>
        <dt>{t('print.questionnaire')}</dt>
        <dd>{copy.questionnaireVersion}</dd>
      </dl>
      {copy.receipt ? <SubmissionReceipt receipt={copy.receipt} /> : null}
      <PrintableCopy pages={copy.pages} blank={false} />
    </article>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment:print.title')
