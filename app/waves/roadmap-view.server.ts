/**
 * What the roadmap page sends to the browser: per scenario its method, its
 * periods (who, cost, coverage by tier and province) and its deadlines with
 * who misses them and why; one chart of coverage over time and one table of
 * who misses the deadline in each scenario. Lists are capped so a national
 * roadmap stays a small page (the files hold every row).
 */
import { conflictViews } from './plan-view.server.ts'
import type { MissReason, Roadmap, RoadmapFacilityRow, ScenarioResult } from './roadmap.server.ts'

export const ROADMAP_LIST_LIMIT = 200

interface FacilityRef {
  code: string
  name: string
  provinceName: string
  tier: string
}

function scenarioView(
  s: ScenarioResult,
  byId: ReadonlyMap<number, RoadmapFacilityRow>,
  provinceName: ReadonlyMap<string, string>,
) {
  const ref = (id: number): FacilityRef => {
    const f = byId.get(id)
    return {
      code: f?.code ?? String(id),
      name: f?.name ?? '',
      provinceName: f?.provinceName ?? '',
      tier: f?.tier ?? '',
    }
  }
  if (!s.feasible) {
    return {
      budgetBn: s.budgetBn,
      feasible: false as const,
      periodId: s.periodId,
      conflicts: conflictViews(s.conflicts, provinceName),
    }
  }
  return {
    budgetBn: s.budgetBn,
    feasible: true as const,
    method: s.method,
    gap: s.gap,
    lpBound: s.lpBound,
    unscheduled: s.unscheduled,
    periods: s.periods.map((p) => ({
      id: p.id,
      end: p.end,
      costVnd: p.costVnd,
      count: p.facilityIds.length,
      coverage: p.coverage,
      byTier: Object.entries(p.byTier).map(([tier, c]) => ({ tier, ...c })),
      byProvince: Object.entries(p.byProvince).map(([code, c]) => ({
        code,
        name: provinceName.get(code) ?? code,
        ...c,
      })),
      facilities: p.facilityIds.slice(0, ROADMAP_LIST_LIMIT).map(ref),
    })),
    deadlines: s.deadlines.map((d) => ({
      date: d.date,
      scope: d.scope,
      of: d.of,
      metBy: d.metBy,
      metByEnd: s.periods.find((p) => p.id === d.metBy)?.end ?? null,
      missCount: d.missing.length,
      missing: d.missing
        .slice(0, ROADMAP_LIST_LIMIT)
        .map((m) => ({ ...ref(m.facilityId), reason: m.reason })),
    })),
  }
}

/** The page's payload for a built roadmap. */
export function roadmapView(roadmap: Roadmap) {
  const byId = new Map(roadmap.facilities.map((f) => [f.facilityId, f]))
  const provinceName = new Map(roadmap.facilities.map((f) => [f.provinceCode, f.provinceName]))
  const scenarios = roadmap.scenarios.map((s) => scenarioView(s, byId, provinceName))
  // Coverage over time, one series per scenario (s0, s1, …), as a share of the roadmap's facilities.
  const chart = roadmap.periods.map((p, k) => {
    const row: Record<string, string | number | null> = { period: p.end }
    roadmap.scenarios.forEach((s, i) => {
      const c = s.feasible ? s.periods[k]?.coverage : undefined
      row[`s${i}`] = c && c.of > 0 ? c.covered / c.of : null
    })
    return row
  })
  // Who misses the engine's deadline (every facility by it) in each scenario, side by side.
  const missByScenario = roadmap.scenarios.map((s) => {
    const all = s.feasible ? s.deadlines.find((d) => d.scope === 'all') : undefined
    return new Map((all?.missing ?? []).map((m) => [m.facilityId, m.reason]))
  })
  const missedAnywhere = roadmap.facilities.filter((f) =>
    missByScenario.some((m) => m.has(f.facilityId)),
  )
  return {
    round: roadmap.round,
    model: roadmap.model,
    costTable: roadmap.costTable,
    inputHash: roadmap.inputHash,
    periods: roadmap.periods,
    facilityCount: roadmap.facilities.length,
    belowLevel: roadmap.facilities.filter((f) => !f.meetsMinLevel).length,
    minLevel: roadmap.params.wave.minLevel,
    scenarios,
    chart,
    misses: {
      deadline: roadmap.round.deadlines.other,
      total: missedAnywhere.length,
      rows: missedAnywhere.slice(0, ROADMAP_LIST_LIMIT).map((f) => ({
        code: f.code,
        name: f.name,
        provinceName: f.provinceName,
        cells: missByScenario.map((m): MissReason | null => m.get(f.facilityId) ?? null),
      })),
    },
  }
}

export type RoadmapView = ReturnType<typeof roadmapView>
