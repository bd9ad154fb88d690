/**
 * Dates as the reader writes them, in Vietnam's time zone: dd/mm/yyyy in
 * Vietnamese, and the same order in English (en-GB), so a date never reads
 * month-first. Node and Chromium share ICU data, so server and browser agree.
 */
const formats = new Map<string, Intl.DateTimeFormat>()

function format(language: string, withTime: boolean): Intl.DateTimeFormat {
  const tag = language === 'en' ? 'en-GB' : 'vi-VN'
  const key = `${tag}|${withTime}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(tag, {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    })
    formats.set(key, f)
  }
  return f
}

/** @example formatDate('2025-12-15T03:00:00.000Z', 'vi') // "15/12/2025" */
export function formatDate(iso: string, language: string): string {
  return format(language, false).format(new Date(iso))
}

/** @example formatDateTime('2025-12-15T03:00:00.000Z', 'vi') // "10:00 15/12/2025" in vi-VN's order */
export function formatDateTime(iso: string, language: string): string {
  return format(language, true).format(new Date(iso))
}
