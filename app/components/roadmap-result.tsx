/** A built roadmap: inputs, the coverage chart, who misses the deadline per scenario, each scenario's periods and deadlines. */
import { useTranslation } from 'react-i18next'
import type { MissReason } from '../waves/roadmap.server.ts'
import type { RoadmapView } from '../waves/roadmap-view.server.ts'
import { missReasonText } from '../waves/roadmap-reasons.ts'
import { useDateFormat } from '../utils/date-format.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { ConflictList } from './conflict-list.tsx'
import { RoadmapChart } from './roadmap-chart.tsx'

type Scenario = RoadmapView['scenarios'][number]
type FeasibleScenario = Extract<Scenario, { feasible: true }>

function useReasonText() {
  const { t } = useTranslation('waves')
  const { date } = useDateFormat()
  return (reason: MissReason): string => missReasonText(reason, t, date)
}

function Infeasible({ scenario }: { scenario: Extract<Scenario, { feasible: false }> }) {
  const { t } = useTranslation('waves')
  return (
    <div className="form-error" role="alert">
      <p>
        {scenario.periodId === null
          ? t('roadmap.scenario.infeasibleAll')
          : t('roadmap.scenario.infeasible', { period: scenario.periodId })}
      </p>
      <ConflictList conflicts={scenario.conflicts} />
    </div>
  )
}

function Deadlines({ scenario }: { scenario: FeasibleScenario }) {
  const { t } = useTranslation('waves')
  const { date } = useDateFormat()
  const reasonText = useReasonText()
  return (
    <>
      <h4>{t('roadmap.deadlines.title')}</h4>
      {scenario.deadlines.map((d) => (
        <div key={`${d.scope}-${d.date}`} data-testid={`deadline-${d.scope}`}>
          <p>
            <strong>{t(`roadmap.deadlines.${d.scope}`, { date: date(d.date) })}</strong>{' '}
            {d.of === 0
              ? t('roadmap.deadlines.none')
              : d.missCount === 0 && d.metBy !== null && d.metByEnd !== null
                ? t('roadmap.deadlines.met', { id: d.metBy, end: date(d.metByEnd) })
                : t('roadmap.deadlines.notMet', { count: d.missCount, of: d.of })}
          </p>
          {d.missing.length > 0 ? (
            <details>
              <summary>{t('roadmap.deadlines.notMet', { count: d.missCount, of: d.of })}</summary>
              <ul>
                {d.missing.map((m) => (
                  <li key={m.code}>
                    {m.code} · {m.name} ({m.provinceName}): {reasonText(m.reason)}
                  </li>
                ))}
              </ul>
              {d.missCount > d.missing.length ? (
                <p className="muted">
                  {t('roadmap.periods.more', { count: d.missCount - d.missing.length })}
                </p>
              ) : null}
            </details>
          ) : null}
        </div>
      ))}
    </>
  )
}

function Periods({ scenario }: { scenario: FeasibleScenario }) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  const { date } = useDateFormat()
  const { num, pct, bn } = useNumberFormat()
  const share = (c: { covered: number; of: number }) =>
    `${num(c.covered)}/${num(c.of)} (${c.of > 0 ? pct(c.covered / c.of) : '—'})`
  const tiers = scenario.periods[0]?.byTier.map((r) => r.tier) ?? []
  const provinces = scenario.periods[0]?.byProvince ?? []
  return (
    <>
      {/* Wide tables scroll on a tablet: a keyboard must reach the region (axe). */}
      <div
        className="table-scroll"
        tabIndex={0}
        role="region"
        aria-label={t('roadmap.periods.title')}
      >
        <table>
          <caption>{t('roadmap.periods.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('roadmap.periods.period')}</th>
              <th scope="col">{t('roadmap.periods.end')}</th>
              <th scope="col" className="num">
                {t('roadmap.periods.count')}
              </th>
              <th scope="col" className="num">
                {t('roadmap.periods.cost')}
              </th>
              <th scope="col" className="num">
                {t('roadmap.periods.coverage')}
              </th>
              {tiers.map((tier) => (
                <th key={tier} scope="col" className="num">
                  {tc(`tiers.${tier}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {scenario.periods.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.id}</th>
                <td>{date(p.end)}</td>
                <td className="num">{num(p.count)}</td>
                <td className="num">{bn(p.costVnd)}</td>
                <td className="num">{share(p.coverage)}</td>
                {p.byTier.map((c) => (
                  <td key={c.tier} className="num">
                    {share(c)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>{t('roadmap.periods.byProvince')}</summary>
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={t('roadmap.periods.byProvince')}
        >
          <table>
            <caption className="visually-hidden">{t('roadmap.periods.byProvince')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('roadmap.misses.province')}</th>
                {scenario.periods.map((p) => (
                  <th key={p.id} scope="col" className="num">
                    {date(p.end)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {provinces.map((row, i) => (
                <tr key={row.code}>
                  <th scope="row">{row.name}</th>
                  {scenario.periods.map((p) => {
                    const c = p.byProvince[i]
                    return (
                      <td key={p.id} className="num">
                        {c ? share(c) : '—'}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {scenario.periods.map((p) =>
        p.count > 0 ? (
          <details key={p.id}>
            <summary>{t('roadmap.periods.facilities', { id: p.id, end: date(p.end) })}</summary>
            <ul>
              {p.facilities.map((f) => (
                <li key={f.code}>
                  {f.code} · {f.name} ({f.provinceName}, {tc(`tiers.${f.tier}`)})
                </li>
              ))}
            </ul>
            {p.count > p.facilities.length ? (
              <p className="muted">
                {t('roadmap.periods.more', { count: p.count - p.facilities.length })}
              </p>
            ) : null}
          </details>
        ) : null,
      )}
    </>
  )
}

export function RoadmapResult({ roadmap }: { roadmap: RoadmapView }) {
  const { t } = useTranslation('waves')
  const { date } = useDateFormat()
  const { num, pct } = useNumberFormat()
  const reasonText = useReasonText()
  const seriesName = (s: Scenario) => t('roadmap.chart.series', { budget: num(s.budgetBn) })
  return (
    <>
      <section className="card" aria-labelledby="roadmap-inputs-title">
        <h2 id="roadmap-inputs-title">{t('roadmap.summary.title')}</h2>
        <p>
          {t('roadmap.summary.facilities', {
            count: roadmap.facilityCount,
            below: roadmap.belowLevel,
            level: roadmap.minLevel,
          })}
        </p>
        <p className="muted">
          {t('roadmap.summary.model', {
            round: roadmap.round.name,
            model: `${roadmap.model.id} ${roadmap.model.version}`,
            costTable: roadmap.costTable.version,
          })}
        </p>
        <p className="muted">
          {t('roadmap.summary.inputHash')}: <code>{roadmap.inputHash}</code>
        </p>
      </section>

      <section className="card" aria-labelledby="roadmap-chart-title">
        <h2 id="roadmap-chart-title">{t('roadmap.chart.title')}</h2>
        <RoadmapChart
          label={t('roadmap.chart.label')}
          series={roadmap.scenarios.map(seriesName)}
          rows={roadmap.chart}
          formatShare={(s) => pct(s)}
          formatPeriod={(end) => date(end)}
        />
      </section>

      <section className="card" aria-labelledby="roadmap-misses-title">
        <h2 id="roadmap-misses-title">
          {t('roadmap.misses.title', { date: date(roadmap.misses.deadline) })}
        </h2>
        <p>{t('roadmap.misses.intro', { count: roadmap.misses.total })}</p>
        {roadmap.misses.rows.length > 0 ? (
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('roadmap.misses.title', { date: date(roadmap.misses.deadline) })}
          >
            <table data-testid="roadmap-misses">
              <caption className="visually-hidden">
                {t('roadmap.misses.title', { date: date(roadmap.misses.deadline) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('roadmap.misses.code')}</th>
                  <th scope="col">{t('roadmap.misses.name')}</th>
                  <th scope="col">{t('roadmap.misses.province')}</th>
                  {roadmap.scenarios.map((s) => (
                    <th key={s.budgetBn} scope="col">
                      {seriesName(s)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {roadmap.misses.rows.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">{r.code}</th>
                    <td>{r.name}</td>
                    <td>{r.provinceName}</td>
                    {r.cells.map((c, i) => (
                      <td key={i}>{c ? reasonText(c) : t('roadmap.misses.live')}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {roadmap.misses.total > roadmap.misses.rows.length ? (
          <p className="muted">
            {t('roadmap.periods.more', {
              count: roadmap.misses.total - roadmap.misses.rows.length,
            })}
          </p>
        ) : null}
      </section>

      {roadmap.scenarios.map((s, i) => (
        <section key={s.budgetBn} className="card" aria-labelledby={`roadmap-scenario-${i}`}>
          <h2 id={`roadmap-scenario-${i}`}>
            {t('roadmap.scenario.title', { budget: num(s.budgetBn) })}
          </h2>
          {s.feasible ? (
            <>
              <p>
                {s.method === 'milp'
                  ? t('roadmap.scenario.milp')
                  : s.gap === null
                    ? t('roadmap.scenario.sequentialNoBound')
                    : t('roadmap.scenario.sequential', { gap: pct(s.gap, 2) })}
              </p>
              <p className="muted">
                {t('roadmap.scenario.unscheduled', {
                  noRoom: s.unscheduled.noRoom,
                  noUplift: s.unscheduled.noUplift,
                  notEligible: s.unscheduled.notEligible,
                })}
              </p>
              <Deadlines scenario={s} />
              <Periods scenario={s} />
            </>
          ) : (
            <Infeasible scenario={s} />
          )}
        </section>
      ))}
    </>
  )
}
