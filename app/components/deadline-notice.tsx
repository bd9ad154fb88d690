/**
 * A facility's deadline in the current round, as its users see it on the
 * home page and the form: the last day (the extension's, if any, with its
 * reason), the days left, and the next round once one is announced.
 */
import { useTranslation } from 'react-i18next'
import { useDateFormat } from '../utils/date-format.ts'

export interface DeadlineView {
  window: 'open' | 'not_yet_open' | 'closed'
  closesOn: string
  roundClosesOn: string
  daysLeft: number
  extension: { closesOn: string; reason: string } | null
  /** When the registry closed the facility: no deadline applies any more. */
  facilityClosedOn: string | null
}

export function DeadlineNotice({
  deadline,
  nextRound,
}: {
  deadline: DeadlineView
  nextRound: { name: string; opensOn: string; closesOn: string } | null
}) {
  const { t } = useTranslation('rounds')
  const { date } = useDateFormat()
  return (
    <div data-testid="deadline">
      {deadline.facilityClosedOn ? (
        <p className="notice" data-testid="facility-closed">
          {t('deadline.facilityClosed', { date: date(deadline.facilityClosedOn) })}
        </p>
      ) : null}
      {deadline.window === 'open' ? (
        <p>
          <strong>{t('deadline.closesOn', { date: date(deadline.closesOn) })}</strong>{' '}
          {deadline.daysLeft === 0
            ? t('deadline.lastDay')
            : t('deadline.daysLeft', { count: deadline.daysLeft })}
        </p>
      ) : null}
      {deadline.extension && !deadline.facilityClosedOn ? (
        <p className="notice" data-testid="deadline-extension">
          {t('deadline.extended', {
            date: date(deadline.extension.closesOn),
            roundDate: date(deadline.roundClosesOn),
            reason: deadline.extension.reason,
          })}
        </p>
      ) : null}
      {nextRound ? (
        <p className="muted" data-testid="next-round">
          {t('deadline.next', {
            name: nextRound.name,
            opens: date(nextRound.opensOn),
            closes: date(nextRound.closesOn),
          })}
        </p>
      ) : null}
    </div>
  )
}
