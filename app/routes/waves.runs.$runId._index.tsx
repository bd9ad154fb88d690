import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { SupportSpentSection } from '../components/support-spent-section.tsx'
import { WavePlanView } from '../components/wave-plan-view.tsx'
import { WaveRunDiff } from '../components/wave-run-diff.tsx'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { badParams, RunIdSchema } from '../waves/export-route.server.ts'
import { getRunPage } from '../waves/runs.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import type { RouteI18n } from '../i18n.ts'

const SearchSchema = z.object({ rerun: z.enum(['1']).optional() })
/**
 * A saved run exactly as stored; with `?rerun=1`, also the same parameters on
 * today's data and what changed. Both restricted to the user's scope.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'waves:view')
  const id = RunIdSchema.safeParse(params)
  if (!id.success) throw notFound()
  const search = SearchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!search.success) throw badParams(search.error.issues)
  const page = await getRunPage(getDb(), user, {
    runId: id.data.runId,
    rerun: search.data.rerun === '1',
    locale: getLocale(request),
  })
  if (!page) throw notFound()
  return page
}

export const handle: RouteI18n = { i18n: ['api', 'methodology', 'waves'] }

export default function WaveRunPage() {
  const { run, plan, diff } = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  const base = `/waves/runs/${run.id}`
  return (
    <>
      <h1>{run.name}</h1>
      <p className="muted">
        {t('runs.meta', {
          createdAt: `${run.createdAt.slice(0, 19).replace('T', ' ')} UTC`,
          createdBy: run.createdBy,
          seed: plan.params.seed,
          hash: plan.inputHash,
        })}
      </p>
      {run.restricted ? <p className="notice">{t('runs.restricted')}</p> : null}
      <p>
        <Link to="/waves/runs">{t('runs.all')}</Link> ·{' '}
        {diff ? (
          <Link to={base}>{t('runs.hideRerun')}</Link>
        ) : (
          <Link to={`${base}?rerun=1`}>{t('runs.rerun')}</Link>
        )}
      </p>
      {diff ? <WaveRunDiff diff={diff} /> : null}
      {plan.supportSpent ? (
        <SupportSpentSection support={plan.supportSpent} level={plan.params.minLevel} />
      ) : null}
      <WavePlanView
        plan={plan}
        exportLinks={{
          csv: `${base}/export.csv`,
          xlsx: `${base}/export.xlsx`,
          json: `/api/v1/waves/runs/${run.id}`,
        }}
      />
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'common:titles.savedRun')
