import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { getResultsPage } from '../assessment/results.server.ts'
import { DomainChart } from '../components/domain-chart.tsx'
import { DomainScoreTable } from '../components/domain-score-table.tsx'
import { PeerMedianNote } from '../components/peer-median-note.tsx'
import { getI18n, type RouteI18n } from '../i18n.ts'
import { notFound, requirePermission } from '../utils/auth.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { useHydrated } from '../utils/use-hydrated.ts'
import { pageTitle } from '../utils/page-title.ts'
import { useDateFormat } from '../utils/date-format.ts'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'results:view')
  if (user.facilityId === null) throw notFound()
  const locale = getLocale(request)
  const page = await getResultsPage(
    getDb(),
    user.facilityId,
    locale,
    getI18n(locale).t('results:empty'),
  )
  if (!page) throw notFound()
  return page
}

export const handle: RouteI18n = { i18n: ['results'] }

export default function ResultsPage() {
  const { facility, current, history } = useLoaderData<typeof loader>()
  const { t } = useTranslation('results')
  const { t: tc } = useTranslation()
  const { dateTime } = useDateFormat()
  const hydrated = useHydrated()
  const { num, bn } = useNumberFormat()
  if (!current) {
    return (
      <>
        <h1>{t('title')}</h1>
        <p>{t('noResult')}</p>
        <p>
          <Link to="/assessment">{t('goToForm')}</Link>
        </p>
      </>
    )
  }
  const failed = current.gates.filter((g) => g.enabled && !g.passed)
  return (
    <>
      <h1>{t('title')}</h1>
      <p>
        <strong>{facility.name}</strong> ({facility.code}) —{' '}
        {t('round', { name: current.roundName })} ·{' '}
        {t('status', { status: tc(`assessmentStatus.${current.status}`) })}
      </p>
      {current.status === 'draft' || current.status === 'returned' ? (
        <p className="notice">{t('draftNote')}</p>
      ) : null}
      <div className="grid">
        <section className="card score-card" aria-labelledby="composite-title">
          <h2 id="composite-title">{t('composite')}</h2>
          <p className="big-number" data-testid="composite">
            {num(current.composite, 2)} <span className="muted">{t('outOf')}</span>
          </p>
          <p className="muted">{t(`basis.${current.basis}`)}</p>
        </section>
        <section className="card score-card" aria-labelledby="level-title">
          <h2 id="level-title">{t('level')}</h2>
          <p className="big-number" data-testid="level">
            {current.level.id} · {current.level.title}
          </p>
          <p>{current.level.description}</p>
          {current.level.cappedBy.length > 0 ? (
            <p className="form-error">
              {t('cappedBy', { gates: current.level.cappedBy.join(', ') })}
            </p>
          ) : null}
        </section>
      </div>

      <section className="card" aria-labelledby="domains-title">
        <h2 id="domains-title">{t('domains.title')}</h2>
        {hydrated ? (
          <DomainChart
            label={t('domains.chartLabel')}
            valueLabel={t('domains.yours')}
            comparisonLabel={t('domains.median')}
            points={current.domains.map((d) => ({
              title: d.title,
              value: d.score * 100,
              comparison: d.tierMedian === null ? null : d.tierMedian * 100,
            }))}
          />
        ) : null}
        <DomainScoreTable
          domains={current.domains}
          labels={{
            domain: t('domains.domain'),
            weight: t('domains.weight'),
            score: t('domains.yours'),
            median: t('domains.median'),
            noMedian: t('domains.noMedian'),
          }}
        />
        <PeerMedianNote group={current.peerGroup} />
      </section>

      <section className="card" aria-labelledby="gates-title">
        <h2 id="gates-title">{t('gates.title')}</h2>
        <p className="muted">{t('gates.intro')}</p>
        {failed.length === 0 ? <p>{t('gates.allPassed')}</p> : null}
        <ul className="gate-list">
          {current.gates.map((g) => (
            <li
              key={g.id}
              className={g.enabled ? (g.passed ? 'gate-passed' : 'gate-failed') : 'gate-disabled'}
            >
              <strong>
                {g.id} · {g.title}
              </strong>{' '}
              —{' '}
              {g.enabled ? (g.passed ? t('gates.passed') : t('gates.failed')) : t('gates.disabled')}
              {g.enabled && !g.passed && g.failedItem ? (
                <div>
                  <p>{t('gates.question', { question: g.failedItem.question })}</p>
                  <p>{t('gates.answer', { answer: g.failedItem.answer })}</p>
                  <p className="recommendation">{g.failedItem.recommendation}</p>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="improvements-title">
        <h2 id="improvements-title">{t('improvements.title')}</h2>
        <p className="muted">{t('improvements.intro')}</p>
        {current.improvements.length === 0 ? <p>{t('improvements.none')}</p> : null}
        <ol className="improvements">
          {current.improvements.map((i) => (
            <li key={i.itemId}>
              <strong>{i.question}</strong>{' '}
              <span className="badge">{t('improvements.gain', { gain: num(i.gain, 1) })}</span>
              <p className="muted">{t('improvements.current', { answer: i.answer })}</p>
              <p className="recommendation">{i.recommendation}</p>
            </li>
          ))}
        </ol>
      </section>

      {current.uplift ? (
        <section className="card" aria-labelledby="uplift-title" data-testid="uplift">
          <h2 id="uplift-title">{t('uplift.title')}</h2>
          <p className="muted">{t('uplift.intro', { version: current.uplift.costTable })}</p>
          {current.uplift.options.length === 0 ? <p>{t('uplift.top')}</p> : null}
          {current.uplift.options.map((o) => (
            <div key={o.levelId}>
              <h3>{t('uplift.target', { level: `${o.levelId} · ${o.levelTitle}` })}</h3>
              {o.status === 'unreachable' ? (
                <p>{t('uplift.unreachable')}</p>
              ) : (
                <>
                  <p data-testid={`uplift-${o.levelId}`}>
                    {t('uplift.total', { count: o.actions.length, cost: bn(o.costVnd) })}
                    {o.exact ? null : ` ${t('uplift.notExact')}`}
                  </p>
                  <div
                    className="table-scroll"
                    tabIndex={0}
                    role="region"
                    aria-label={t('uplift.target', { level: o.levelId })}
                  >
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t('uplift.question')}</th>
                          <th scope="col">{t('uplift.action')}</th>
                          <th scope="col" className="num">
                            {t('uplift.cost')}
                          </th>
                          <th scope="col">{t('uplift.source')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {o.actions.map((a) => (
                          <tr key={a.itemId}>
                            <td>{a.question}</td>
                            <td>{a.action}</td>
                            <td className="num">{bn(a.costVnd)}</td>
                            <td>{a.source === 'estimate' ? t('uplift.estimate') : a.source}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </>
              )}
            </div>
          ))}
        </section>
      ) : null}

      <section className="card" aria-labelledby="completeness-title">
        <h2 id="completeness-title">{t('completeness.title')}</h2>
        <p>{t('completeness.value', { pct: num(current.completeness * 100, 1) })}</p>
        <p>
          {current.meetsCompleteness
            ? t('completeness.ok', { threshold: num(current.completenessThreshold * 100) })
            : t('completeness.below', { threshold: num(current.completenessThreshold * 100) })}
        </p>
        <p className="muted">
          {t('model', {
            version: current.modelVersion,
            at: dateTime(current.computedAt),
          })}{' '}
          · <Link to="/methodology">{t('methodology')}</Link> ·{' '}
          <Link to={`/facilities/${facility.id}/report`}>{tc('facility.printReport')}</Link>
        </p>
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('history.title')}</h2>
        {history.length < 2 ? <p>{t('history.none')}</p> : null}
        <table>
          <thead>
            <tr>
              <th scope="col">{t('history.round')}</th>
              <th scope="col" className="num">
                {t('history.composite')}
              </th>
              <th scope="col">{t('history.level')}</th>
              <th scope="col">{t('history.change')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, index) => {
              const previous = history[index + 1]
              return (
                <tr key={h.roundName}>
                  <th scope="row">{h.roundName}</th>
                  <td className="num">{num(h.composite, 1)}</td>
                  <td>{h.level}</td>
                  <td>
                    {previous
                      ? current.domains
                          .map((d) => {
                            const delta =
                              ((h.domains[d.id] ?? 0) - (previous.domains[d.id] ?? 0)) * 100
                            return `${d.title}: ${delta >= 0 ? '+' : ''}${num(delta, 1)}`
                          })
                          .join(' · ')
                      : '—'}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'results:title')
