import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { listRounds } from '../models/round.server.ts'
import { facilityFilterFor, REVIEWER_ROLES, requireRole } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { localized } from '../utils/localized.ts'
import { nowIso } from '../utils/time.server.ts'
import { parseWaveParams, planWave, type WaveRow } from '../waves/planner.server.ts'
import { getLocale } from '../utils/locale.server.ts'

const LIST_LIMIT = 200

/** Planning never writes: the page is a GET form, so a view is a shareable URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, [...REVIEWER_ROLES, 'admin'])
  const db = getDb()
  const url = new URL(request.url)
  const parsed = parseWaveParams(url.searchParams)
  const rounds = await listRounds(db)
  const readOnly = user.role === 'province_reviewer'
  if (!parsed.success) {
    return {
      readOnly,
      rounds,
      errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      plan: null,
      values: Object.fromEntries(url.searchParams),
    }
  }
  const plan = await planWave(db, facilityFilterFor(user), parsed.data, nowIso().slice(0, 10))
  const locale = getLocale(request)
  const selected = plan?.rows.filter((r) => r.selected) ?? []
  const support =
    plan?.rows
      .filter((r) => r.holdingBack.length > 0)
      .sort((a, b) => b.compositeBp - a.compositeBp) ?? []
  const domainTitle = new Map(
    plan?.model.domains.map((d) => [d.id, localized(d.title, locale)]) ?? [],
  )
  return {
    readOnly,
    rounds,
    errors: [] as string[],
    values: Object.fromEntries(url.searchParams),
    plan: plan && {
      round: plan.round,
      model: `${plan.model.id} ${plan.model.version}`,
      result: plan.result,
      budgetVnd: plan.budgetVnd,
      selected: selected.slice(0, LIST_LIMIT),
      selectedCount: selected.length,
      support: support
        .slice(0, 30)
        .map((r) => ({ ...r, holdingBack: r.holdingBack.map((d) => domainTitle.get(d) ?? d) })),
      excluded: plan.rows.filter((r) => r.exclusions.length > 0).slice(0, LIST_LIMIT),
      excludedCount: plan.rows.filter((r) => r.exclusions.length > 0).length,
      codes: Object.fromEntries(plan.rows.map((r) => [String(r.facilityId), r.code])),
    },
  }
}

const bn = (vnd: number) => (vnd / 1_000_000_000).toLocaleString('vi-VN')

function FacilityTable({ rows, showHoldingBack }: { rows: WaveRow[]; showHoldingBack?: boolean }) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('lists.rank')}
            </th>
            <th scope="col">{t('lists.code')}</th>
            <th scope="col">{t('lists.facility')}</th>
            <th scope="col">{t('lists.province')}</th>
            <th scope="col">{t('lists.tier')}</th>
            <th scope="col" className="num">
              {t('lists.composite')}
            </th>
            <th scope="col">{t('lists.level')}</th>
            <th scope="col" className="num">
              {t('lists.priority')}
            </th>
            {showHoldingBack ? <th scope="col">{t('lists.holdingBack')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.facilityId}>
              <td className="num">
                {r.rank ?? '—'}
                {r.tied ? ` (${t('lists.tie')})` : ''}
              </td>
              <td>{r.code}</td>
              <th scope="row">{r.name}</th>
              <td>{r.provinceName}</td>
              <td>{tc(`tiers.${r.tier}`)}</td>
              <td className="num">{(r.compositeBp / 100).toFixed(2)}</td>
              <td>{r.level}</td>
              <td className="num">{r.priorityBp ?? '—'}</td>
              {showHoldingBack ? <td>{r.holdingBack.join(', ')}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Field({
  name,
  label,
  values,
  type = 'number',
}: {
  name: string
  label: string
  values: Record<string, string>
  type?: string
}) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        min={0}
        step="any"
        defaultValue={values[name] ?? ''}
      />
    </div>
  )
}

export default function WavesPage() {
  const data = useLoaderData<typeof loader>()
  const { t } = useTranslation('waves')
  const location = useLocation()
  const v = data.values
  const plan = data.plan
  const query = location.search
  return (
    <>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {data.readOnly ? <p className="notice">{t('readOnly')}</p> : null}
      <Form method="get" className="card wave-form">
        <fieldset>
          <legend>{t('form.legend')}</legend>
          <div className="grid">
            <div className="field">
              <label htmlFor="f-round">{t('form.round')}</label>
              <select id="f-round" name="round" defaultValue={v.round ?? ''}>
                <option value="">—</option>
                {data.rounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
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
            {(
              [
                'wReadiness',
                'wNeed',
                'wFeasibility',
                'capacity',
                'budgetBn',
                'costBn',
                'provinceMin',
                'provinceMax',
                'centralMin',
                'centralMax',
                'provincialMin',
                'provincialMax',
                'basicMin',
                'basicMax',
              ] as const
            ).map((name) => (
              <Field key={name} name={name} label={t(`form.${name}`)} values={v} />
            ))}
            <div className="field">
              <label htmlFor="f-costs">{t('form.costs')}</label>
              <textarea id="f-costs" name="costs" rows={3} defaultValue={v.costs ?? ''} />
            </div>
          </div>
          <button type="submit">{t('form.submit')}</button>
        </fieldset>
      </Form>

      {data.errors.length > 0 ? (
        <section className="form-error" role="alert">
          <h2>{t('errors.title')}</h2>
          <ul>
            {data.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {data.errors.length === 0 && !plan ? <p>{t('errors.noRound')}</p> : null}

      {plan && !plan.result.feasible ? (
        <section className="form-error" role="alert" aria-labelledby="infeasible-title">
          <h2 id="infeasible-title">{t('infeasible.title')}</h2>
          <p>{t('infeasible.intro')}</p>
          <ul>
            {plan.result.conflicts.map((c) => (
              <li key={`${c.kind}-${c.quotas.join()}`}>{c.message}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {plan && plan.result.feasible ? (
        <>
          <section className="card" aria-labelledby="summary-title">
            <h2 id="summary-title">{t('summary.title')}</h2>
            <p className="muted">
              {t('summary.model', { model: plan.model, round: plan.round.name })}
            </p>
            <ul>
              <li data-testid="selected-count">
                {t('summary.selected', { count: plan.selectedCount })}
              </li>
              <li>
                {t('summary.cost', { cost: bn(plan.result.totalCost), budget: bn(plan.budgetVnd) })}
              </li>
              <li>{t('summary.objective', { value: plan.result.objective })}</li>
              <li data-testid="price-of-equity">
                {t('summary.priceOfEquity', { value: plan.result.priceOfEquity })}
              </li>
              <li>{t('summary.method', { method: plan.result.method })}</li>
              <li>
                {t('summary.binding', {
                  list:
                    plan.result.binding
                      .map((b) =>
                        'key' in b
                          ? `${b.constraint} ${b.key} (${b.value}/${b.limit})`
                          : `${b.constraint} (${b.value}/${b.limit})`,
                      )
                      .join('; ') || t('summary.none'),
                })}
              </li>
              {plan.result.tiesAtCutoff.length > 0 ? (
                <li>
                  {t('summary.ties', {
                    list: plan.result.tiesAtCutoff.map((id) => plan.codes[id] ?? id).join(', '),
                  })}
                </li>
              ) : null}
            </ul>
            <p className="actions">
              <a className="button" href={`/waves/export.csv${query}`} download>
                {t('export.csv')}
              </a>{' '}
              <a className="button" href={`/waves/export.xlsx${query}`} download>
                {t('export.xlsx')}
              </a>{' '}
              <a href={`/api/v1/waves${query}`}>{t('export.json')}</a>
            </p>
          </section>
          <section aria-labelledby="ready-title">
            <h2 id="ready-title">{t('lists.ready')}</h2>
            <FacilityTable rows={plan.selected} />
            {plan.selectedCount > plan.selected.length ? (
              <p>{t('lists.more', { count: plan.selectedCount - plan.selected.length })}</p>
            ) : null}
          </section>
          <section aria-labelledby="support-title">
            <h2 id="support-title">{t('lists.support')}</h2>
            <FacilityTable rows={plan.support} showHoldingBack />
          </section>
          <section aria-labelledby="excluded-title">
            <h2 id="excluded-title">{t('lists.excluded')}</h2>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('lists.code')}</th>
                    <th scope="col">{t('lists.facility')}</th>
                    <th scope="col">{t('lists.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.excluded.map((r) => (
                    <tr key={r.facilityId}>
                      <td>{r.code}</td>
                      <th scope="row">{r.name}</th>
                      <td>
                        {r.exclusions
                          .map((e) =>
                            e.kind === 'emr_live'
                              ? t('lists.emr_live')
                              : e.kind === 'completeness'
                                ? t('lists.completeness', {
                                    pct: (e.completeness * 100).toFixed(0),
                                  })
                                : t('lists.gate', { gate: e.gateId }),
                          )
                          .join('; ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {plan.excludedCount > plan.excluded.length ? (
              <p>{t('lists.more', { count: plan.excludedCount - plan.excluded.length })}</p>
            ) : null}
          </section>
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = () => [{ title: 'Xếp hạng đợt triển khai · Sẵn Sàng' }]
