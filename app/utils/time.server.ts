import { vietnamDate } from './date-format.ts'

/** The server clock, in one place so tests can move it (vi.setSystemTime). */
export function nowIso(): string {
  return new Date().toISOString()
}

/**
 * Today's date (YYYY-MM-DD) in Vietnam, where the rounds' opening and closing
 * dates are set: from 17:00 UTC it is already tomorrow there.
 */
export function todayInVietnam(): string {
  return vietnamDate(new Date())
}

export function isoMinutesAgo(minutes: number, from = Date.now()): string {
  return new Date(from - minutes * 60_000).toISOString()
}
