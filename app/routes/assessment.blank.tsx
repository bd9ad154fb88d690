import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getBlankForm } from '../assessment/print.server.ts'
import { PrintableCopy } from '../components/printable-copy.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { formatDate } from '../utils/date-format.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

/**
 * The current round's blank form, for preparing answers on paper. Every
 * signed-in user may print it: province reviewers hand it out too.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'account:self')
  return { form: await getBlankForm(getDb(), todayInVietnam(), getLocale(request)) }
}

export const handle: RouteI18n = { i18n: [] }

export default function BlankFormPage() {
  const { form } = useLoaderData<typeof loader>()
  const { t } = useTranslation('assessment')
  if (!form) {
    return (
      <>
        <h1>{t('print.blankTitle')}</h1>
        <p>{t('noRound')}</p>
      </>
    )
  }
  return (
    <article className="print-sheet">
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </p>
      <h1>{t('print.blankTitle')}</h1>
      <dl className="print-meta">
        <dt>{t('print.round')}</dt>
        <dd>
          {form.round.name} · {t('print.closes', { date: formatDate(form.round.closesOn) })}
        </dd>
        <dt>{t('print.questionnaire')}</dt>
        <dd>{form.questionnaireVersion}</dd>
        <dt>{t('print.facilityLine')}</dt>
        <dd className="print-lines print-lines-short" />
      </dl>
      <p className="muted">{t('print.blankIntro')}</p>
      <p className="no-print">
        <Link to="/">{t('print.home')}</Link>
      </p>
      <PrintableCopy pages={form.pages} blank />
    </article>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'assessment:print.blankTitle')
