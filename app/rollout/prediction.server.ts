/**
 * "Did readiness predict go-live?" for the progress page: the members of
 * the waves in scope whose outcome is due, each with the readiness its
 * wave's ranking run recorded (level and domain scores when the wave was
 * chosen, not today's), put through `predictionTable`.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import type { Locale } from '../i18n.ts'
import { listDueWaveOutcomes } from '../models/rollout.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { localized } from '../utils/localized.ts'
import { MIB } from '../utils/bytes.ts'
import { LruMap } from '../utils/lru-map.ts'
import { loadRun } from '../waves/runs.server.ts'
import { predictionTable, type MemberOutcome } from './prediction.ts'

interface RunReadiness {
  domains: Array<{ id: string; title: { vi: string; en: string } }>
  byFacility: Map<number, { level: string; domains: Record<string, number> }>
}

// An adopted run never changes (migration 0020's triggers refuse it), so
// what it recorded may be kept; only its selected rows, not the whole plan.
const readinessCache = new LruMap<number, RunReadiness>({ entries: 32, bytes: 8 * MIB })

async function runReadiness(db: Kysely<Database>, runId: number): Promise<RunReadiness | null> {
  const kept = readinessCache.get(runId)
  if (kept) return kept
  const run = await loadRun(db, runId, { kind: 'all' })
  if (!run) return null
  const readiness: RunReadiness = {
    domains: run.plan.model.domains,
    byFacility: new Map(
      run.plan.rows
        .filter((r) => r.selected)
        .map((r) => [r.facilityId, { level: r.level, domains: r.domains }]),
    ),
  }
  readinessCache.set(runId, readiness)
  return readiness
}

export async function getPrediction(
  db: Kysely<Database>,
  filter: FacilityFilter,
  today: string,
  locale: Locale,
) {
  const rows = await listDueWaveOutcomes(db, filter, today)
  const runs = new Map<number, RunReadiness | null>()
  for (const runId of new Set(rows.map((r) => r.run_id)))
    runs.set(runId, await runReadiness(db, runId))
  const members: MemberOutcome[] = rows.flatMap((r) => {
    const recorded = runs.get(r.run_id)?.byFacility.get(r.facility_id)
    return recorded
      ? [
          {
            level: recorded.level,
            domains: recorded.domains,
            adoptedOn: r.adopted_at.slice(0, 10),
            liveOn: r.live_on,
          },
        ]
      : []
  })
  // The domains of every run read, in the first run's order (waves of one model share them).
  const titles = new Map<string, string>()
  for (const run of runs.values())
    for (const d of run?.domains ?? [])
      if (!titles.has(d.id)) titles.set(d.id, localized(d.title, locale))
  return {
    waves: new Set(rows.map((r) => r.wave_id)).size,
    table: predictionTable(members, [...titles.keys()]),
    domainTitles: Object.fromEntries(titles),
  }
}
