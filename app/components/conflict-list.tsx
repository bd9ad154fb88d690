/**
 * Why no wave can be selected, one line per conflict of the quotas with the
 * eligible facilities, the capacity or the budget, in the reader's language:
 * the planner's infeasible request and a roadmap's infeasible period.
 */
import { useTranslation } from 'react-i18next'
import { useNumberFormat } from '../utils/number-format.ts'
import type { PlanView } from '../waves/plan-view.server.ts'

/** A conflict over every province lists a few names and the count of the rest. */
const QUOTAS_LISTED = 6

export function ConflictList({ conflicts }: { conflicts: PlanView['conflicts'] }) {
  const { t } = useTranslation('waves')
  const { t: tc } = useTranslation()
  const { bn } = useNumberFormat()
  return (
    <ul>
      {conflicts.map((c) => {
        const names = c.quotas.map((q) => (q.family === 'tier' ? tc(`tiers.${q.key}`) : q.name))
        const quotas =
          names.length > QUOTAS_LISTED
            ? `${names.slice(0, QUOTAS_LISTED).join(', ')} … (+${names.length - QUOTAS_LISTED})`
            : names.join(', ')
        return (
          <li key={`${c.kind}-${c.quotas.map((q) => q.key).join()}`}>
            {t(`infeasible.kinds.${c.kind}`, {
              quotas,
              min: c.figures.min,
              max: c.figures.max,
              eligible: c.figures.eligible,
              total: c.figures.total,
              capacity: c.figures.capacity,
              cost: c.figures.cost === undefined ? '' : bn(c.figures.cost),
              budget: c.figures.budget === undefined ? '' : bn(c.figures.budget),
            })}
          </li>
        )
      })}
    </ul>
  )
}
