import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { WavePlanView } from '../components/wave-plan-view.tsx'
import { WaveRunDiff } from '../components/wave-run-diff.tsx'
import { notFound, requireRole } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso } from '../utils/time.server.ts'
import { badParams, RunIdSchema, WAVE_VIEWERS } from '../waves/export-route.server.ts'
import { planView } from '../waves/plan-view.server.ts'
import { buildWave } from '../waves/planner.server.ts'
import { diffPlans, loadRun, restrictPlan } from '../waves/runs.server.ts'

const SearchSchema = z.object({ rerun: z.enum(['1']).optional() })
const MOVED_LIMIT = 50

/**
 * A saved run exactly as stored; with `?rerun=1`, also the same parameters on
 * today's data and what changed. Both restricted to the user's scope.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, WAVE_VIEWERS)
  const id = RunIdSchema.safeParse(params)
  if (!id.success) throw notFound()
  const search = SearchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!search.success) throw badParams(search.error.issues)
  const db = getDb()
  const run = await loadRun(db, id.data.runId, user)
  if (!run) throw notFound()
  let diff = null
  if (search.data.rerun) {
    // The run's own scope and resolved parameters (round and model pinned), then the user's view.
    const today = await buildWave(db, run.plan.scope, run.plan.params, nowIso().slice(0, 10))
    if (!('missing' in today)) {
      const d = diffPlans(run.plan, restrictPlan(today.plan, user))
      diff = {
        ...d,
        moved: d.moved.slice(0, MOVED_LIMIT),
        movedCount: d.moved.length,
        appeared: d.appeared.length,
        disappeared: d.disappeared.length,
      }
    }
  }
  return {
    run: {
      id: run.id,
      name: run.name,
      createdAt: run.createdAt,
      createdBy: run.createdByName,
      restricted: user.role === 'province_reviewer',
    },
    plan: planView(run.plan, getLocale(request)),
    diff,
  }
}

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

export const meta: MetaFunction = () => [{ title: 'Lần xếp hạng đã lưu · Sẵn Sàng' }]
