/**
 * Dates as the reader writes them: dd/mm/yyyy in both languages (the app's
 * English is British, day first, like its numbers), in Vietnam's time zone, so a save at 01:00 in Hà Nội is
 * dated that day and not the day before in UTC. Shared by the server and the
 * browser (Node and Chromium format with the same ICU data).
 */
import { useTranslation } from 'react-i18next'

/** Vietnam's time zone (UTC+7, no daylight saving time). */
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const vietnamParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: VIETNAM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/**
 * The calendar date (YYYY-MM-DD) in Vietnam at an instant.
 * @example vietnamDate(new Date('2026-12-15T17:30:00Z')) // "2026-12-16"
 */
export function vietnamDate(instant: Date): string {
  const parts = Object.fromEntries(
    vietnamParts.formatToParts(instant).map((p) => [p.type, p.value]),
  ) as Partial<Record<Intl.DateTimeFormatPartTypes, string>>
  return `${parts.year}-${parts.month}-${parts.day}`
}

/**
 * A calendar date (`2025-12-15`, kept as it is) or an ISO timestamp (shown as
 * its date in Vietnam) as dd/mm/yyyy.
 * @example formatDate('2025-12-15') // "15/12/2025"
 * @example formatDate('2026-11-30T18:00:00.000Z') // "01/12/2026"
 */
export function formatDate(value: string): string {
  const date = CALENDAR_DATE.test(value) ? value : vietnamDate(new Date(value))
  const [, year, month, day] = CALENDAR_DATE.exec(date) ?? []
  return year && month && day ? `${day}/${month}/${year}` : value
}

/**
 * The instant a calendar day starts in Vietnam (UTC+7 all year, no daylight
 * saving time since 1975), for date filters that mean the reader's days.
 * @example vietnamDayStart('2025-12-15') // "2025-12-14T17:00:00.000Z"
 * @example vietnamDayStart('2025-12-15', 1) // the next day: "2025-12-15T17:00:00.000Z"
 */
export function vietnamDayStart(date: string, plusDays = 0): string {
  const start = new Date(`${date}T00:00:00.000+07:00`)
  start.setUTCDate(start.getUTCDate() + plusDays)
  return start.toISOString()
}

const dateTimes = new Map<string, Intl.DateTimeFormat>()

/**
 * An instant as the reader writes it, in Vietnam's time: the date
 * dd/mm/yyyy and the 24-hour time.
 * @example formatDateTime('2025-12-15T03:00:00.000Z', 'vi') // "10:00 15/12/2025"
 */
export function formatDateTime(iso: string, language: string): string {
  const tag = language === 'en' ? 'en-GB' : 'vi-VN'
  let f = dateTimes.get(tag)
  if (!f) {
    f = new Intl.DateTimeFormat(tag, {
      timeZone: VIETNAM_TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
    dateTimes.set(tag, f)
  }
  return f.format(new Date(iso))
}

/** The reader's date format, from the page's language. */
export function useDateFormat(): {
  date: (value: string) => string
  dateTime: (iso: string) => string
} {
  const { i18n } = useTranslation()
  return { date: formatDate, dateTime: (iso) => formatDateTime(iso, i18n.language) }
}
