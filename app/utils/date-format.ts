/**
 * Times as the reader writes them, always in Vietnam's time zone (the
 * server stores UTC): dd/mm/yyyy HH:mm in Vietnamese, the same order in
 * English (en-GB). Node and Chromium share ICU data, so the server render
 * and the hydrated page agree.
 */
import { useTranslation } from 'react-i18next'

export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * @example formatDateTime('2026-11-25T03:04:00.000Z', 'vi') // "25/11/2026 10:04"
 */
export function formatDateTime(iso: string, language: string): string {
  const tag = language === 'en' ? 'en-GB' : 'vi-VN'
  let format = formats.get(tag)
  if (!format) {
    format = new Intl.DateTimeFormat(tag, {
      timeZone: VIETNAM_TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formats.set(tag, format)
  }
  const parts = Object.fromEntries(
    format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  )
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`
}

/** The reader's date format, from the page's language. */
export function useDateFormat(): { dateTime: (iso: string) => string } {
  const { i18n } = useTranslation()
  return { dateTime: (iso) => formatDateTime(iso, i18n.language) }
}
