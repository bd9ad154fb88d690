/**
 * From the facilities of a plan to what the engine is asked: each facility's
 * priority inputs (every term read from data: the registry, the round, the
 * answers on the plan's basis), the ranking, and the wave request with its
 * quotas. The quotas are built once and shared by the selection and the
 * robustness draws, so the two can never ask different questions.
 */
import { evaluateAnswerRules, type RegistryFacts } from '../../scoring/answer-rules.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import {
  feasibilityBreakdown,
  needBreakdown,
  type FeasibilityBreakdown,
  type NeedBreakdown,
  type PriorityModel,
  type PriorityObjective,
  type ReferralRole,
  type TechnicalLevel,
} from '../../scoring/priority.ts'
import { rankFacilities, type RankEntry, type Ranking } from '../../scoring/rank.ts'
import { robustnessFacility, type RobustnessRequestInput } from '../../scoring/robustness.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import type { Quota, WaveRequest } from '../../scoring/wave.ts'
import {
  BILLION,
  parseCostLines,
  parseProvinceQuotaLines,
  type WaveParams,
} from './wave-params.server.ts'
import type { WaveInput } from './wave-inputs.server.ts'

/** Law 15/2023's technical levels, read from the registry tier. */
const TECHNICAL_LEVEL: Record<WaveInput['tier'], TechnicalLevel> = {
  central: 'specialised',
  provincial: 'basic',
  basic: 'initial',
}

/** The round's legal EMR deadlines and the date the deadline term is judged at (its close). */
export interface RoundDeadlines {
  closesOn: string
  hospital: string
  other: string
}

export type ValueSource = 'declared' | 'verified' | 'registry'

/** Every input of a facility's need and feasibility, with where it came from. */
export interface PriorityInputs {
  beds: number
  bedsSource: ValueSource
  /** The EMR stage answered (the questionnaire's value), null when not answered. */
  emrStage: string | null
  /** The facility's legal EMR deadline by its class; null when the registry has no class. */
  deadline: string | null
  deadlineMissed: boolean | null
  technicalLevel: TechnicalLevel
  referralRole: ReferralRole | null
  budgetSecuredPct: number | null
  budgetSource: 'declared' | 'verified' | null
  autonomyGroup: 1 | 2 | 3 | 4 | 'notApplicable' | null
  /** Mean score (0..1) of the priority model's interoperability items. */
  hisCompatibility: number | null
  need: NeedBreakdown
  feasibility: FeasibilityBreakdown
}

const sourceOf = (f: WaveInput, question: string): 'declared' | 'verified' =>
  f.verifiedQuestions.includes(question) ? 'verified' : 'declared'

/** Mean score of the named items in the (slim) score; null when none is applicable. */
function meanItemScore(score: AssessmentScore, items: ReadonlySet<string>): number | null {
  let sum = 0
  let n = 0
  for (const item of score.items) {
    // Missing and "don't know" score 0 in the engine (no credit); not applicable drops out.
    if (item.score !== null && items.has(item.id)) {
      sum += item.score
      n++
    }
  }
  return n === 0 ? null : sum / n
}

/** What every facility's inputs read from the two models, looked up once per pair. */
interface Reader {
  budgetStatus: string | null
  hisItems: ReadonlySet<string>
  inPlace: ReadonlySet<string>
}
const readers = new WeakMap<ScoringModel, WeakMap<PriorityModel, Reader>>()

function readerFor(model: ScoringModel, priority: PriorityModel): Reader {
  let byPriority = readers.get(model)
  if (!byPriority) {
    byPriority = new WeakMap()
    readers.set(model, byPriority)
  }
  let reader = byPriority.get(priority)
  if (!reader) {
    const budgetItem = model.items.find((i) => i.id === priority.answers.budgetSecuredPct)
    reader = {
      budgetStatus: budgetItem?.statusQuestion ?? null,
      hisItems: new Set(priority.feasibility.hisCompatibility.items),
      inPlace: new Set(priority.answers.emrInPlace),
    }
    byPriority.set(priority, reader)
  }
  return reader
}

/**
 * A facility's priority inputs, each term from data (see the priority model
 * and README "Priority"): beds in use from the answer when given (the
 * registry's planned beds otherwise); the deadline term from the registry
 * class, the round's deadline for it and the answered EMR stage at the
 * round's close; technical level from the tier; referral role, autonomy group
 * and class from the registry; budget from the answer; HIS compatibility from
 * the interoperability item scores. Answers are on the plan's basis.
 */
export function priorityInputsOf(
  model: ScoringModel,
  priority: PriorityModel,
  f: WaveInput,
  round: RoundDeadlines,
): PriorityInputs {
  const a = priority.answers
  const reader = readerFor(model, priority)
  const bedsAnswer = f.answers[a.bedsInUse]
  const answeredBeds =
    typeof bedsAnswer === 'number' && Number.isFinite(bedsAnswer) && bedsAnswer > 0
      ? bedsAnswer
      : null
  const stage = f.answers[a.emrStage]
  const emrStage = typeof stage === 'string' ? stage : null
  const deadline =
    f.facilityClass === null ? null : f.facilityClass === 'hospital' ? round.hospital : round.other
  // ISO dates compare as text. EMR in place (or live in the registry) meets any deadline.
  const passed = deadline !== null && round.closesOn > deadline
  const inPlace = f.emrStatus === 'live' || (emrStage !== null && reader.inPlace.has(emrStage))
  const deadlineMissed =
    deadline === null ? null : !passed || inPlace ? false : emrStage === null ? null : true
  const budgetStatus = reader.budgetStatus === null ? null : f.answers[reader.budgetStatus]
  const budgetAnswer = f.answers[a.budgetSecuredPct]
  const budgetSecuredPct =
    budgetStatus !== model.tokens.dontKnow &&
    typeof budgetAnswer === 'number' &&
    Number.isFinite(budgetAnswer)
      ? budgetAnswer
      : null
  const group = f.autonomyGroup
  // Decree 60 groups public units only: for a private facility the term does not apply.
  const autonomyGroup =
    group === 1 || group === 2 || group === 3 || group === 4
      ? group
      : f.ownership === 'private'
        ? 'notApplicable'
        : null
  const hisCompatibility = meanItemScore(f.score, reader.hisItems)
  const inputs = {
    beds: answeredBeds ?? f.beds,
    deadlineMissed,
    technicalLevel: TECHNICAL_LEVEL[f.tier],
    referralRole: f.referralRole,
  }
  return {
    ...inputs,
    bedsSource: answeredBeds === null ? 'registry' : sourceOf(f, a.bedsInUse),
    emrStage,
    deadline,
    budgetSecuredPct,
    budgetSource: budgetSecuredPct === null ? null : sourceOf(f, a.budgetSecuredPct),
    autonomyGroup,
    hisCompatibility,
    need: needBreakdown(inputs, priority.need),
    feasibility: feasibilityBreakdown(
      { budgetSecuredPct, autonomyGroup, hisCompatibility },
      priority.feasibility,
    ),
  }
}

// A facility's slim score, resolved answers and registry facts are kept objects that stay the
// same while its score and the facility list do (see wave-inputs); what is derived from them
// depends only on those, the models and the round. A reviewer trying parameters, or a
// verification elsewhere, recomputes none of it for the 13,000 others. Identity checks only:
// this runs for every facility on every view.
const keptPriorityInputs = new WeakMap<
  AssessmentScore,
  { registry: RegistryFacts; context: string; value: PriorityInputs }
>()
const keptFlags = new WeakMap<
  object,
  { registry: RegistryFacts; model: ScoringModel; ids: string[] }
>()

/** The facility's flags: the model's answer rules that hold on the plan's basis. */
export function dataQualityOf(model: ScoringModel, f: WaveInput): string[] {
  if ((model.answerRules ?? []).length === 0) return []
  const kept = keptFlags.get(f.answers)
  if (kept?.registry === f.registry && kept.model === model) return kept.ids
  const ids = evaluateAnswerRules(model, { answers: f.answers, registry: f.registry }).map(
    (h) => h.id,
  )
  keptFlags.set(f.answers, { registry: f.registry, model, ids })
  return ids
}

export interface WaveRequestBuild {
  entries: Array<RankEntry & { need: number; feasibility: number }>
  /** Priority inputs of every facility of the plan (EMR live included), by facility id. */
  priorityInputs: ReadonlyMap<string, PriorityInputs>
  ranking: Ranking
  /** The selection request: ranked facilities, capacity, budget, costs and quotas. */
  request: WaveRequest
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
 * Rank the plan's facilities (those with EMR live are left out; those below
 * the minimum level are excluded with the reason) and build the selection
 * request once.
 */
export function buildWaveRequest(input: {
  model: ScoringModel
  priority: PriorityModel
  inputs: readonly WaveInput[]
  round: RoundDeadlines
  params: WaveParams
  objective: PriorityObjective
  /**
   * Facilities a support budget lifts to the minimum level before the wave
   * (support-spend): ranked as at that level, their scores otherwise as they are.
   */
  liftedIds?: ReadonlySet<string>
}): WaveRequestBuild {
  const { model, priority, inputs, round, params, objective } = input
  const minIndex = model.levels.findIndex((l) => l.id === params.minLevel)
  const liftedLevel = { id: params.minLevel, index: minIndex, cappedBy: [] }
  const costByCode = parseCostLines(params.costs).costs
  const context = `${model.id}|${model.version}|${priority.id}|${priority.version}|${round.closesOn}|${round.hospital}|${round.other}`
  const priorityInputs = new Map(
    inputs.map((f) => {
      const kept = keptPriorityInputs.get(f.score)
      if (kept?.registry === f.registry && kept.context === context) {
        return [String(f.facilityId), kept.value] as const
      }
      const value = priorityInputsOf(model, priority, f, round)
      keptPriorityInputs.set(f.score, { registry: f.registry, context, value })
      return [String(f.facilityId), value] as const
    }),
  )
  const entries = inputs
    .filter((f) => f.emrStatus !== 'live')
    .map((f) => {
      const p = priorityInputs.get(String(f.facilityId))
      const lifted = input.liftedIds?.has(String(f.facilityId)) === true
      return {
        facilityId: String(f.facilityId),
        code: f.code,
        score: lifted ? { ...f.score, level: liftedLevel } : f.score,
        province: f.provinceCode,
        tier: f.tier,
        need: p?.need.value ?? 0,
        feasibility: p?.feasibility.value ?? 0,
      }
    })
  const ranking = rankFacilities(entries, { model, objective, minLevel: params.minLevel })
  const provinceQuotas = provinceQuotasOf(params, ranking)
  const tierQuotas = tierQuotasOf(params)
  const constraints = {
    capacity: params.capacity,
    budget: params.budgetBn * BILLION,
    defaultCost: params.costBn * BILLION,
    provinceQuotas,
    tierQuotas,
  }
  const request: WaveRequest = {
    ...constraints,
    method: 'auto',
    facilities: ranking.ranked.map((r) => ({
      facilityId: r.facilityId,
      code: r.code,
      priorityBp: r.priorityBp,
      province: r.province ?? '',
      tier: r.tier ?? undefined,
      cost: costByCode.get(r.code),
      eligible: true,
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
    priorityInputs,
    ranking,
    request,
    costByCode,
    needsMilp: Object.keys(tierQuotas).length > 0 || costByCode.size > 0,
    robustnessRequest,
  }
}
