/**
 * "Did readiness predict go-live?": for the members of adopted waves whose
 * outcome is due (the wave's target go-live date has passed), the go-live
 * rate and the median time to go-live by the readiness level, and by each
 * domain's score band, the ranking run recorded when the wave was chosen.
 * Pure (no I/O, no clock); which waves are due is the query's
 * (`listDueWaveOutcomes`).
 *
 * - Go-live rate = members with a confirmed full go-live / members.
 * - Time to go-live = days from the wave's adoption to the date of the
 *   confirmed full go-live; the median is over the members that went live.
 * - Domain bands on the 0–100 domain score: below 50, 50 to 69, 70 and above.
 * - A cell of fewer than `SMALL_SAMPLE` members is marked small: its rate
 *   says little, and the page says so next to it.
 */
import { median } from '../utils/medians.ts'
import { dayNumber } from './rules.ts'

/** Below this many members a cell is too small to read much into. */
export const SMALL_SAMPLE = 10

export const DOMAIN_BANDS = ['below50', 'from50to69', 'from70'] as const
export type DomainBand = (typeof DOMAIN_BANDS)[number]

/** One wave member whose outcome is due, with its readiness as the wave's run recorded it. */
export interface MemberOutcome {
  level: string
  /** Domain id → score in [0, 1], as the run stored it. */
  domains: Readonly<Record<string, number>>
  adoptedOn: string
  /** The confirmed full go-live's date; null while not live. */
  liveOn: string | null
}

export interface OutcomeCell {
  n: number
  live: number
  /** live / n; null for an empty cell. */
  rate: number | null
  /** Median days from adoption to full go-live of the members that went live; null when none did. */
  medianDays: number | null
  small: boolean
}

/**
 * The band of a domain score in [0, 1], compared in basis points so that
 * 0.695 is 6950 bp (50–69) and 0.7 is 7000 (70 and above).
 * Example: domainBand(0.4999) → 'below50'.
 */
export function domainBand(score: number): DomainBand {
  const bp = Math.round(score * 10000)
  if (bp < 5000) return 'below50'
  return bp < 7000 ? 'from50to69' : 'from70'
}

/** Example: two members, one live 120 days after adoption → n 2, live 1, rate 0.5, median 120. */
export function outcomeCell(members: readonly MemberOutcome[]): OutcomeCell {
  const days = members.flatMap((m) =>
    m.liveOn === null ? [] : [dayNumber(m.liveOn) - dayNumber(m.adoptedOn)],
  )
  return {
    n: members.length,
    live: days.length,
    rate: members.length === 0 ? null : days.length / members.length,
    medianDays: median(days),
    small: members.length < SMALL_SAMPLE,
  }
}

export interface PredictionTable {
  total: OutcomeCell
  /** Each level a member has, lowest first. */
  byLevel: Array<{ level: string; cell: OutcomeCell }>
  /** For each domain of the model, one cell per band; a member without the domain is left out of it. */
  byDomain: Array<{ domainId: string; bands: Array<{ band: DomainBand; cell: OutcomeCell }> }>
}

/**
 * The table, by the levels the members have (R0 first) and by `domainIds`
 * (the scoring model's, in its order).
 */
export function predictionTable(
  members: readonly MemberOutcome[],
  domainIds: readonly string[],
): PredictionTable {
  const levels = [...new Set(members.map((m) => m.level))].sort()
  return {
    total: outcomeCell(members),
    byLevel: levels.map((level) => ({
      level,
      cell: outcomeCell(members.filter((m) => m.level === level)),
    })),
    byDomain: domainIds.map((domainId) => ({
      domainId,
      bands: DOMAIN_BANDS.map((band) => ({
        band,
        cell: outcomeCell(
          members.filter((m) => {
            const score = m.domains[domainId]
            return score !== undefined && domainBand(score) === band
          }),
        ),
      })),
    })),
  }
}
