import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { FieldErrorSummary, LinesField, MinLevelField } from '../components/form-fields.tsx'
import { SupportSpentSection } from '../components/support-spent-section.tsx'
import { WavePlanView } from '../components/wave-plan-view.tsx'
import { TextField } from '../components/text-field.tsx'
import { WaveRobustnessProgress } from '../components/wave-robustness-progress.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { zodMessages } from '../utils/zod-messages.server.ts'
import type { WaveParams } from '../waves/wave-params.server.ts'
import {
  getPlannerPage,
  PlannerActionSchema,
  runPlannerAction,
} from '../waves/planner-page.server.ts'
import { requireWaveQuota } from '../waves/rate-limit.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useDateFormat } from '../utils/date-format.ts'
import type { RouteI18n } from '../i18n.ts'

/** Shown as placeholders: a blank field means the default. */
const DEFAULTS: Partial<Record<string, string>> = {
  wReadiness: '0.6',
  wNeed: '0.25',
  wFeasibility: '0.15',
  capacity: '130',
  budgetBn: '1300',
  costBn: '10',
  seed: '2026',
  draws: '2000',
}

const LINE_FIELDS = ['costs', 'provinceQuotas'] as const

const NUMBER_FIELDS = [
  'wReadiness',
  'wNeed',
  'wFeasibility',
  'capacity',
  'budgetBn',
  'costBn',
  'supportBn',
  'provinceMin',
  'provinceMax',
  'centralMin',
  'centralMax',
  'provincialMin',
  'provincialMax',
  'basicMin',
  'basicMax',
  'seed',
  'draws',
] as const

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'waves:view')
  return getPlannerPage(getDb(), user, new URL(request.url).searchParams, getLocale(request))
}

/** Save a run, or start a robustness job; both for planners only. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'waves:plan')
  const locale = getLocale(request)
  const parsed = PlannerActionSchema.safeParse(Object.fromEntries(await request.formData()), {
    error: zodMessages(locale),
  })
  if (!parsed.success) {
    return data({ fieldErrors: z.flattenError(parsed.error).fieldErrors, formError: null }, 400)
  }
  await requireWaveQuota(request, user.id)
  const result = await runPlannerAction(getDb(), user, parsed.data, context, locale)
  if (result.ok) return redirect(result.redirect)
  return data({ fieldErrors: {}, formError: result.formError }, result.status)
}

function Field({
  name,
  label,
  values,
  errors,
}: {
  name: string
  label: string
  values: Record<string, string>
  errors: string[] | undefined
}) {
  return (
    <TextField
      id={`f-${name}`}
      name={name}
      label={label}
      type="number"
      min={0}
      step="any"
      defaultValue={values[name] ?? ''}
      placeholder={DEFAULTS[name]}
      error={errors ? errors.join('; ') : null}
    />
  )
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function WavesPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('waves')
  const { dateTime } = useDateFormat()
  const location = useLocation()
  const v = data.values
  const plan = data.plan
  const errors: Record<string, string[] | undefined> = data.fieldErrors
  const query = location.search
  const paramsOnly = new URLSearchParams(data.query)
  paramsOnly.delete('job')
  const actionError = actionData?.formError
  const actionFieldErrors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {}
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {data.canPlan ? null : <p className="notice">{t('readOnly')}</p>}
      <p>
        <Link to="/waves/runs">{t('runs.all')}</Link>
        {data.canRoadmap ? (
          <>
            {' · '}
            <Link to="/waves/roadmap">{t('roadmap.title')}</Link>
            {' · '}
            <Link to="/waves/support">{t('support.link')}</Link>
          </>
        ) : null}
      </p>
      <FieldErrorSummary
        errors={errors}
        label={(name) => t(`form.${name as keyof WaveParams}`, { defaultValue: name })}
      />
      <Form method="get" className="card wave-form">
        <fieldset>
          <legend>{t('form.legend')}</legend>
          <div className="grid">
            <div className="field">
              <label htmlFor="f-round">{t('form.round')}</label>
              <select id="f-round" name="round" defaultValue={v.round ?? ''}>
                <option value="">{t('form.currentRound')}</option>
                {data.rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-model">{t('form.model')}</label>
              <select id="f-model" name="model" defaultValue={v.model ?? ''}>
                <option value="">{t('form.roundModel')}</option>
                {data.models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.model_id} {m.version}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-basis">{t('form.basis')}</label>
              <select id="f-basis" name="basis" defaultValue={v.basis ?? 'declared'}>
                <option value="declared">{t('form.declared')}</option>
                <option value="verified">{t('form.verified')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-objective">{t('form.objective')}</label>
              <select id="f-objective" name="objective" defaultValue={v.objective ?? 'readiness'}>
                <option value="readiness">{t('form.readiness')}</option>
                <option value="weighted">{t('form.weighted')}</option>
              </select>
            </div>
            <MinLevelField levels={data.levels} value={v.minLevel} errors={errors.minLevel} />
            {NUMBER_FIELDS.map((name) => (
              <Field
                key={name}
                name={name}
                label={t(`form.${name}`)}
                values={v}
                errors={errors[name]}
              />
            ))}
            {LINE_FIELDS.map((name) => (
              <LinesField
                key={name}
                name={name}
                label={t(`form.${name}`)}
                value={v[name] ?? ''}
                errors={errors[name]}
              />
            ))}
          </div>
          <button type="submit">{t('form.submit')}</button>
        </fieldset>
      </Form>

      {data.missing ? <p role="alert">{t(`errors.missing.${data.missing}`)}</p> : null}
      {actionError ? (
        <p className="form-error" role="alert">
          {t(`errors.action.${actionError}`, { defaultValue: actionError })}
        </p>
      ) : null}

      {plan ? (
        <>
          {data.job ? (
            <WaveRobustnessProgress
              key={`${data.job.id}-${data.job.status}`}
              job={data.job}
              refreshHref={`/waves${query}`}
            />
          ) : null}
          {plan.supportSpent ? (
            <SupportSpentSection support={plan.supportSpent} level={plan.params.minLevel} />
          ) : null}
          <WavePlanView
            plan={plan}
            exportLinks={{
              csv: `/waves/export.csv${query}`,
              xlsx: `/waves/export.xlsx${query}`,
              json: `/api/v1/waves${query}`,
            }}
          />
          {data.canPlan && plan.result.feasible ? (
            <section className="card" aria-labelledby="actions-title">
              <h2 id="actions-title">{t('actions.title')}</h2>
              {plan.robustness ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="robustness" />
                  <input type="hidden" name="params" value={paramsOnly.toString()} />
                  <p className="muted">{t('robustness.intro', { draws: plan.params.draws })}</p>
                  <button type="submit">{t('robustness.start')}</button>
                </Form>
              )}
              <Form method="post" className="wave-save">
                <input type="hidden" name="intent" value="save" />
                <input type="hidden" name="params" value={paramsOnly.toString()} />
                {data.job && plan.robustness ? (
                  <input type="hidden" name="job" value={data.job.id} />
                ) : null}
                <TextField
                  id="f-run-name"
                  name="name"
                  label={t('runs.name')}
                  required
                  maxLength={120}
                  error={actionFieldErrors.name ? actionFieldErrors.name.join('; ') : null}
                />
                <button type="submit">{t('runs.save')}</button>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}

      {data.runs.length > 0 ? (
        <section aria-labelledby="recent-runs-title">
          <h2 id="recent-runs-title">{t('runs.recent')}</h2>
          <ul>
            {data.runs.map((r) => (
              <li key={r.id}>
                <Link to={`/waves/runs/${r.id}`}>{r.name}</Link>{' '}
                <span className="muted">
                  {r.roundName} · {dateTime(r.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'waves:title')
