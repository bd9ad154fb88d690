/** The round overview's columns and row (browser-safe: the page renders them). */

export const OVERVIEW_STATUSES = [
  'not_started',
  'draft',
  'returned',
  'submitted',
  'verified',
] as const
export const OVERVIEW_LEVELS = ['R0', 'R1', 'R2', 'R3', 'R4'] as const

export interface OverviewRow {
  /** The province code; null on the whole scope's row. */
  code: string | null
  name: string
  status: Record<string, number>
  levels: Record<string, number>
  /** Facilities in the round's scope (every status). */
  facilities: number
  /** Submitted or verified. */
  done: number
  /** Not done after the close date; 0 before it. */
  late: number
  /** Facilities with a score (submitted or verified). */
  scored: number
}
