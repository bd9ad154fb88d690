/**
 * Roadmap and uplift bench (#21), on the engine alone (both are pure: the
 * page's queries are the planner's, measured by waves-bench). 13,000
 * synthetic facilities with the waves bench's seeded demo answers (model
 * 1.1.0, readiness spread evenly, 34 provinces, three tiers):
 * - uplift: the cheapest remedial actions to the next level and to R3 for
 *   every facility, with the shipped cost table; target < 5 s;
 * - roadmap: all 13,000 over 8 periods (half-years 2026–2029) by successive
 *   waves, equal costs (greedy waves) and per-facility costs (a HiGHS
 *   knapsack per wave), each with its LP bound; target < 10 s;
 * - the multi-period MILP's size: solve time by facility count over 8
 *   periods, the measurement behind DEFAULT_MAX_MILP_CELLS.
 * Wall time is the target; CPU time is printed beside it (the machine is shared).
 * Run: npx tsx tests/bench/roadmap-bench.ts
 */
import { performance } from 'node:perf_hooks'
import { generateAnswers, type Tier } from '../../db/content/answer-generator.ts'
import { questionnaireV1, scoringModelV1_1 } from '../../db/content/questionnaire.ts'
import { remedialCostsV1 } from '../../db/content/remedial-costs.ts'
import {
  DEFAULT_MAX_MILP_CELLS,
  scheduleRoadmap,
  type RoadmapFacility,
  type RoadmapRequestInput,
} from '../../scoring/roadmap.ts'
import { scoreAssessment, type AssessmentScore } from '../../scoring/score.ts'
import { cheapestUplift, costIndex, type UpliftPlan } from '../../scoring/uplift.ts'

const COUNT = 13_000
const PROVINCES = 34
const TIERS: Tier[] = ['central', 'provincial', 'basic']
const BN = 1_000_000_000
const MIN_LEVEL = 'R2'
const rows: string[][] = []
let missed = 0

function measure<T>(label: string, target: number | null, fn: () => T): T {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const ok = target === null || ms < target
  if (!ok) missed++
  console.info(`${label}: ${ms.toFixed(0)} ms`)
  rows.push([
    label,
    `${ms.toFixed(0)} ms`,
    `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms`,
    target === null ? '' : `< ${target} ms ${ok ? '✓' : '✗'}`,
  ])
  return value
}

const model = scoringModelV1_1
const scores: { code: string; province: string; tier: Tier; score: AssessmentScore }[] = []
for (let i = 0; i < COUNT; i++) {
  const tier = TIERS[i % 3] ?? 'basic'
  const beds = tier === 'central' ? 1200 : tier === 'provincial' ? 450 : 80
  const emrStatus = i % 20 === 0 ? 'live' : 'none'
  const answers = generateAnswers(questionnaireV1, model, i, {
    readiness: (i % 97) / 96,
    tier,
    registry: { beds, emrStatus, ownership: 'public', autonomyGroup: 1 + (i % 4) },
  })
  scores.push({
    code: `B${String(i).padStart(5, '0')}`,
    province: `p${String(i % PROVINCES).padStart(2, '0')}`,
    tier,
    score: scoreAssessment(model, answers),
  })
}

const costs = costIndex(remedialCostsV1.actions)
const levelIds = model.levels.map((l) => l.id)
console.info(`${COUNT} facilities scored`)
const nextPlans = measure(`uplift to the next level, ${COUNT} facilities`, 5000, () =>
  scores.map(({ score }) => {
    const next = levelIds[score.level.index + 1]
    return next === undefined ? null : cheapestUplift(model, score, costs, next)
  }),
)
const r3Plans = measure(`uplift to R3, ${COUNT} facilities`, 5000, () =>
  scores.map(({ score }) => cheapestUplift(model, score, costs, 'R3')),
)
// The roadmap's minimum-level rule reads the uplift to the minimum level.
const uplifts = scores.map(({ score }) => ({
  toMin: cheapestUplift(model, score, costs, MIN_LEVEL),
}))
const plans = [...nextPlans, ...r3Plans].filter((p): p is UpliftPlan => p !== null)
const searched = plans.filter((p) => p.status === 'reached')
const inexact = searched.filter((p) => !p.exact)
const nodes = searched.map((p) => p.nodes).sort((a, b) => a - b)
console.info(
  `uplift: ${plans.length} plans (${searched.length} searched, ${plans.filter((p) => p.status === 'unreachable').length} unreachable); ` +
    `nodes median ${nodes[Math.floor(nodes.length / 2)] ?? 0}, max ${nodes[nodes.length - 1] ?? 0}; ` +
    `${searched.filter((p) => p.method === 'dynamicProgramme').length} finished by the DP, ${inexact.length} not exact (greedy kept)`,
)

function facilitiesWith(equalCosts: boolean): RoadmapFacility[] {
  return scores.map(({ code, province, tier, score }, i) => {
    const toMin = uplifts[i]?.toMin
    const meets = score.level.index >= 2
    return {
      facilityId: code,
      code,
      priorityBp: score.compositeBp,
      province,
      tier,
      ...(equalCosts
        ? {}
        : {
            cost:
              (tier === 'central' ? 15 : tier === 'provincial' ? 10 : 6) * BN +
              (i % 7) * 100_000_000,
          }),
      eligible: score.meetsCompleteness,
      gateSubscoreBp: 0,
      needBp: 0,
      meetsMinLevel: meets,
      upliftCostVnd: meets || toMin?.status !== 'reached' ? null : toMin.costVnd,
    }
  })
}

const periods = Array.from({ length: 8 }, (_, p) => ({
  id: `${2026 + Math.floor(p / 2)}-H${(p % 2) + 1}`,
  end: `${2026 + Math.floor(p / 2)}-${p % 2 === 0 ? '06-30' : '12-31'}`,
  budget: 10_000 * BN,
}))

for (const equalCosts of [true, false]) {
  const request: RoadmapRequestInput = {
    facilities: facilitiesWith(equalCosts),
    periods,
    deadline: '2026-12-31',
    provinceQuotas: { p00: { min: 5 } },
    // Uplift from a separate support budget: with equal rollout costs every wave is a greedy.
    upliftFromBudget: false,
    method: 'sequential',
  }
  const label = equalCosts ? 'equal costs' : 'per-facility costs'
  // The solver is loaded once per process, as the app does: not part of the roadmap's time.
  const highs = await (await import('highs')).default()
  const result = measure(`roadmap ${COUNT} × 8 periods, successive waves, ${label}`, 10_000, () =>
    scheduleRoadmap(request, highs),
  )
  if (!result.feasible) throw new Error(`roadmap infeasible: ${JSON.stringify(result.conflicts)}`)
  const scheduled = result.periods.reduce((a, p) => a + p.selected.length, 0)
  console.info(
    `roadmap (${label}): ${result.method}, ${scheduled} scheduled, ${result.deadline.missing.length} miss 31/12/2026, ` +
      (result.gap === null
        ? 'LP bound not computed (above maxBoundCells)'
        : `gap to the LP bound ${(result.gap * 100).toFixed(3)} %`),
  )
}

// The multi-period MILP by size (per-facility costs, 8 periods): where it stops being quick.
const highs = await (await import('highs')).default()
for (const n of [10, 25]) {
  const all = facilitiesWith(false).slice(0, n)
  const request: RoadmapRequestInput = {
    facilities: all,
    periods: periods.map((p) => ({ ...p, budget: 30 * BN })),
    deadline: '2026-12-31',
    upliftFromBudget: true,
    method: 'milp',
    maxMilpCells: n * 8,
  }
  measure(`multi-period MILP ${n} × 8 = ${n * 8} cells`, null, () =>
    scheduleRoadmap(request, highs),
  )
}
console.info(`DEFAULT_MAX_MILP_CELLS = ${DEFAULT_MAX_MILP_CELLS}`)

const widths = [0, 1, 2, 3].map((k) => Math.max(...rows.map((r) => (r[k] ?? '').length), 8))
const line = (r: string[]) => r.map((c, k) => c.padEnd(widths[k] ?? 8)).join('  ')
console.info(line(['step', 'wall', 'cpu', 'target']))
for (const r of rows) console.info(line(r))
if (missed > 0) {
  console.error(`\n${missed} target(s) missed`)
  process.exitCode = 1
}
