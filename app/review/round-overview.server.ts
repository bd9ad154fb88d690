/**
 * The round overview's rows, for the page and its downloads: the current
 * round's facilities per province by status and by level, each province's
 * late count and progress, and the whole scope as one more row (the same
 * sums, so the totals always agree with the rows).
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { countByProvinceAndLevel, countByProvinceAndStatus } from '../models/overview.server.ts'
import { getCurrentRound } from '../models/round.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { OVERVIEW_LEVELS, OVERVIEW_STATUSES, type OverviewRow } from './round-overview.ts'

const sum = (counts: Record<string, number>, keys: readonly string[]) =>
  keys.reduce((a, k) => a + (counts[k] ?? 0), 0)

function overviewRow(
  code: string | null,
  name: string,
  status: Record<string, number>,
  levels: Record<string, number>,
  late: boolean,
): OverviewRow {
  const facilities = sum(status, OVERVIEW_STATUSES)
  const done = (status.submitted ?? 0) + (status.verified ?? 0)
  return {
    code,
    name,
    status,
    levels,
    facilities,
    done,
    late: late ? facilities - done : 0,
    scored: sum(levels, OVERVIEW_LEVELS),
  }
}

/** The whole scope: every province's counts added up (null when there is a single province). */
function totalRow(rows: readonly OverviewRow[], name: string, late: boolean): OverviewRow | null {
  if (rows.length < 2) return null
  const add = (keys: readonly string[], of: (r: OverviewRow) => Record<string, number>) =>
    Object.fromEntries(keys.map((k) => [k, rows.reduce((a, r) => a + (of(r)[k] ?? 0), 0)]))
  return overviewRow(
    null,
    name,
    add(OVERVIEW_STATUSES, (r) => r.status),
    add(OVERVIEW_LEVELS, (r) => r.levels),
    late,
  )
}

/**
 * The current round's overview within the scope, or null without a round.
 * `totalName` labels the whole scope's row (in the reader's language).
 */
export async function roundOverview(
  db: Kysely<Database>,
  filter: FacilityFilter,
  today: string,
  totalName: string,
) {
  const round = await getCurrentRound(db, today)
  if (!round) return null
  const [byStatus, byLevel] = await Promise.all([
    countByProvinceAndStatus(db, filter, round.id),
    countByProvinceAndLevel(db, filter, round.id),
  ])
  const counts = new Map<
    string,
    { name: string; status: Record<string, number>; levels: Record<string, number> }
  >()
  for (const r of byStatus) {
    const p = counts.get(r.province_code) ?? { name: r.province_name, status: {}, levels: {} }
    p.status[String(r.status)] = Number(r.count)
    counts.set(r.province_code, p)
  }
  for (const r of byLevel) {
    const p = counts.get(r.province_code)
    if (p) p.levels[r.level] = Number(r.count)
  }
  // After the close date, anything not submitted or verified is late.
  const late = today > round.closes_on
  const provinces = [...counts].map(([code, p]) =>
    overviewRow(code, p.name, p.status, p.levels, late),
  )
  return {
    round: { id: round.id, name: round.name, closesOn: round.closes_on },
    late,
    provinces,
    total: totalRow(provinces, totalName, late),
  }
}
