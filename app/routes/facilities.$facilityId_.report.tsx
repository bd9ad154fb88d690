import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { getResultsPage } from '../assessment/results.server.ts'
import { FacilityReport } from '../components/facility-report.tsx'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { isDemoDatabase } from '../models/deployment.server.ts'
import { getFacilityDetails } from '../models/facility.server.ts'
import { notFound, requireFacilityAccess, requireUser } from '../utils/auth.server.ts'
import { can } from '../utils/permissions.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso } from '../utils/time.server.ts'
import reportCss from '../waves/facility-report.css?url'
import { pageTitle } from '../utils/page-title.ts'

const ParamsSchema = z.object({ facilityId: z.coerce.number().int().positive() })

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: reportCss }]

/**
 * The printable one-page report of a facility's latest score. Same scope as
 * the facility itself: a director may print their own; others get 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request)
  const parsed = ParamsSchema.safeParse(params)
  if (!parsed.success) throw notFound()
  const { user } = await requireFacilityAccess(request, parsed.data.facilityId)
  const db = getDb()
  const locale = getLocale(request)
  const t = getI18n(locale).t
  const [page, details] = await Promise.all([
    getResultsPage(db, parsed.data.facilityId, locale, t('results:empty')),
    getFacilityDetails(db, parsed.data.facilityId),
  ])
  if (!page || !details) throw notFound()
  const generatedAt = nowIso()
  await writeAudit(db, {
    at: generatedAt,
    actorId: user.id,
    action: 'facility.report',
    entityType: 'facility',
    entityId: details.id,
    facilityId: details.id,
    detail: { round: page.current?.roundName ?? null, basis: page.current?.basis ?? null },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  return {
    facility: {
      id: details.id,
      name: details.name,
      code: details.code,
      tierLabel: t(`common:tiers.${details.tier}`),
      province: locale === 'en' ? details.province_name_en : details.province_name,
    },
    current: page.current,
    generatedAt,
    backHref: can(user, 'results:view') ? '/results' : `/facilities/${details.id}`,
    demo: await isDemoDatabase(db),
  }
}

function PrintButton() {
  const { t } = useTranslation('waves')
  return (
    <button type="button" onClick={() => window.print()}>
      {t('report.print')}
    </button>
  )
}

export const handle: RouteI18n = { i18n: ['results', 'waves'] }

export default function FacilityReportPage() {
  const { facility, current, generatedAt, demo, backHref } = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  return (
    <>
      <div className="no-print">
        <p>
          <Link to={backHref}>{t('report.back')}</Link>
        </p>
        <p className="muted">{t('report.howToPdf')}</p>
        {current ? <PrintButton /> : null}
      </div>
      {current ? (
        <FacilityReport
          facility={facility}
          current={current}
          generatedAt={generatedAt}
          demo={demo}
        />
      ) : (
        <>
          <h1>{t('report.title', { name: facility.name })}</h1>
          <p>{t('report.noScore')}</p>
        </>
      )}
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, 'common:titles.report', data?.facility.code)
