/** One printable page: a facility's readiness score, level, domains, gates and top improvements. */
import { useTranslation } from 'react-i18next'
import type { getResultsPage } from '../assessment/results.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { DomainScoreTable } from './domain-score-table.tsx'
import { PeerMedianNote } from './peer-median-note.tsx'
import { useDateFormat } from '../utils/date-format.ts'

type ResultsPage = NonNullable<Awaited<ReturnType<typeof getResultsPage>>>
export type ReportCurrent = NonNullable<ResultsPage['current']>

export function FacilityReport({
  facility,
  current,
  generatedAt,
  demo,
}: {
  facility: { name: string; code: string; tierLabel: string; province: string }
  current: ReportCurrent
  generatedAt: string
  demo: boolean
}) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  const { dateTime } = useDateFormat()
  const { num, pct } = useNumberFormat()
  return (
    <article className="facility-report" aria-labelledby="report-title">
      <h1 id="report-title">{t('report.title', { name: facility.name })}</h1>
      <p className="report-meta muted">
        {t('report.meta', {
          code: facility.code,
          province: facility.province,
          tier: facility.tierLabel,
          round: current.roundName,
          status: tc(`assessmentStatus.${current.status}`),
          basis: t(`report.basis.${current.basis}`),
        })}
      </p>
      {demo ? <p className="report-test-data">{t('report.testData')}</p> : null}
      {current.status === 'draft' || current.status === 'returned' ? (
        <p className="notice">{t('report.draft')}</p>
      ) : null}

      <section aria-labelledby="report-score">
        <h2 id="report-score" className="visually-hidden">
          {t('report.score')}
        </h2>
        <div className="report-headline">
          <p>
            {t('report.score')}:{' '}
            <span className="report-composite" data-testid="report-composite">
              {num(current.composite, 2)}
            </span>{' '}
            / 100
          </p>
          <p>
            {t('report.level')}: <strong>{current.level.id}</strong> — {current.level.title}
            {current.level.cappedBy.length > 0
              ? ` (${t('report.cappedBy', { gates: current.level.cappedBy.join(', ') })})`
              : ''}
          </p>
          <p>
            {t('report.completeness', {
              value: pct(current.completeness),
              threshold: pct(current.completenessThreshold),
            })}
          </p>
        </div>
      </section>

      <section aria-labelledby="report-domains">
        <h2 id="report-domains">{t('report.domains')}</h2>
        <DomainScoreTable
          domains={current.domains}
          labels={{
            domain: t('report.domain'),
            weight: t('report.weight'),
            score: t('report.domainScore'),
            median: t('report.tierMedian'),
            noMedian: '—',
          }}
        />
        <PeerMedianNote group={current.peerGroup} />
      </section>

      <section aria-labelledby="report-gates">
        <h2 id="report-gates">{t('report.gates')}</h2>
        <table>
          <tbody>
            {current.gates.map((g) => (
              <tr key={g.id} className={g.enabled && !g.passed ? 'gate-failed' : undefined}>
                <th scope="row">
                  {g.id} · {g.title}
                </th>
                <td>
                  {!g.enabled
                    ? t('report.gateOff')
                    : g.passed
                      ? t('report.gatePassed')
                      : t('report.gateFailed')}
                </td>
                <td>
                  {g.failedItem
                    ? t('report.failedAnswer', { answer: g.failedItem.answer })
                    : g.failedDomain
                      ? g.failedDomain
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="report-improvements">
        <h2 id="report-improvements">{t('report.improvements')}</h2>
        {current.improvements.length === 0 ? (
          <p>{t('report.noImprovements')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('report.question')}</th>
                <th scope="col">{t('report.answer')}</th>
                <th scope="col" className="num">
                  {t('report.gain')}
                </th>
                <th scope="col">{t('report.recommendation')}</th>
              </tr>
            </thead>
            <tbody>
              {current.improvements.map((o) => (
                <tr key={o.itemId}>
                  <th scope="row">{o.question}</th>
                  <td>{o.answer}</td>
                  <td className="num">+{num(o.gain, 1)}</td>
                  <td>{o.recommendation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="muted">
        {t('report.footer', { model: current.modelVersion, generatedAt: dateTime(generatedAt) })}
      </p>
    </article>
  )
}
