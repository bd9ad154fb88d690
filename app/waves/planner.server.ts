/**
 * The wave planner: reads the scores of a round, ranks them with the engine
 * and selects the wave under capacity, budget and quotas. The maths lives in
 * `scoring/`; this module only gathers inputs, loads the solver and shapes
 * the result for the page and the exports.
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import * as z from 'zod'
import type { Database } from '../../db/schema.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { feasibilityScore, needScore, type PriorityObjective } from '../../scoring/priority.ts'
import { rankFacilities, type ExclusionReason } from '../../scoring/rank.ts'
import {
  robustnessFacility,
  type RobustnessLabel,
  type RobustnessRequestInput,
  type RobustnessResult,
} from '../../scoring/robustness.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import { selectWave, type WaveResult, type WaveSolver } from '../../scoring/wave.ts'
import { getScoringModel } from '../models/content.server.ts'
import { listScoredModels } from '../models/wave-input.server.ts'
import { getCurrentRound, getRound } from '../models/round.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { LruMap } from '../utils/lru-map.ts'
import { canonicalJson } from './canonical-json.ts'
import { loadWaveInputs, type WaveInput } from './wave-inputs.server.ts'

const BILLION = 1_000_000_000

// Messages in both languages: the API and the page share them.
const optionalInt = (min: number, max: number) =>
  z.coerce
    .number({ error: 'Phải là một số / must be a number' })
    .int({ error: 'Phải là số nguyên / must be a whole number' })
    .min(min, { error: `Không được nhỏ hơn ${min} / must be at least ${min}` })
    .max(max, { error: `Không được lớn hơn ${max} / must be at most ${max}` })
    .optional()

const share = z.coerce
  .number({ error: 'Phải là một số / must be a number' })
  .min(0, { error: 'Từ 0 đến 1 / between 0 and 1' })
  .max(1, { error: 'Từ 0 đến 1 / between 0 and 1' })

function nonBlankLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

const COST_LINE = /^([0-9A-Za-z-]{1,20})\s*=\s*(\d{1,3})$/
const QUOTA_LINE = /^(\d{2})\s*=\s*(\d{0,4})\s*-\s*(\d{0,4})$/

/**
 * Per-facility costs from "code=billions" lines (1–100 bn each). One parser
 * for the form check and the planner, so they cannot disagree; bad lines are
 * returned, never skipped.
 */
export function parseCostLines(text: string): { costs: Map<string, number>; bad: string[] } {
  const costs = new Map<string, number>()
  const bad: string[] = []
  for (const line of nonBlankLines(text)) {
    const match = COST_LINE.exec(line)
    const billions = Number(match?.[2] ?? 0)
    if (!match?.[1] || billions < 1 || billions > 100) bad.push(line)
    else costs.set(match[1], billions * BILLION)
  }
  return { costs, bad }
}

/**
 * Per-province quotas from "code=min-max" lines, either bound may be blank
 * ("01=2-10", "79=-5", "04=1-"); each bound given replaces the uniform
 * province minimum or maximum for that province.
 */
export function parseProvinceQuotaLines(text: string): {
  quotas: Map<string, { min?: number; max?: number }>
  bad: string[]
} {
  const quotas = new Map<string, { min?: number; max?: number }>()
  const bad: string[] = []
  for (const line of nonBlankLines(text)) {
    const match = QUOTA_LINE.exec(line)
    if (!match?.[1] || (match[2] === '' && match[3] === '')) bad.push(line)
    else {
      quotas.set(match[1], {
        ...(match[2] ? { min: Number(match[2]) } : {}),
        ...(match[3] ? { max: Number(match[3]) } : {}),
      })
    }
  }
  return { quotas, bad }
}

/** The planner's parameters, as they travel in the URL (so a view can be shared and reproduced). */
export const WaveParamsSchema = z
  .object({
    round: optionalInt(1, 1_000_000),
    /** The scoring model (scoring_models.id); default: the round's own. */
    model: optionalInt(1, 1_000_000),
    basis: z.enum(['declared', 'verified'], { error: 'declared | verified' }).default('declared'),
    objective: z
      .enum(['readiness', 'weighted'], { error: 'readiness | weighted' })
      .default('readiness'),
    wReadiness: share.default(0.6),
    wNeed: share.default(0.25),
    wFeasibility: share.default(0.15),
    capacity: optionalInt(0, 20_000).default(130),
    /** Budget, billion VND. */
    budgetBn: optionalInt(0, 10_000_000).default(1300),
    /** Default cost per facility, billion VND. */
    costBn: optionalInt(1, 100).default(10),
    /** Per-facility costs, one "code=billions" per line. */
    costs: z
      .string()
      .max(20_000, { error: 'Tối đa 20.000 ký tự / at most 20,000 characters' })
      .default(''),
    provinceMin: optionalInt(0, 1000),
    provinceMax: optionalInt(0, 1000),
    /** Per-province overrides of the two above, one "code=min-max" per line. */
    provinceQuotas: z
      .string()
      .max(5_000, { error: 'Tối đa 5.000 ký tự / at most 5,000 characters' })
      .default(''),
    centralMin: optionalInt(0, 1000),
    centralMax: optionalInt(0, 1000),
    provincialMin: optionalInt(0, 1000),
    provincialMax: optionalInt(0, 1000),
    basicMin: optionalInt(0, 1000),
    basicMax: optionalInt(0, 1000),
    /** Robustness: the seed of the weight draws and their number. */
    seed: optionalInt(0, 2_147_483_647).default(2026),
    draws: optionalInt(100, 20_000).default(2000),
  })
  .superRefine((p, ctx) => {
    if (
      p.objective === 'weighted' &&
      Math.abs(p.wReadiness + p.wNeed + p.wFeasibility - 1) > 1e-9
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['wReadiness'],
        message: 'Ba trọng số phải có tổng bằng 1 / the three weights must sum to 1',
      })
    }
    for (const line of parseCostLines(p.costs).bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['costs'],
        message: `"${line.slice(0, 40)}" không có dạng "mã=tỷ đồng" (1–100) / is not "code=billions"`,
      })
    }
    for (const line of parseProvinceQuotaLines(p.provinceQuotas).bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['provinceQuotas'],
        message: `"${line.slice(0, 40)}" không có dạng "mã tỉnh=tối thiểu-tối đa" / is not "province=min-max"`,
      })
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
  /** Share of robustness draws that select the facility; null before robustness runs. */
  selectionProbability: number | null
  robustness: RobustnessLabel | null
}

/** A robustness run attached to a plan (the per-facility figures are on the rows). */
export interface PlanRobustness {
  seed: number
  draws: number
  alpha: number
  monteCarloError: number
  counts: Record<RobustnessLabel, number>
}

export interface WavePlan {
  round: { id: number; name: string }
  model: {
    /** scoring_models.id */
    rowId: number
    id: string
    version: string
    domains: Array<{ id: string; title: { vi: string; en: string } }>
  }
  params: WaveParams
  objective: PriorityObjective
  result: WaveResult
  rows: WaveRow[]
  budgetVnd: number
  /** SHA-256 of the canonical JSON of the scores and attributes ranked (see wave-inputs). */
  inputHash: string
  /** The scope the plan was built in: a province reviewer's plan holds one province. */
  scope: FacilityFilter
  robustness: PlanRobustness | null
}

export interface WaveBuild {
  plan: WavePlan
  /** The request for the engine's robustness draws (eligible facilities only); built on demand. */
  robustnessRequest: () => RobustnessRequestInput
  /** Whether re-selecting the wave needs the MILP solver. */
  needsMilp: boolean
}

// A national build holds ~13,000 rows (a few MB); plans are never mutated
// (withRobustness and restrictPlan return new objects), so sharing is safe.
const buildCache = new LruMap<string, WaveBuild>(8)

// Scores are cached and immutable (see wave-inputs), so their derived views are too.
const domainRecords = new WeakMap<AssessmentScore, Record<string, number>>()

function domainRecord(score: AssessmentScore): Record<string, number> {
  let record = domainRecords.get(score)
  if (!record) {
    record = Object.fromEntries(score.domains.map((d) => [d.id, d.score]))
    domainRecords.set(score, record)
  }
  return record
}

// Kept input lists are shared and never mutated (see wave-inputs), so neither are their labels.
const labelHashes = new WeakMap<readonly WaveInput[], string>()

/** SHA-256 of the names shown beside each facility (not in the input hash: ranking does not read them). */
function labelsHash(inputs: readonly WaveInput[]): string {
  let hash = labelHashes.get(inputs)
  if (hash === undefined) {
    hash = createHash('sha256')
      .update(
        inputs.map((f) => `${f.name}\u0000${f.ownership}\u0000${f.provinceName}`).join('\u0001'),
      )
      .digest('hex')
    labelHashes.set(inputs, hash)
  }
  return hash
}

function weakestDomains(model: ScoringModel, score: AssessmentScore): string[] {
  return [...score.domains]
    .filter((d) => model.domains.some((m) => m.id === d.id))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .slice(0, 2)
    .map((d) => d.id)
}

/**
 * Builds the plan from today's data. `missing` names what does not exist (no
 * round yet, or a scoring model that did not score the round). Never writes.
 */
export async function buildWave(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: WaveParams,
  today: string,
): Promise<WaveBuild | { missing: 'round' | 'model' }> {
  const round = params.round ? await getRound(db, params.round) : await getCurrentRound(db, today)
  if (!round) return { missing: 'round' }
  const modelId = params.model ?? round.scoring_model_id
  if (
    modelId !== round.scoring_model_id &&
    !(await listScoredModels(db, round.id)).some((m) => m.id === modelId)
  ) {
    return { missing: 'model' }
  }
  const model = await getScoringModel(db, modelId)
  const { inputs, inputHash } = await loadWaveInputs(db, filter, {
    roundId: round.id,
    model,
    scoringModelId: modelId,
    verifiedOnly: params.basis === 'verified',
  })
  // The same inputs and parameters give the same plan: reviewers of a round
  // mostly open the same few views, so the last few builds are kept.
  // The input hash covers what ranking reads; names shown in the lists and files are not in it.
  const labels = labelsHash(inputs)
  const cacheKey = canonicalJson({ filter, inputHash, labels, modelId, params, round: round.id })
  const cached = buildCache.get(cacheKey)
  if (cached) return cached
  const objective = objectiveOf(params)
  const costByCode = parseCostLines(params.costs).costs
  const entries = inputs
    .filter((f) => f.emrStatus !== 'live')
    .map((f) => {
      return {
        facilityId: String(f.facilityId),
        code: f.code,
        score: f.score,
        province: f.provinceCode,
        tier: f.tier,
        need: needScore({
          beds: f.beds,
          // Every facility still without EMR is past its deadline (hospitals: 30/9/2025).
          missedDeadline: true,
          technicalLevel: TECHNICAL_LEVEL[f.tier],
          referralRole: f.tier !== 'basic',
        }),
        feasibility: feasibilityScore({
          budgetSecuredPct: f.budgetSecuredPct,
          autonomyGroup:
            f.autonomyGroup === 1 ||
            f.autonomyGroup === 2 ||
            f.autonomyGroup === 3 ||
            f.autonomyGroup === 4
              ? f.autonomyGroup
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
  // The uniform quota for every province ranked, then the per-province lines on top (a
  // line may name a province with nobody eligible: its minimum is then reported, not dropped).
  const overrides = parseProvinceQuotaLines(params.provinceQuotas).quotas
  const uniform = params.provinceMin !== undefined || params.provinceMax !== undefined
  const provinces = [
    ...new Set([
      ...(uniform
        ? ranking.ranked.map((r) => r.province).filter((p): p is string => p !== null)
        : []),
      ...overrides.keys(),
    ]),
  ]
  const provinceQuotas = Object.fromEntries(
    provinces.map((p) => {
      const own = overrides.get(p)
      return [
        p,
        {
          min: own?.min ?? params.provinceMin ?? 0,
          max: own?.max ?? params.provinceMax,
        },
      ]
    }),
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
    const score = f.score
    const id = String(f.facilityId)
    const ranked = rankedById.get(id)
    const exclusions: Exclusion[] =
      f.emrStatus === 'live' ? [{ kind: 'emr_live' }] : (excludedById.get(id) ?? [])
    return {
      facilityId: f.facilityId,
      code: f.code,
      name: f.name,
      province: f.provinceCode,
      provinceName: f.provinceName,
      tier: f.tier,
      ownership: f.ownership,
      rank: ranked?.rank ?? null,
      tied: ranked?.tied ?? false,
      compositeBp: score.compositeBp,
      level: score.level.id,
      priorityBp: ranked?.priorityBp ?? null,
      costVnd: costByCode.get(f.code) ?? params.costBn * BILLION,
      selected: selected.has(id),
      tieAtCutoff: ties.has(id),
      domains: domainRecord(score),
      exclusions,
      holdingBack: !ranked && f.emrStatus !== 'live' ? weakestDomains(model, score) : [],
      completeness: score.completeness,
      selectionProbability: null,
      robustness: null,
    }
  })
  rows.sort(
    (a, b) =>
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      b.compositeBp - a.compositeBp ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  )
  const scoreById = new Map(inputs.map((f) => [String(f.facilityId), f.score]))
  const entryById = new Map(entries.map((e) => [e.facilityId, e]))
  const robustnessRequest = (): RobustnessRequestInput => ({
    facilities: ranking.ranked.flatMap((r) => {
      const score = scoreById.get(r.facilityId)
      const entry = entryById.get(r.facilityId)
      if (!score || !entry) return []
      return [
        robustnessFacility({
          facilityId: r.facilityId,
          code: r.code,
          province: r.province ?? '',
          tier: r.tier ?? undefined,
          cost: costByCode.get(r.code),
          score,
          need: entry.need,
          feasibility: entry.feasibility,
          gateSubscoreBp: r.gateSubscoreBp,
        }),
      ]
    }),
    domainWeights: model.domains.map((d) => d.weight),
    draws: params.draws,
    seed: params.seed,
    objective,
    wave: {
      capacity: params.capacity,
      budget: params.budgetBn * BILLION,
      defaultCost: params.costBn * BILLION,
      provinceQuotas,
      tierQuotas,
    },
  })
  const build: WaveBuild = {
    plan: {
      round: { id: round.id, name: round.name },
      model: {
        rowId: modelId,
        id: model.id,
        version: model.version,
        domains: model.domains.map((d) => ({ id: d.id, title: d.title })),
      },
      // Resolved: a saved run re-runs on the same round and model, not on "the current one".
      params: { ...params, round: round.id, model: modelId },
      objective,
      result,
      rows,
      budgetVnd: params.budgetBn * BILLION,
      inputHash,
      scope: filter,
      robustness: null,
    },
    robustnessRequest,
    needsMilp,
  }
  buildCache.set(cacheKey, build)
  return build
}

/** The plan alone; null when the round or the scoring model does not exist. */
export async function planWave(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: WaveParams,
  today: string,
): Promise<WavePlan | null> {
  const built = await buildWave(db, filter, params, today)
  return 'missing' in built ? null : built.plan
}

/** The plan with a finished robustness run's figures on its rows (a new object). */
export function withRobustness(
  plan: WavePlan,
  result: RobustnessResult,
  meta: { seed: number; alpha: number },
): WavePlan {
  const byId = new Map(result.facilities.map((f) => [f.facilityId, f]))
  const counts: Record<RobustnessLabel, number> = {
    'robust-in': 0,
    borderline: 0,
    'robust-out': 0,
  }
  for (const f of result.facilities) counts[f.label]++
  return {
    ...plan,
    robustness: {
      seed: meta.seed,
      draws: result.draws,
      alpha: meta.alpha,
      monteCarloError: result.monteCarloError,
      counts,
    },
    rows: plan.rows.map((r) => {
      const f = byId.get(String(r.facilityId))
      return f
        ? { ...r, selectionProbability: f.selectionProbability, robustness: f.label }
        : { ...r, selectionProbability: null, robustness: null }
    }),
  }
}
