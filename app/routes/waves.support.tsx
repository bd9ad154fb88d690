import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import {
  FieldErrorSummary,
  MinLevelField,
  RoundAndBasisFields,
  SelectField,
} from '../components/form-fields.tsx'
import { SupportChart } from '../components/support-chart.tsx'
import { TextField } from '../components/text-field.tsx'
import { requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { requireWaveQuota } from '../waves/rate-limit.server.ts'
import { missReasonText } from '../waves/roadmap-reasons.ts'
import { getSupportPage } from '../waves/support-page.server.ts'
import type { RouteI18n } from '../i18n.ts'

/** The labels of the planner's fields this page reads (its `form.*` keys); the page's own are under `support.form`. */
const PLANNER_LABELS = new Set(['round', 'basis', 'minLevel'])

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'roadmap:view')
  // Every view computes uplifts for the scope: limited like the roadmap and the planner's exports.
  await requireWaveQuota(request, user.id)
  return getSupportPage(getDb(), user, new URL(request.url).searchParams, getLocale(request))
}

function labelKey(name: string): string {
  return PLANNER_LABELS.has(name) ? `form.${name}` : `support.form.${name}`
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>
type Support = NonNullable<Loaded['support']>
type Detail = NonNullable<Support['detail']>

function Provinces({ support, values }: { support: Support; values: Record<string, string> }) {
  const { t } = useTranslation('waves')
  const { num, bn } = useNumberFormat()
  const level = support.minLevel
  const linkTo = (code: string) => {
    const search = new URLSearchParams(values)
    search.set('province', code)
    return `/waves/support?${search.toString()}`
  }
  return (
    <section className="card" aria-labelledby="support-provinces-title">
      <h2 id="support-provinces-title">{t('support.provinces.title')}</h2>
      {support.detail ? null : <p>{t('support.provinces.choose')}</p>}
      {/* Wide tables scroll on a tablet: a keyboard must reach the region (axe). */}
      <div
        className="table-scroll"
        tabIndex={0}
        role="region"
        aria-label={t('support.provinces.title')}
      >
        <table data-testid="support-provinces">
          <thead>
            <tr>
              <th scope="col">{t('support.provinces.province')}</th>
              <th scope="col">{t('support.provinces.facilities')}</th>
              <th scope="col">{t('support.provinces.atLevel', { level })}</th>
              <th scope="col">{t('support.provinces.onCurve')}</th>
              <th scope="col">{t('support.provinces.unreachable')}</th>
              <th scope="col">{t('support.provinces.notEligible')}</th>
              <th scope="col">{t('support.provinces.total')}</th>
              {support.budgetVnd === null ? null : (
                <th scope="col">
                  {t('support.provinces.liftedBy', { budget: bn(support.budgetVnd) })}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {support.provinces.map((p) => (
              <tr key={p.code}>
                <th scope="row">
                  {support.detail ? p.name : <Link to={linkTo(p.code)}>{p.name}</Link>}
                </th>
                <td>{num(p.facilities)}</td>
                <td>{num(p.atLevel)}</td>
                <td>{num(p.onCurve)}</td>
                <td>{num(p.unreachable)}</td>
                <td>{num(p.notEligible)}</td>
                <td>{bn(p.totalVnd)}</td>
                {p.budget === null ? null : <td>{num(p.budget.lifted)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function Curve({ detail, support }: { detail: Detail; support: Support }) {
  const { t } = useTranslation('waves')
  const { date } = useDateFormat()
  const { num, bn } = useNumberFormat()
  const level = support.minLevel
  const last = detail.steps.at(-1)
  return (
    <section className="card" aria-labelledby="support-curve-title">
      <h2 id="support-curve-title">{t('support.curve.title', { province: detail.name })}</h2>
      <p data-testid="support-lead">
        {last
          ? t('support.curve.lead', {
              total: bn(last.cumulativeVnd),
              count: num(last.lifted),
              province: detail.name,
              level,
            })
          : t('support.curve.none', { province: detail.name, level })}
      </p>
      {detail.budget !== null && support.budgetVnd !== null ? (
        <p data-testid="support-budget">
          <strong>
            {t('support.curve.budget', {
              budget: bn(support.budgetVnd),
              count: num(detail.budget.lifted),
              level,
              spent: bn(detail.budget.spentVnd),
              left: bn(support.budgetVnd - detail.budget.spentVnd),
            })}
          </strong>
        </p>
      ) : null}
      {detail.steps.length > 0 ? (
        <>
          <SupportChart
            label={t('support.curve.chart')}
            seriesName={t('support.curve.series')}
            points={detail.steps.map((s) => ({
              bn: s.cumulativeVnd / 1_000_000_000,
              lifted: s.lifted,
            }))}
            formatBn={(v) => bn(v * 1_000_000_000)}
            formatCount={(n) => num(n)}
          />
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('support.curve.table')}
          >
            <table data-testid="support-curve">
              <caption>{t('support.curve.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('support.curve.lifted')}</th>
                  <th scope="col">{t('support.curve.cumulative')}</th>
                  <th scope="col">{t('support.curve.code')}</th>
                  <th scope="col">{t('support.curve.name')}</th>
                  <th scope="col">{t('support.curve.level')}</th>
                  <th scope="col">{t('support.curve.cost')}</th>
                  <th scope="col">{t('support.curve.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.steps.map((s) => (
                  <tr key={s.code}>
                    <td>{num(s.lifted)}</td>
                    <td>{bn(s.cumulativeVnd)}</td>
                    <td>{s.code}</td>
                    <td>{s.name}</td>
                    <td>{s.levelId}</td>
                    <td>
                      {bn(s.costVnd)}
                      {s.exact ? null : ` (${t('support.curve.inexact')})`}
                    </td>
                    <td>{s.actions.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h3>{t('support.unreachable.title', { level, count: num(detail.unreachable.length) })}</h3>
      <p className="muted">{t('support.unreachable.intro')}</p>
      {detail.unreachable.length === 0 ? (
        <p>{t('support.none')}</p>
      ) : (
        <ul data-testid="support-unreachable">
          {detail.unreachable.map((f) => (
            <li key={f.facilityId}>
              {f.code} · {f.name} ({f.levelId})
            </li>
          ))}
        </ul>
      )}
      <h3>{t('support.notEligible.title', { count: num(detail.notEligible.length) })}</h3>
      <p className="muted">{t('support.notEligible.intro')}</p>
      {detail.notEligible.length === 0 ? (
        <p>{t('support.none')}</p>
      ) : (
        <ul data-testid="support-not-eligible">
          {detail.notEligible.map((f) => (
            <li key={f.facilityId}>
              {f.code} · {f.name} ({f.levelId}):{' '}
              {missReasonText({ kind: 'notEligible', exclusions: f.exclusions }, t, date)}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export const handle: RouteI18n = { i18n: ['waves'] }

export default function SupportPage() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  const v: Record<string, string> = data.values
  const errors: Record<string, string[] | undefined> = data.fieldErrors
  const support = data.support
  return (
    <>
      <h1>{t('support.title')}</h1>
      <p>{t('support.intro')}</p>
      <p>
        <Link to="/waves/roadmap">{t('roadmap.title')}</Link>
        {' · '}
        <Link to="/waves">{t('title')}</Link>
      </p>
      <FieldErrorSummary
        errors={errors}
        label={(name) => t(labelKey(name), { defaultValue: name })}
      />
      <Form method="get" className="card wave-form">
        <fieldset>
          <legend>{t('support.form.legend')}</legend>
          <div className="grid">
            <RoundAndBasisFields rounds={data.rounds} values={v} errors={errors} />
            <MinLevelField levels={data.levels} value={v.minLevel} errors={errors.minLevel} />
            {data.ownProvince ? (
              <p className="field">
                {t('support.form.ownProvince', { name: data.ownProvince.name })}
              </p>
            ) : (
              <SelectField
                name="province"
                label={t('support.form.province')}
                value={v.province ?? ''}
                options={[
                  { value: '', label: t('support.form.allProvinces') },
                  ...data.provinces.map((p) => ({ value: p.code, label: p.name })),
                ]}
                errors={errors.province}
              />
            )}
            <TextField
              id="f-supportBn"
              name="supportBn"
              label={t('support.form.supportBn')}
              type="number"
              min={0}
              step={0.001}
              defaultValue={v.supportBn ?? ''}
              placeholder={t('support.form.supportBnHint')}
              error={errors.supportBn ? errors.supportBn.join('; ') : null}
            />
          </div>
          <button type="submit">{t('support.form.submit')}</button>
        </fieldset>
      </Form>

      {data.missing ? (
        <p role="alert">{t(`roadmap.missing.${data.missing}`, { defaultValue: data.missing })}</p>
      ) : null}

      {support ? (
        <>
          <section className="card" aria-labelledby="support-inputs-title">
            <h2 id="support-inputs-title">{t('support.summary.title')}</h2>
            <p>
              {t('support.summary.inputs', {
                round: support.round.name,
                model: `${support.model.id} ${support.model.version}`,
                costTable: support.costTable.version,
                basis: t(`report.basis.${support.basis}`),
                level: support.minLevel,
              })}
            </p>
            <p className="muted">
              {t('support.summary.inputHash')}: <code>{support.inputHash}</code>
            </p>
          </section>
          {support.detail ? <Curve detail={support.detail} support={support} /> : null}
          <Provinces support={support} values={v} />
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'waves:support.title')
