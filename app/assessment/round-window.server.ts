/**
 * When a round takes writes: from its opening date to its closing date, both
 * included, as dates in Vietnam. Save, submit and evidence upload all ask
 * `roundWriteWindow` and nothing else, so a later rule (a facility's deadline
 * extension) goes here, once.
 */
import { formatDate } from '../utils/date-format.ts'
import { bilingual, type Bilingual } from './messages.server.ts'

export type RoundWindow = 'open' | 'not_yet_open' | 'closed'

export interface RoundDates {
  /** YYYY-MM-DD, the first day writes are taken. */
  opens_on: string
  /** YYYY-MM-DD, the last day writes are taken. */
  closes_on: string
}

/**
 * Whether a round takes writes on `today` (YYYY-MM-DD in Vietnam, see
 * `todayInVietnam`): open when opens_on ≤ today ≤ closes_on.
 * @example roundWriteWindow({ opens_on: '2025-10-01', closes_on: '2025-12-15' }, '2025-12-16') // 'closed'
 */
export function roundWriteWindow(round: RoundDates, today: string): RoundWindow {
  if (today < round.opens_on) return 'not_yet_open'
  if (today > round.closes_on) return 'closed'
  return 'open'
}

/** The answer of a write endpoint to a round that is not open (409). */
export interface RoundNotOpen {
  kind: 'round_not_open'
  window: Exclude<RoundWindow, 'open'>
  opensOn: string
  closesOn: string
  message: Bilingual
}

/** Why the round is not open, in both languages ("Đợt này đã đóng ngày 15/12/2025."). */
export function roundWindowMessage(
  round: RoundDates,
  window: Exclude<RoundWindow, 'open'>,
): Bilingual {
  return window === 'closed'
    ? bilingual('assessment:window.closed', { date: formatDate(round.closes_on) })
    : bilingual('assessment:window.notYetOpen', { date: formatDate(round.opens_on) })
}

/** Null when the round takes writes today; otherwise the refusal to answer with. */
export function refuseOutsideWindow(round: RoundDates, today: string): RoundNotOpen | null {
  const window = roundWriteWindow(round, today)
  if (window === 'open') return null
  return {
    kind: 'round_not_open',
    window,
    opensOn: round.opens_on,
    closesOn: round.closes_on,
    message: roundWindowMessage(round, window),
  }
}
