import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data as json, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import * as z from 'zod'
import { RoadmapResult } from '../components/roadmap-result.tsx'
import {
  FieldErrorSummary,
  LinesField,
  MinLevelField,
  RoundAndBasisFields,
  SelectField,
} from '../components/form-fields.tsx'
import { TextField } from '../components/text-field.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { zodMessages } from '../utils/zod-messages.server.ts'
import { requireWaveQuota } from '../waves/rate-limit.server.ts'
import { asksForRoadmap, getRoadmapPage } from '../waves/roadmap-page.server.ts'
import { RoadmapActionSchema, saveScenarioSet } from '../waves/roadmap-scenarios.server.ts'
import { withRoadmapWorker } from '../waves/roadmap-solve.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** Shown as placeholders: a blank field means the default. */
const DEFAULTS: Partial<Record<string, string>> = {
  periods: '4',
  budgetBn: '1300',
  capacity: '130',
  costBn: '10',
  upliftLead: '1',
}

const NUMBER_FIELDS = [
  'periods',
  'budgetBn',
  'capacity',
  'costBn',
  'upliftLead',
  'provinceMin',
  'provinceMax',
  'centralMin',
  'centralMax',
  'provincialMin',
  'provincialMax',
  'basicMin',
  'basicMax',
] as const

/** Labels the planner already words (its `form.*` keys); the roadmap's own are under `roadmap.form`. */
const PLANNER_LABELS = new Set<string>([
  'costBn',
  'provinceMin',
  'provinceMax',
  'centralMin',
  'centralMax',
  'provincialMin',
  'provincialMax',
  'basicMin',
  'basicMax',
  'costs',
  'provinceQuotas',
  'round',
  'basis',
  'minLevel',
])

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'roadmap:view')
  const search = new URL(request.url).searchParams
  // A roadmap solves one schedule per scenario: limited like the planner's exports and jobs.
  if (asksForRoadmap(search)) await requireWaveQuota(request, user.id)
  return withRoadmapWorker(request, () => getRoadmapPage(getDb(), user, search, getLocale(request)))
}

/** Save the scenario set shown (ministry reviewers: national planning). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'roadmap:save')
  const locale = getLocale(request)
  const parsed = RoadmapActionSchema.safeParse(Object.fromEntries(await request.formData()), {
    error: zodMessages(locale),
  })
  if (!parsed.success) {
    return json({ fieldErrors: z.flattenError(parsed.error).fieldErrors, formError: null }, 400)
  }
  await requireWaveQuota(request, user.id)
  const result = await withRoadmapWorker(request, () =>
    saveScenarioSet(getDb(), user, parsed.data, context, locale),
  )
  if (result.ok) return redirect(result.redirect)
  return json({ fieldErrors: {}, formError: result.formError }, result.status)
}

function labelKey(name: string): string {
  return PLANNER_LABELS.has(name) ? `form.${name}` : `roadmap.form.${name}`
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function RoadmapPage() {
  const data = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { t } = useTranslation('waves')
  const { dateTime } = useDateFormat()
  const actionFieldErrors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {}
  const v: Record<string, string> = data.values
  const errors: Record<string, string[] | undefined> = data.fieldErrors
  return (
    <>
      <h1>{t('roadmap.title')}</h1>
      <p>{t('roadmap.intro')}</p>
      <p>
        <Link to="/waves/support">{t('support.link')}</Link>
      </p>
      <FieldErrorSummary
        errors={errors}
        label={(name) => t(labelKey(name), { defaultValue: name })}
      />
      <Form method="get" className="card wave-form">
        <fieldset>
          <legend>{t('roadmap.form.legend')}</legend>
          <div className="grid">
            <RoundAndBasisFields rounds={data.rounds} values={v} errors={errors} />
            <MinLevelField levels={data.levels} value={v.minLevel} errors={errors.minLevel} />
            <SelectField
              name="periodKind"
              label={t('roadmap.form.periodKind')}
              value={v.periodKind ?? 'year'}
              options={[
                { value: 'year', label: t('roadmap.form.year') },
                { value: 'quarter', label: t('roadmap.form.quarter') },
              ]}
              errors={errors.periodKind}
            />
            <TextField
              id="f-start"
              name="start"
              label={t('roadmap.form.start')}
              defaultValue={v.start ?? ''}
              placeholder={t('roadmap.form.startHint')}
              error={errors.start ? errors.start.join('; ') : null}
            />
            {NUMBER_FIELDS.map((name) => (
              <TextField
                key={name}
                id={`f-${name}`}
                name={name}
                label={t(labelKey(name))}
                type="number"
                min={0}
                step={1}
                defaultValue={v[name] ?? ''}
                placeholder={DEFAULTS[name]}
                error={errors[name] ? (errors[name] ?? []).join('; ') : null}
              />
            ))}
            <TextField
              id="f-budgets"
              name="budgets"
              label={t('roadmap.form.budgets')}
              defaultValue={v.budgets ?? ''}
              error={errors.budgets ? errors.budgets.join('; ') : null}
            />
            <SelectField
              name="costMode"
              label={t('roadmap.form.costMode')}
              value={v.costMode ?? 'equal'}
              options={[
                { value: 'equal', label: t('roadmap.form.equal') },
                { value: 'perFacility', label: t('roadmap.form.perFacility') },
              ]}
              errors={errors.costMode}
            />
            <LinesField
              name="costs"
              label={t('form.costs')}
              value={v.costs ?? ''}
              errors={errors.costs}
            />
            <LinesField
              name="provinceQuotas"
              label={t('form.provinceQuotas')}
              value={v.provinceQuotas ?? ''}
              errors={errors.provinceQuotas}
            />
            <div className="field">
              <label>
                <input
                  type="checkbox"
                  name="upliftFromBudget"
                  value="on"
                  defaultChecked={v.upliftFromBudget === 'on'}
                />{' '}
                {t('roadmap.form.upliftFromBudget')}
              </label>
            </div>
          </div>
          <button type="submit">{t('roadmap.form.submit')}</button>
        </fieldset>
      </Form>

      {data.missing ? (
        <p role="alert">{t(`roadmap.missing.${data.missing}`, { defaultValue: data.missing })}</p>
      ) : null}

      {actionData?.formError ? (
        <p className="form-error" role="alert">
          {actionData.formError}
        </p>
      ) : null}

      {data.roadmap && data.canSave ? (
        <section className="card" aria-labelledby="roadmap-save-title">
          <h2 id="roadmap-save-title">{t('roadmap.save.title')}</h2>
          <Form method="post" className="wave-save">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="params" value={data.query} />
            <TextField
              id="f-scenario-name"
              name="name"
              label={t('roadmap.save.name')}
              required
              maxLength={120}
              error={actionFieldErrors.name ? actionFieldErrors.name.join('; ') : null}
            />
            <button type="submit">{t('roadmap.save.submit')}</button>
          </Form>
        </section>
      ) : null}

      {data.roadmap ? <RoadmapResult roadmap={data.roadmap} /> : null}

      <section aria-labelledby="roadmap-saved-title">
        <h2 id="roadmap-saved-title">{t('roadmap.saved.title')}</h2>
        {data.saved.length === 0 ? (
          <p className="muted">{t('roadmap.saved.none')}</p>
        ) : (
          <ul>
            {data.saved.map((s) => (
              <li key={s.id}>
                <Link to={`/waves/roadmap/${s.id}`}>{s.name}</Link>{' '}
                <span className="muted">
                  {s.roundName} · {s.createdBy} · {dateTime(s.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'waves:roadmap.title')
