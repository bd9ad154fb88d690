/** The server clock, in one place so tests can move it (vi.setSystemTime). */
export function nowIso(): string {
  return new Date().toISOString()
}

export function isoMinutesAgo(minutes: number, from = Date.now()): string {
  return new Date(from - minutes * 60_000).toISOString()
}
