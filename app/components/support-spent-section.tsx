/**
 * What the planner's support budget bought before the wave (issue #21): the
 * live plan and a saved run show it alike.
 */
import { useTranslation } from 'react-i18next'
import { useNumberFormat } from '../utils/number-format.ts'
import type { PlanView } from '../waves/plan-view.server.ts'

type SupportSpent = NonNullable<PlanView['supportSpent']>

/** Which facilities the support budget lifted before the wave, with their actions and cost. */
export function SupportSpentSection({ support, level }: { support: SupportSpent; level: string }) {
  const { t } = useTranslation('waves')
  const { num, bn } = useNumberFormat()
  return (
    <section className="card" aria-labelledby="support-spent-title">
      <h2 id="support-spent-title">{t('support.plan.title')}</h2>
      <p className="muted">{t('support.plan.intro', { level })}</p>
      <p data-testid="support-spent">
        {t('support.plan.spent', {
          budget: bn(support.budgetVnd),
          spent: bn(support.spentVnd),
          left: bn(support.budgetVnd - support.spentVnd),
          count: num(support.lifted.length),
          candidates: num(support.candidates),
          costTable: support.costTable,
        })}
      </p>
      {support.lifted.length > 0 ? (
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={t('support.plan.title')}
        >
          <table data-testid="support-lifted">
            <thead>
              <tr>
                <th scope="col">{t('support.curve.code')}</th>
                <th scope="col">{t('support.provinces.province')}</th>
                <th scope="col">{t('support.curve.level')}</th>
                <th scope="col">{t('support.curve.cost')}</th>
                <th scope="col">{t('support.curve.actions')}</th>
                <th scope="col">{t('support.plan.inWave')}</th>
              </tr>
            </thead>
            <tbody>
              {support.lifted.map((f) => (
                <tr key={f.code}>
                  <td>{`${f.code} · ${f.name}`}</td>
                  <td>{f.provinceName}</td>
                  <td>{f.levelId}</td>
                  <td>{bn(f.costVnd)}</td>
                  <td>{f.actions.join('; ')}</td>
                  <td>{f.selected ? t('support.plan.selected') : t('support.plan.notSelected')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  )
}
