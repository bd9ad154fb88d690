import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { CompareChart } from '../components/compare-chart.tsx'
import { getCurrentRound } from '../models/round.server.ts'
import {
  CompareParamsSchema,
  compareError,
  getComparison,
  MAX_COMPARE,
  MIN_COMPARE,
  resolveCodes,
} from '../review/compare.server.ts'
import { facilityFilterFor, notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { todayInVietnam } from '../utils/time.server.ts'
import { useHydrated } from '../utils/use-hydrated.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { pageTitle } from '../utils/page-title.ts'
import { scopeExamples } from '../review/scope-examples.server.ts'
import type { RouteI18n } from '../i18n.ts'

type LoaderError = { error: string; missing: string[] }

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'compare:view')
  const url = new URL(request.url)
  const raw = Object.fromEntries(
    [...url.searchParams].filter(([k, v]) => k !== 'id' && v.trim() !== ''),
  )
  // "Compare selected" on the facilities table sends one `id` per ticked box.
  const picked = url.searchParams.getAll('id')
  if (picked.length > 0) raw.ids = picked.join(',')
  const db = getDb()
  const filter = facilityFilterFor(user)
  const [round, examples] = await Promise.all([
    getCurrentRound(db, todayInVietnam()),
    scopeExamples(db, filter),
  ])
  const empty = {
    comparison: null,
    codes: '',
    error: null as LoaderError | null,
    noRound: !round,
    limits: { min: MIN_COMPARE, max: MAX_COMPARE },
    exampleCodes: examples.codes.join(', '),
  }
  if (Object.keys(raw).length === 0) return empty
  const parsed = CompareParamsSchema.safeParse(raw)
  if (!parsed.success)
    return data(
      {
        ...empty,
        codes: raw.codes ?? '',
        error: { error: compareError(parsed.error), missing: [] },
      },
      { status: 400 },
    )
  if (picked.length > 0 && 'ids' in parsed.data)
    throw redirect(`/compare?ids=${parsed.data.ids.join(',')}`)
  if ('codes' in parsed.data) {
    const { ids, missing } = await resolveCodes(db, filter, parsed.data.codes)
    if (missing.length > 0)
      return data(
        { ...empty, codes: raw.codes ?? '', error: { error: 'missing', missing } },
        { status: 400 },
      )
    throw redirect(`/compare?ids=${ids.join(',')}`)
  }
  if (!round) return empty
  const comparison = await getComparison(db, filter, parsed.data.ids, round, getLocale(request))
  // A facility outside the scope looks exactly like one that does not exist.
  if (!comparison) throw notFound()
  return { ...empty, comparison, codes: comparison.facilities.map((f) => f.code).join(', ') }
}

export const handle: RouteI18n = { i18n: ['results', 'review'] }

export default function ComparePage() {
  const { comparison, codes, error, noRound, limits, exampleCodes } = useLoaderData<typeof loader>()
  const { t } = useTranslation('review')
  const { t: tc } = useTranslation()
  const { t: tr } = useTranslation('results')
  const { num } = useNumberFormat()
  const fmt = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : num(value, 1)
  // A peer group below the minimum size shows no median, and says so.
  const fmtMedian = (value: number | null | undefined, group: { count: number }) =>
    comparison && group.count < comparison.minPeerGroup
      ? tr('peers.hidden', { count: group.count })
      : fmt(value)
  const hydrated = useHydrated()
  return (
    <>
      <h1>{t('compare.title')}</h1>
      <p>{t('compare.intro', limits)}</p>
      {noRound ? <p>{t('queue.noRound')}</p> : null}
      <Form method="get" className="card">
        <div className="field">
          <label htmlFor="codes">{t('compare.codes')}</label>
          <input
            id="codes"
            name="codes"
            defaultValue={codes}
            placeholder={exampleCodes ? t('list.example', { example: exampleCodes }) : undefined}
            aria-describedby={error ? 'compare-error' : undefined}
          />
        </div>
        {error ? (
          <p id="compare-error" className="form-error" role="alert">
            {t(`compare.errors.${error.error}`, { ...limits, codes: error.missing.join(', ') })}
          </p>
        ) : null}
        <button type="submit">{t('compare.submit')}</button>
      </Form>
      {comparison ? (
        <>
          <p className="muted">{t('compare.round', { round: comparison.round.name })}</p>
          {hydrated ? (
            <CompareChart
              label={t('compare.chartLabel')}
              series={comparison.facilities.map((f) => ({ key: `f${f.id}`, name: f.name }))}
              rows={comparison.domains.map((d) => ({
                domain: d.title,
                ...Object.fromEntries(
                  comparison.facilities.map((f) => [
                    `f${f.id}`,
                    f.domains[d.id] === undefined || f.domains[d.id] === null
                      ? null
                      : Math.round((f.domains[d.id] ?? 0) * 10) / 10,
                  ]),
                ),
              }))}
            />
          ) : null}
          <section className="card" aria-labelledby="domains-title">
            <h2 id="domains-title">{t('compare.byDomain')}</h2>
            <p className="muted">
              {t('compare.medianHelp')} {tr('peers.rule', { min: comparison.minPeerGroup })}
            </p>
            <div className="table-scroll">
              <table data-testid="compare-domains">
                <thead>
                  <tr>
                    <th scope="col">{t('compare.measure')}</th>
                    {comparison.facilities.map((f) => (
                      <th scope="col" key={f.id}>
                        <Link
                          to={f.assessmentId ? `/review/${f.assessmentId}` : `/facilities/${f.id}`}
                        >
                          {f.name}
                        </Link>
                        <div className="muted">
                          {f.code} · {tc(`tiers.${f.tier}`)} · {f.provinceName}
                        </div>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{t('compare.status')}</th>
                    {comparison.facilities.map((f) => (
                      <td key={f.id}>
                        {tc(`assessmentStatus.${f.status}`)}
                        {f.basis ? (
                          <div className="muted">{t(`compare.basis.${f.basis}`)}</div>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">{t('compare.composite')}</th>
                    {comparison.facilities.map((f) => (
                      <td key={f.id} className="num">
                        <strong>{fmt(f.composite)}</strong> ({f.level ?? '—'})
                        <div className="muted">
                          {t('compare.medians', {
                            tier: fmtMedian(f.tierMedian.composite, f.tierMedian),
                            province: fmtMedian(f.provinceMedian.composite, f.provinceMedian),
                          })}
                        </div>
                      </td>
                    ))}
                  </tr>
                  {comparison.domains.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">{d.title}</th>
                      {comparison.facilities.map((f) => (
                        <td key={f.id} className="num">
                          {fmt(f.domains[d.id])}
                          <div className="muted">
                            {t('compare.medians', {
                              tier: fmtMedian(f.tierMedian.domains[d.id], f.tierMedian),
                              province: fmtMedian(f.provinceMedian.domains[d.id], f.provinceMedian),
                            })}
                          </div>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="card" aria-labelledby="items-title">
            <h2 id="items-title">{t('compare.byItem')}</h2>
            <p className="muted">{t('compare.itemHelp')}</p>
            {comparison.domains.map((d) => (
              <details key={d.id}>
                <summary>{d.title}</summary>
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('page.question')}</th>
                        {comparison.facilities.map((f) => (
                          <th scope="col" key={f.id} className="num">
                            {f.name}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {d.items.map((i) => (
                        <tr key={i.id}>
                          <th scope="row">{i.question}</th>
                          {comparison.facilities.map((f) => {
                            const item = f.items[i.id]
                            return (
                              <td key={f.id} className="num">
                                {item === undefined
                                  ? '—'
                                  : item.score === null
                                    ? t('page.na')
                                    : num(item.score * 100)}
                                {item?.source === 'verified' ? (
                                  <>
                                    <span aria-hidden="true"> ✓</span>
                                    <span className="visually-hidden">
                                      {' '}
                                      ({t('compare.verifiedValue')})
                                    </span>
                                  </>
                                ) : null}
                              </td>
                            )
                          })}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            ))}
          </section>
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'review:compare.title')
