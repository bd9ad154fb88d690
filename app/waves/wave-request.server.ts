/**
 * From the facilities of a plan to what the engine is asked: rank entries
 * (priority inputs), the ranking, and the wave request with its quotas. The
 * quotas are built once and shared by the selection and the robustness draws,
 * so the two can never ask different questions.
 */
import type { ScoringModel } from '../../scoring/model-schema.ts'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import {
  feasibilityBreakdown,
  needBreakdown,
  type PriorityObjective,
} from '../../scoring/priority.ts'
import { rankFacilities, type RankEntry, type Ranking } from '../../scoring/rank.ts'
import { robustnessFacility, type RobustnessRequestInput } from '../../scoring/robustness.ts'
import type { Quota, WaveRequestInput } from '../../scoring/wave.ts'
import {
  BILLION,
  parseCostLines,
  parseProvinceQuotaLines,
  type WaveParams,
} from './wave-params.server.ts'
import type { WaveInput } from './wave-inputs.server.ts'

const TECHNICAL_LEVEL = { central: 'specialised', provincial: 'basic', basic: 'initial' } as const

export interface WaveRequestBuild {
  entries: Array<RankEntry & { need: number; feasibility: number }>
  ranking: Ranking
  /** The selection request: ranked facilities, capacity, budget, costs and quotas. */
  request: WaveRequestInput
  costByCode: Map<string, number>
  /** Whether selecting needs the MILP solver (tier quotas or unequal costs). */
  needsMilp: boolean
  /** The same wave for the robustness draws (built on demand: it copies every score). */
  robustnessRequest: () => RobustnessRequestInput
}

/** The tier quotas the parameters name (none when a tier has neither bound). */
function tierQuotasOf(params: WaveParams): Record<string, Quota> {
  const out: Record<string, Quota> = {}
  const bounds = [
    ['central', params.centralMin, params.centralMax],
    ['provincial', params.provincialMin, params.provincialMax],
    ['basic', params.basicMin, params.basicMax],
  ] as const
  for (const [tier, min, max] of bounds) {
    if (min !== undefined || max !== undefined) out[tier] = { min: min ?? 0, max }
  }
  return out
}

/**
 * The uniform quota for every province ranked, then the per-province lines
 * on top (a line may name a province with nobody eligible: its minimum is
 * then reported, not dropped).
 */
function provinceQuotasOf(params: WaveParams, ranking: Ranking): Record<string, Quota> {
  const overrides = parseProvinceQuotaLines(params.provinceQuotas).quotas
  const uniform = params.provinceMin !== undefined || params.provinceMax !== undefined
  const provinces = new Set<string>(overrides.keys())
  if (uniform) for (const r of ranking.ranked) if (r.province !== null) provinces.add(r.province)
  const out: Record<string, Quota> = {}
  for (const p of [...provinces].sort()) {
    const own = overrides.get(p)
    out[p] = { min: own?.min ?? params.provinceMin ?? 0, max: own?.max ?? params.provinceMax }
  }
  return out
}

/**
 * Rank the plan's facilities (those with EMR live are left out) and build
 * the selection request once.
 */
export function buildWaveRequest(
  model: ScoringModel,
  inputs: readonly WaveInput[],
  params: WaveParams,
  objective: PriorityObjective,
): WaveRequestBuild {
  const costByCode = parseCostLines(params.costs).costs
  const entries = inputs
    .filter((f) => f.emrStatus !== 'live')
    .map((f) => ({
      facilityId: String(f.facilityId),
      code: f.code,
      score: f.score,
      province: f.provinceCode,
      tier: f.tier,
      // Until the registry and the round say more, the deadline, referral role and HIS
      // compatibility are unknown (they earn nothing) rather than assumed.
      need: needBreakdown(
        {
          beds: f.beds,
          deadlineMissed: null,
          technicalLevel: TECHNICAL_LEVEL[f.tier],
          referralRole: null,
        },
        CURRENT_PRIORITY_MODEL.need,
      ).value,
      feasibility: feasibilityBreakdown(
        {
          budgetSecuredPct: f.budgetSecuredPct,
          autonomyGroup:
            f.autonomyGroup === 1 ||
            f.autonomyGroup === 2 ||
            f.autonomyGroup === 3 ||
            f.autonomyGroup === 4
              ? f.autonomyGroup
              : f.ownership === 'private'
                ? 'notApplicable'
                : null,
          hisCompatibility: null,
        },
        CURRENT_PRIORITY_MODEL.feasibility,
      ).value,
    }))
  const ranking = rankFacilities(entries, { model, objective })
  const provinceQuotas = provinceQuotasOf(params, ranking)
  const tierQuotas = tierQuotasOf(params)
  const constraints = {
    capacity: params.capacity,
    budget: params.budgetBn * BILLION,
    defaultCost: params.costBn * BILLION,
    provinceQuotas,
    tierQuotas,
  }
  const request: WaveRequestInput = {
    ...constraints,
    facilities: ranking.ranked.map((r) => ({
      facilityId: r.facilityId,
      code: r.code,
      priorityBp: r.priorityBp,
      province: r.province ?? '',
      tier: r.tier ?? undefined,
      cost: costByCode.get(r.code),
      gateSubscoreBp: r.gateSubscoreBp,
      needBp: r.needBp,
    })),
  }
  const entryById = new Map(entries.map((e) => [e.facilityId, e]))
  const robustnessRequest = (): RobustnessRequestInput => ({
    facilities: ranking.ranked.flatMap((r) => {
      const entry = entryById.get(r.facilityId)
      if (!entry) return []
      return [
        robustnessFacility({
          facilityId: r.facilityId,
          code: r.code,
          province: r.province ?? '',
          tier: r.tier ?? undefined,
          cost: costByCode.get(r.code),
          score: entry.score,
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
    wave: constraints,
  })
  return {
    entries,
    ranking,
    request,
    costByCode,
    needsMilp: Object.keys(tierQuotas).length > 0 || costByCode.size > 0,
    robustnessRequest,
  }
}
