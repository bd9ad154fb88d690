/**
 * When a round takes writes: from its opening date to its closing date, both
 * included, as dates in Vietnam, the closing date moved by the facility's
 * deadline extension when a reviewer granted one — and never for a facility an
 * administrator has closed in the registry (merged or shut down: it has no
 * director to answer for it). Save, submit and evidence upload all ask
 * `refuseOutsideFacilityWindow` (`facilityRoundDates`) and nothing else, and
 * the form and home pages show the same dates.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { getExtensionInForce } from '../models/round-extension.server.ts'
import { getFacilityClosedAt } from '../models/facility.server.ts'
import { formatDate, vietnamDate } from '../utils/date-format.ts'
import { bilingual, type Bilingual } from '../utils/bilingual.server.ts'

export type RoundWindow = 'open' | 'not_yet_open' | 'closed'

export interface RoundDates {
  /** YYYY-MM-DD, the first day writes are taken. */
  opens_on: string
  /** YYYY-MM-DD, the last day writes are taken. */
  closes_on: string
}

/** A facility's extension as the window needs it. */
export interface ExtensionDates {
  /** YYYY-MM-DD, the facility's last day of writes. */
  closes_on: string
}

/**
 * A facility's dates in a round: the round's, with the closing date of the
 * extension in force (granted never before the round's close; if the round's
 * close later moved past it, the later date wins, so an extension never
 * shortens a round).
 * @example facilityClosesOn({ opens_on: '2026-01-01', closes_on: '2026-12-31' }, { closes_on: '2027-01-15' }) // '2027-01-15'
 */
export function facilityClosesOn(round: RoundDates, extension: ExtensionDates | null): string {
  if (!extension) return round.closes_on
  return extension.closes_on > round.closes_on ? extension.closes_on : round.closes_on
}

/** The dates a facility's writes into a round are held to. */
export interface FacilityRoundDates extends RoundDates {
  /** The round's own closing date (equal to closes_on without an extension). */
  roundClosesOn: string
  extension: { closesOn: string; reason: string; grantedAt: string } | null
  /** YYYY-MM-DD in Vietnam, when the registry closed the facility; null while open. */
  facilityClosedOn: string | null
}

/** The round's dates for one facility, with its extension in force if any. */
export async function facilityRoundDates(
  db: Kysely<Database>,
  round: RoundDates & { id: number },
  facilityId: number,
): Promise<FacilityRoundDates> {
  const [extension, closedAt] = await Promise.all([
    getExtensionInForce(db, round.id, facilityId),
    getFacilityClosedAt(db, facilityId),
  ])
  return {
    opens_on: round.opens_on,
    closes_on: facilityClosesOn(round, extension ?? null),
    roundClosesOn: round.closes_on,
    extension: extension
      ? { closesOn: extension.closes_on, reason: extension.reason, grantedAt: extension.granted_at }
      : null,
    facilityClosedOn: closedAt ? vietnamDate(new Date(closedAt)) : null,
  }
}

/** The round's window for one facility: closed for good once the registry closed it. */
export function facilityWriteWindow(dates: FacilityRoundDates, today: string): RoundWindow {
  return dates.facilityClosedOn ? 'closed' : roundWriteWindow(dates, today)
}

/**
 * Days from `today` to the last day of writes, both YYYY-MM-DD: 0 on the
 * last day, negative once closed.
 * @example daysLeft('2026-12-31', '2026-12-29') // 2
 */
export function daysLeft(closesOn: string, today: string): number {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000
  return Math.round(day(closesOn) - day(today))
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

/** `refuseOutsideWindow` with the facility's own dates (its extension in force, its closing). */
export async function refuseOutsideFacilityWindow(
  db: Kysely<Database>,
  round: RoundDates & { id: number },
  facilityId: number,
  today: string,
): Promise<RoundNotOpen | null> {
  const dates = await facilityRoundDates(db, round, facilityId)
  if (dates.facilityClosedOn) {
    return {
      kind: 'round_not_open',
      window: 'closed',
      opensOn: dates.opens_on,
      closesOn: dates.closes_on,
      message: bilingual('assessment:window.facilityClosed', {
        date: formatDate(dates.facilityClosedOn),
      }),
    }
  }
  return refuseOutsideWindow(dates, today)
}

/** What a facility's users are shown about their deadline (form and home page). */
export async function facilityDeadline(
  db: Kysely<Database>,
  round: RoundDates & { id: number },
  facilityId: number,
  today: string,
) {
  const dates = await facilityRoundDates(db, round, facilityId)
  return {
    window: facilityWriteWindow(dates, today),
    closesOn: dates.closes_on,
    roundClosesOn: dates.roundClosesOn,
    daysLeft: daysLeft(dates.closes_on, today),
    extension: dates.extension
      ? { closesOn: dates.extension.closesOn, reason: dates.extension.reason }
      : null,
    facilityClosedOn: dates.facilityClosedOn,
  }
}
export type FacilityDeadline = Awaited<ReturnType<typeof facilityDeadline>>
