/**
 * A facility's milestones as reported, newest first, with the reviewer's
 * decision and comment, and the next step: on the facility's rollout page
 * (with each proposal's note and evidence) and on the director's home page.
 */
import { useTranslation } from 'react-i18next'
import type { MilestoneKind, MilestoneStatus } from '../../db/schema.ts'
import type { NextMilestone } from '../rollout/next-step.ts'
import { useDateFormat } from '../utils/date-format.ts'

export interface MilestoneHistoryRow {
  id: number
  kind: MilestoneKind
  occurred_on: string
  status: MilestoneStatus
  note: string
  evidence_ref: string | null
  reviewed_at: string | null
  reviewed_by_name: string | null
  review_comment: string | null
}

export function MilestoneHistory({
  milestones,
  details,
}: {
  milestones: readonly MilestoneHistoryRow[]
  /** Show each proposal's note and evidence reference. */
  details: boolean
}) {
  const { t } = useTranslation('rollout')
  const { date, dateTime } = useDateFormat()
  if (milestones.length === 0) return <p>{t('facility.noMilestones')}</p>
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{t('facility.historyTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('facility.kind')}</th>
            <th scope="col">{t('facility.occurredOn')}</th>
            <th scope="col">{t('facility.state')}</th>
            {details ? (
              <>
                <th scope="col">{t('facility.note')}</th>
                <th scope="col">{t('facility.evidenceRef')}</th>
              </>
            ) : null}
            <th scope="col">{t('facility.review')}</th>
          </tr>
        </thead>
        <tbody>
          {milestones.map((m) => (
            <tr key={m.id}>
              <th scope="row">{t(`kinds.${m.kind}`)}</th>
              <td>{date(m.occurred_on)}</td>
              <td>{t(`milestoneStatus.${m.status}`)}</td>
              {details ? (
                <>
                  <td>{m.note}</td>
                  <td>{m.evidence_ref ?? ''}</td>
                </>
              ) : null}
              <td>
                {m.reviewed_at
                  ? `${dateTime(m.reviewed_at)} · ${m.reviewed_by_name ?? ''}${m.review_comment ? ` — ${m.review_comment}` : ''}`
                  : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The next step to report, its due date and whether that date has passed. */
export function NextStepText({ next }: { next: NextMilestone }) {
  const { t } = useTranslation('rollout')
  const { date } = useDateFormat()
  const step = t(`kinds.${next.kind}`)
  if (next.dueOn === null) return <>{t('facility.next', { step })}</>
  return (
    <>
      {t(next.overdue ? 'home.nextOverdue' : 'facility.nextDue', { step, date: date(next.dueOn) })}
    </>
  )
}
