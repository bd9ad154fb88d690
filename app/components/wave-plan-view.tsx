/** The result of a wave plan: summary, "ready now", "needs support" and the excluded list. */
import { Link } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { PlanView } from '../waves/plan-view.server.ts'
import type { WaveRow } from '../waves/wave-rows.server.ts'
import { useNumberFormat } from '../utils/number-format.ts'
import { ConflictList } from './conflict-list.tsx'

/** Binding quotas past this many are folded into a details element. */
const BINDING_LISTED = 8

/** A YYYY-MM-DD date as dd/mm/yyyy (Vietnamese and British English alike). */
const day = (iso: string) => iso.split('-').reverse().join('/')

/** A row's contradictions: rule ids, each explained on hover and for screen readers. */
function DataQualityCell({ ids, rules }: { ids: string[]; rules: PlanView['rules'] }) {
  const message = new Map(rules.map((r) => [r.id, r.message]))
  if (ids.length === 0) return <td>—</td>
  return (
    <td className="wrap" data-testid="data-quality">
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 ? ', ' : ''}
          <abbr title={message.get(id) ?? id}>{id}</abbr>
          <span className="visually-hidden"> {message.get(id) ?? ''}</span>
        </span>
      ))}
    </td>
  )
}

function FacilityTable({
  rows,
  domains,
  rules,
  showHoldingBack,
  showRobustness,
  showPriorityTerms,
  caption,
}: {
  rows: WaveRow[]
  domains: PlanView['domains']
  rules: PlanView['rules']
  showHoldingBack?: boolean
  showRobustness?: boolean
  /** Need, feasibility and the budget they read (the weighted objective). */
  showPriorityTerms?: boolean
  caption: string
}) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  const { num, pct } = useNumberFormat()
  return (
    <div className="table-scroll">
      <table className="wave-table">
        <caption className="visually-hidden">{caption}</caption>
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
            {showPriorityTerms ? (
              <>
                <th scope="col" className="num">
                  {t('lists.need')}
                </th>
                <th scope="col" className="num">
                  {t('lists.feasibility')}
                </th>
                <th scope="col" className="num">
                  {t('lists.budget')}
                </th>
              </>
            ) : null}
            {domains.map((d) => (
              <th key={d.id} scope="col" className="num domain-col">
                {d.title}
              </th>
            ))}
            {showRobustness ? (
              <>
                <th scope="col" className="num">
                  {t('lists.probability')}
                </th>
                <th scope="col">{t('lists.robustness')}</th>
              </>
            ) : null}
            {showHoldingBack ? <th scope="col">{t('lists.holdingBack')}</th> : null}
            <th scope="col">{t('lists.dataQuality')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.facilityId}>
              <td className="num">
                {r.rank ?? '—'}
                {r.tied ? ` (${t('lists.tie')})` : ''}
                {r.tieAtCutoff ? ` · ${t('lists.tieAtCutoff')}` : ''}
              </td>
              <td>{r.code}</td>
              <th scope="row">
                <Link to={`/facilities/${r.facilityId}/report`}>{r.name}</Link>
              </th>
              <td>{r.provinceName}</td>
              <td>{tc(`tiers.${r.tier}`)}</td>
              <td className="num">{num(r.compositeBp / 100, 2)}</td>
              <td>{r.level}</td>
              <td className="num">{r.priorityBp === null ? '—' : num(r.priorityBp / 100, 2)}</td>
              {showPriorityTerms ? (
                <>
                  <td className="num">
                    {r.priorityInputs ? num(r.priorityInputs.need.value * 100, 1) : '—'}
                  </td>
                  <td className="num">
                    {r.priorityInputs ? num(r.priorityInputs.feasibility.value * 100, 1) : '—'}
                  </td>
                  <td className="num" data-testid="budget">
                    {r.priorityInputs?.budgetSecuredPct == null
                      ? '—'
                      : `${num(r.priorityInputs.budgetSecuredPct)} %${
                          r.priorityInputs.budgetSource === 'verified'
                            ? ` (${t('lists.verifiedValue')})`
                            : ''
                        }`}
                  </td>
                </>
              ) : null}
              {domains.map((d) => {
                // Domain scores are stored as 0–1 and shown as 0–100, like the composite.
                const score = r.domains[d.id]
                return (
                  <td key={d.id} className="num">
                    {score === undefined ? '—' : num(score * 100, 1)}
                  </td>
                )
              })}
              {showRobustness ? (
                <>
                  <td className="num">
                    {r.selectionProbability === null ? '—' : pct(r.selectionProbability, 1)}
                  </td>
                  <td>{r.robustness ? t(`robustness.labels.${r.robustness}`) : '—'}</td>
                </>
              ) : null}
              {showHoldingBack ? <td className="wrap">{r.holdingBack.join(', ')}</td> : null}
              <DataQualityCell ids={r.dataQuality} rules={rules} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function WavePlanView({
  plan,
  exportLinks,
}: {
  plan: PlanView
  exportLinks: { csv: string; xlsx: string; json: string }
}) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  const { num, bn } = useNumberFormat()
  const result = plan.result
  if (!result.feasible) {
    return (
      <section className="form-error" role="alert" aria-labelledby="infeasible-title">
        <h2 id="infeasible-title">{t('infeasible.title')}</h2>
        <p>{t('infeasible.intro')}</p>
        <ConflictList conflicts={plan.conflicts} />
      </section>
    )
  }
  const rob = plan.robustness
  return (
    <>
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">{t('summary.title')}</h2>
        <p className="muted">{t('summary.model', { model: plan.model, round: plan.round.name })}</p>
        <p className="muted">
          {plan.priorityModel
            ? t('summary.priorityModel', { model: plan.priorityModel })
            : t('summary.noPriorityModel')}{' '}
          · {t('summary.minLevel', { level: plan.params.minLevel })}
          {plan.round.deadlines
            ? ` · ${t('summary.deadlines', {
                hospital: day(plan.round.deadlines.hospital),
                other: day(plan.round.deadlines.other),
                at: day(plan.round.deadlines.closesOn),
              })}`
            : ''}
        </p>
        <ul>
          <li data-testid="selected-count">
            {t('summary.selected', { count: plan.selectedCount })}
          </li>
          <li>{t('summary.cost', { cost: bn(result.totalCost), budget: bn(plan.budgetVnd) })}</li>
          {/* Priorities are basis points; shown as points, like the composite. */}
          <li>{t('summary.objective', { value: num(result.objective / 100, 2) })}</li>
          <li data-testid="price-of-equity">
            {t('summary.priceOfEquity', { value: num(result.priceOfEquity / 100, 2) })}
          </li>
          <li>{t('summary.method', { method: t(`summary.methods.${result.method}`) })}</li>
          <li>
            {t('summary.bindingLabel')}{' '}
            {plan.binding.length === 0
              ? t('summary.none')
              : plan.binding.map((g, index) => {
                  const items = g.items.map((i) =>
                    i.key === null
                      ? `${num(i.value)}/${num(i.limit)}`
                      : `${g.constraint.startsWith('tier') ? tc(`tiers.${i.key}`) : i.key} ${num(i.value)}/${num(i.limit)}`,
                  )
                  return (
                    <span key={g.constraint}>
                      {index > 0 ? '; ' : ''}
                      {t(`summary.constraints.${g.constraint}`)}:{' '}
                      {items.slice(0, BINDING_LISTED).join(', ')}
                      {items.length > BINDING_LISTED ? (
                        <details className="inline-details">
                          <summary>
                            {t('summary.moreBinding', { count: items.length - BINDING_LISTED })}
                          </summary>
                          {items.slice(BINDING_LISTED).join(', ')}
                        </details>
                      ) : null}
                    </span>
                  )
                })}
          </li>
          {plan.flaggedCount > 0 ? (
            <li>{t('summary.flagged', { count: plan.flaggedCount })}</li>
          ) : null}
          {plan.tieCodes.length > 0 ? (
            <li>{t('summary.ties', { list: plan.tieCodes.join(', ') })}</li>
          ) : null}
          {rob ? (
            <li data-testid="robustness-summary">
              {t('robustness.summary', {
                draws: num(rob.draws),
                seed: rob.seed,
                error: num(rob.monteCarloError * 100, 1),
                robustIn: rob.counts['robust-in'],
                borderline: rob.counts.borderline,
                robustOut: rob.counts['robust-out'],
              })}
            </li>
          ) : null}
          <li className="muted">{t('summary.inputHash', { hash: plan.inputHash.slice(0, 16) })}</li>
        </ul>
        <p className="actions">
          <a className="button" href={exportLinks.csv} download>
            {t('export.csv')}
          </a>{' '}
          <a className="button" href={exportLinks.xlsx} download>
            {t('export.xlsx')}
          </a>{' '}
          <a href={exportLinks.json}>{t('export.json')}</a>
        </p>
      </section>
      <section aria-labelledby="ready-title">
        <h2 id="ready-title">{t('lists.ready')}</h2>
        <FacilityTable
          rows={plan.selected}
          domains={plan.domains}
          rules={plan.rules}
          showPriorityTerms={plan.params.objective === 'weighted'}
          showRobustness={rob !== null}
          caption={t('lists.ready')}
        />
        {plan.selectedCount > plan.selected.length ? (
          <p>{t('lists.more', { count: plan.selectedCount - plan.selected.length })}</p>
        ) : null}
      </section>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{t('lists.next')}</h2>
        <p className="muted">{t('lists.nextIntro')}</p>
        {plan.next.length > 0 ? (
          <FacilityTable
            rows={plan.next}
            domains={plan.domains}
            rules={plan.rules}
            showPriorityTerms={plan.params.objective === 'weighted'}
            showRobustness={rob !== null}
            caption={t('lists.next')}
          />
        ) : (
          <p>{t('summary.none')}</p>
        )}
      </section>
      <section aria-labelledby="support-title">
        <h2 id="support-title">{t('lists.support')}</h2>
        <p className="muted">{t('lists.supportIntro')}</p>
        <FacilityTable
          rows={plan.support}
          domains={plan.domains}
          rules={plan.rules}
          showHoldingBack
          caption={t('lists.support')}
        />
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
                            ? t('lists.completeness', { pct: num(e.completeness * 100) })
                            : e.kind === 'level'
                              ? t('lists.belowLevel', { level: e.levelId, min: e.minLevel })
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
  )
}
