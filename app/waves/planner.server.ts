/**
 * The wave planner: reads the scores of a round, ranks them with the engine
 * and selects the wave under capacity, budget and quotas. The maths lives in
 * `scoring/`; this module only gathers inputs, loads the solver and shapes
 * the result for the page and the exports.
 */
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { feasibilityScore, needScore, type PriorityObjective } from '../../scoring/priority.ts'
import { rankFacilities, type ExclusionReason } from '../../scoring/rank.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import { selectWave, type WaveResult, type WaveSolver } from '../../scoring/wave.ts'
import { getScoringModel } from '../models/content.server.ts'
import { listWaveInputs } from '../models/wave-input.server.ts'
import { getCurrentRound, getRound } from '../models/round.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'

const BILLION = 1_000_000_000

const optionalInt = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional()

const share = z.coerce.number().min(0).max(1)

/** The planner's parameters, as they travel in the URL (so a view can be shared and reproduced). */
export const WaveParamsSchema = z
  .object({
    round: optionalInt(1, 1_000_000),
    basis: z.enum(['declared', 'verified']).default('declared'),
    objective: z.enum(['readiness', 'weighted']).default('readiness'),
    wReadiness: share.default(0.6),
    wNeed: share.default(0.25),
    wFeasibility: share.default(0.15),
    capacity: optionalInt(0, 20_000).default(130),
    /** Budget, billion VND. */
    budgetBn: optionalInt(0, 10_000_000).default(1300),
    /** Default cost per facility, billion VND. */
    costBn: optionalInt(1, 100).default(10),
    /** Per-facility costs, one "code=billions" per line. */
    costs: z.string().max(20_000).default(''),
    provinceMin: optionalInt(0, 1000),
    provinceMax: optionalInt(0, 1000),
    centralMin: optionalInt(0, 1000),
    centralMax: optionalInt(0, 1000),
    provincialMin: optionalInt(0, 1000),
    provincialMax: optionalInt(0, 1000),
    basicMin: optionalInt(0, 1000),
    basicMax: optionalInt(0, 1000),
  })
  .superRefine((p, ctx) => {
    if (
      p.objective === 'weighted' &&
      Math.abs(p.wReadiness + p.wNeed + p.wFeasibility - 1) > 1e-9
    ) {
      ctx.addIssue({ code: 'custom', path: ['wReadiness'], message: 'weights must sum to 1' })
    }
    for (const line of p.costs
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)) {
      if (!/^[0-9A-Za-z-]{1,20}\s*=\s*\d{1,3}$/.test(line)) {
        ctx.addIssue({
          code: 'custom',
          path: ['costs'],
          message: `"${line}" is not "code=billions"`,
        })
      }
    }
  })
export type WaveParams = z.infer<typeof WaveParamsSchema>

/** A blank form field means "use the default", so blanks are dropped before parsing. */
export function parseWaveParams(search: URLSearchParams) {
  return WaveParamsSchema.safeParse(
    Object.fromEntries([...search].filter(([, v]) => v.trim() !== '')),
  )
}

let solver: Promise<WaveSolver> | undefined

/** HiGHS (WASM) is loaded once per process; only the MILP path needs it. */
export function getSolver(): Promise<WaveSolver> {
  solver ??= import('highs').then((m) => m.default())
  return solver
}

function objectiveOf(p: WaveParams): PriorityObjective {
  return p.objective === 'readiness'
    ? { kind: 'readiness' }
    : {
        kind: 'weighted',
        weights: { readiness: p.wReadiness, need: p.wNeed, feasibility: p.wFeasibility },
      }
}

const TECHNICAL_LEVEL = { central: 'specialised', provincial: 'basic', basic: 'initial' } as const

export type Exclusion = { kind: 'emr_live' } | ExclusionReason

export interface WaveRow {
  facilityId: number
  code: string
  name: string
  province: string
  provinceName: string
  tier: string
  ownership: string
  rank: number | null
  tied: boolean
  compositeBp: number
  level: string
  priorityBp: number | null
  costVnd: number
  selected: boolean
  tieAtCutoff: boolean
  domains: Record<string, number>
  exclusions: Exclusion[]
  /** For facilities not ready: the two weakest domains. */
  holdingBack: string[]
  completeness: number
}

export interface WavePlan {
  round: { id: number; name: string }
  model: {
    id: string
    version: string
    domains: Array<{ id: string; title: { vi: string; en: string } }>
  }
  params: WaveParams
  objective: PriorityObjective
  result: WaveResult
  rows: WaveRow[]
  budgetVnd: number
}

function weakestDomains(model: ScoringModel, score: AssessmentScore): string[] {
  return [...score.domains]
    .filter((d) => model.domains.some((m) => m.id === d.id))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .slice(0, 2)
    .map((d) => d.id)
}

/** Builds the plan; null when there is no round. Never writes anything. */
export async function planWave(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: WaveParams,
  today: string,
): Promise<WavePlan | null> {
  const round = params.round ? await getRound(db, params.round) : await getCurrentRound(db, today)
  if (!round) return null
  const model = await getScoringModel(db, round.scoring_model_id)
  const inputs = await listWaveInputs(db, filter, {
    roundId: round.id,
    scoringModelId: round.scoring_model_id,
    verifiedOnly: params.basis === 'verified',
  })
  const objective = objectiveOf(params)
  const costByCode = new Map(
    params.costs
      .split(/\r?\n/)
      .map((l) => l.split('=').map((x) => x.trim()))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '' && kv[1] !== '')
      .map(([code, bn]) => [code, Number(bn) * BILLION]),
  )
  const scores = new Map<number, AssessmentScore>()
  const entries = inputs
    .filter((f) => f.emr_status !== 'live')
    .map((f) => {
      const score = JSON.parse(f.result_json) as AssessmentScore
      scores.set(f.id, score)
      const answers = JSON.parse(f.answers) as Record<string, unknown>
      const budgetPct = answers.emr_budget_secured_pct
      return {
        facilityId: String(f.id),
        code: f.code,
        score,
        province: f.province_code,
        tier: f.tier,
        need: needScore({
          beds: f.beds,
          // Every facility still without EMR is past its deadline (hospitals: 30/9/2025).
          missedDeadline: true,
          technicalLevel: TECHNICAL_LEVEL[f.tier],
          referralRole: f.tier !== 'basic',
        }),
        feasibility: feasibilityScore({
          budgetSecuredPct: typeof budgetPct === 'number' ? budgetPct : null,
          autonomyGroup:
            f.autonomy_group === 1 ||
            f.autonomy_group === 2 ||
            f.autonomy_group === 3 ||
            f.autonomy_group === 4
              ? f.autonomy_group
              : null,
          hisCompatible: null,
        }),
      }
    })
  const ranking = rankFacilities(entries, { model, objective })

  const tierQuota = (min: number | undefined, max: number | undefined) =>
    min === undefined && max === undefined ? undefined : { min: min ?? 0, max }
  const tierQuotas = Object.fromEntries(
    (
      [
        ['central', tierQuota(params.centralMin, params.centralMax)],
        ['provincial', tierQuota(params.provincialMin, params.provincialMax)],
        ['basic', tierQuota(params.basicMin, params.basicMax)],
      ] as const
    ).filter(
      (
        e,
      ): e is readonly [
        'central' | 'provincial' | 'basic',
        { min: number; max: number | undefined },
      ] => e[1] !== undefined,
    ),
  )
  const provinces = [
    ...new Set(ranking.ranked.map((r) => r.province).filter((p): p is string => p !== null)),
  ]
  const provinceQuotas =
    params.provinceMin === undefined && params.provinceMax === undefined
      ? {}
      : Object.fromEntries(
          provinces.map((p) => [p, { min: params.provinceMin ?? 0, max: params.provinceMax }]),
        )
  const waveFacilities = ranking.ranked.map((r) => ({
    facilityId: r.facilityId,
    code: r.code,
    priorityBp: r.priorityBp,
    province: r.province ?? '',
    tier: r.tier ?? undefined,
    cost: costByCode.get(r.code),
    gateSubscoreBp: r.gateSubscoreBp,
    needBp: r.needBp,
  }))
  const request = {
    facilities: waveFacilities,
    capacity: params.capacity,
    budget: params.budgetBn * BILLION,
    defaultCost: params.costBn * BILLION,
    provinceQuotas,
    tierQuotas,
  }
  // The greedy path needs no solver; load HiGHS only when the instance needs MILP.
  const needsMilp = Object.keys(tierQuotas).length > 0 || costByCode.size > 0
  const result = selectWave(request, needsMilp ? await getSolver() : undefined)

  const selected = new Set(result.feasible ? result.selected : [])
  const ties = new Set(result.feasible ? result.tiesAtCutoff : [])
  const excludedById = new Map(ranking.excluded.map((e) => [e.facilityId, e.reasons]))
  const rankedById = new Map(ranking.ranked.map((r) => [r.facilityId, r]))
  const rows: WaveRow[] = inputs.map((f) => {
    const score = scores.get(f.id) ?? (JSON.parse(f.result_json) as AssessmentScore)
    const ranked = rankedById.get(String(f.id))
    const exclusions: Exclusion[] =
      f.emr_status === 'live' ? [{ kind: 'emr_live' }] : (excludedById.get(String(f.id)) ?? [])
    return {
      facilityId: f.id,
      code: f.code,
      name: f.name,
      province: f.province_code,
      provinceName: f.province_name,
      tier: f.tier,
      ownership: f.ownership,
      rank: ranked?.rank ?? null,
      tied: ranked?.tied ?? false,
      compositeBp: score.compositeBp,
      level: score.level.id,
      priorityBp: ranked?.priorityBp ?? null,
      costVnd: costByCode.get(f.code) ?? params.costBn * BILLION,
      selected: selected.has(String(f.id)),
      tieAtCutoff: ties.has(String(f.id)),
      domains: Object.fromEntries(score.domains.map((d) => [d.id, d.score])),
      exclusions,
      holdingBack: !ranked && f.emr_status !== 'live' ? weakestDomains(model, score) : [],
      completeness: score.completeness,
    }
  })
  rows.sort(
    (a, b) =>
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      b.compositeBp - a.compositeBp ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  )
  return {
    round: { id: round.id, name: round.name },
    model: {
      id: model.id,
      version: model.version,
      domains: model.domains.map((d) => ({ id: d.id, title: d.title })),
    },
    params,
    objective,
    result,
    rows,
    budgetVnd: params.budgetBn * BILLION,
  }
}
