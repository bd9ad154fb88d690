/**
 * The wave planner: reads the scores of a round, ranks them with the engine
 * and selects the wave under capacity, budget and quotas. The maths lives in
 * `scoring/`; the parts here are the parameters (wave-params), the request
 * built once from the facilities (wave-request), the selection (below, with
 * the one HiGHS loader in solver.server.ts) and the rows (wave-rows).
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.ts'
import { CURRENT_PRIORITY_MODEL } from '../../db/content/priority-model.ts'
import type { ScoringModel } from '../../scoring/model-schema.ts'
import type { PriorityModel, PriorityObjective } from '../../scoring/priority.ts'
import type { RobustnessLabel, RobustnessRequestInput } from '../../scoring/robustness.ts'
import { selectParsedWave, type WaveResult } from '../../scoring/wave.ts'
import { getScoringModel } from '../models/content.server.ts'
import { getCurrentRound, getRound } from '../models/round.server.ts'
import { getLatestCostTable } from '../models/roadmap.server.ts'
import { getRoundDeadlines, listScoredModels } from '../models/wave-input.server.ts'
import type { FacilityFilter } from '../utils/auth.server.ts'
import { bilingual, type Bilingual } from '../utils/bilingual.server.ts'
import { MIB } from '../utils/bytes.ts'
import { LruMap } from '../utils/lru-map.ts'
import { canonicalJson } from './canonical-json.ts'
import { getSolver } from './solver.server.ts'
import { spendSupport, type PlanSupport } from './support-spend.server.ts'
import { loadWaveInputs, type WaveInput } from './wave-inputs.server.ts'
import {
  BILLION,
  objectiveOf,
  parseCostLines,
  parseProvinceQuotaLines,
  supportBudgetVnd,
  type WaveParams,
} from './wave-params.server.ts'
import { buildWaveRequest, dataQualityOf, type RoundDeadlines } from './wave-request.server.ts'
import { shapeRows, type WaveRow } from './wave-rows.server.ts'
import type { Locale } from '../i18n.ts'
import { localized } from '../utils/localized.ts'

/** A robustness run attached to a plan (the per-facility figures are on the rows). */
export interface PlanRobustness {
  seed: number
  draws: number
  alpha: number
  monteCarloError: number
  counts: Record<RobustnessLabel, number>
}

/** A data-quality rule of the plan's scoring model, as rows mark it (kept with saved runs). */
export interface PlanRule {
  id: string
  effect: 'refuse' | 'flag'
  question: string
  message: { vi: string; en: string }
}

export interface WavePlan {
  /** With the legal EMR deadlines it ranked against (absent in runs saved before them). */
  round: { id: number; name: string; deadlines?: RoundDeadlines }
  model: {
    /** scoring_models.id */
    rowId: number
    id: string
    version: string
    domains: Array<{ id: string; title: { vi: string; en: string } }>
    /** The model's answer rules (absent in runs saved before them). */
    rules?: PlanRule[]
  }
  params: WaveParams
  objective: PriorityObjective
  /** The need and feasibility formulas used; null in runs saved before they were versioned. */
  priorityModel: PriorityModel | null
  result: WaveResult
  rows: WaveRow[]
  budgetVnd: number
  /**
   * The support budget spent before the wave and what it lifted; null without the option
   * (absent in runs saved before it).
   */
  support?: PlanSupport | null
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

// A national build holds ~13,000 rows (about 17 MB as approximateBytes counts it, so
// the bound keeps two or three national builds beside many province ones); plans are never mutated
// (withRobustness and restrictPlan return new objects), so sharing is safe.
const buildCache = new LruMap<string, WaveBuild>({ entries: 8, bytes: 48 * MIB })

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

/** A parameter the data refuses, in the shape of zod's issues, worded in both languages. */
export interface ParamIssue {
  path: string[]
  message: Bilingual
}

export type FieldErrors = Record<string, string[] | undefined>

/** The data's refusals of parameters, by field (dotted path), worded in `locale`. */
export function paramIssueErrors(issues: readonly ParamIssue[], locale: Locale): FieldErrors {
  const fieldErrors: FieldErrors = {}
  for (const issue of issues) {
    const key = issue.path.join('.')
    fieldErrors[key] = [...(fieldErrors[key] ?? []), localized(issue.message, locale)]
  }
  return fieldErrors
}

/**
 * What the parameters name must exist: the minimum level in the model, every
 * facility of a cost line in the plan's scope, every province of a quota line
 * among the 34. Anything else was silently ignored before; now it is refused,
 * listed.
 */
function checkParamsAgainstData(
  params: WaveParams,
  model: ScoringModel,
  known: { facilityCodes: ReadonlySet<string>; provinceCodes: ReadonlySet<string> },
): ParamIssue[] {
  const issues: ParamIssue[] = []
  if (!model.levels.some((l) => l.id === params.minLevel)) {
    const levels = model.levels.map((l) => l.id).join(', ')
    issues.push({
      path: ['minLevel'],
      message: bilingual('waves:params.noLevel', {
        version: model.version,
        level: params.minLevel,
        levels,
      }),
    })
  }
  const unknownCodes = [...parseCostLines(params.costs).costs.keys()].filter(
    (c) => !known.facilityCodes.has(c),
  )
  if (unknownCodes.length > 0) {
    issues.push({
      path: ['costs'],
      message: bilingual('waves:params.unknownFacilities', { codes: unknownCodes.join(', ') }),
    })
  }
  const unknownProvinces = [...parseProvinceQuotaLines(params.provinceQuotas).quotas.keys()].filter(
    (c) => !known.provinceCodes.has(c),
  )
  if (unknownProvinces.length > 0) {
    issues.push({
      path: ['provinceQuotas'],
      message: bilingual('waves:params.unknownProvinces', { codes: unknownProvinces.join(', ') }),
    })
  }
  return issues
}

/** What a plan (or a roadmap) is computed from: the round, its model and deadlines, the inputs in scope. */
export interface PlanInputs {
  round: { id: number; name: string }
  modelId: number
  model: ScoringModel
  deadlines: RoundDeadlines
  inputs: WaveInput[]
  inputHash: string
}

/**
 * The round the parameters name (else the current one), the scoring model
 * (else the round's own), its legal deadlines and the facilities in scope
 * with their scores on the basis, with the parameters checked against that
 * data. One home for the wave planner and the roadmap, so they read the same
 * inputs. `missing` names what does not exist; `invalid` lists parameters the
 * data refuses. Never writes.
 */
export async function gatherPlanInputs(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: WaveParams,
  today: string,
): Promise<PlanInputs | { missing: 'round' | 'model' } | { invalid: ParamIssue[] }> {
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
  const deadlineRow = await getRoundDeadlines(db, round.id)
  if (!deadlineRow) return { missing: 'round' }
  const deadlines: RoundDeadlines = {
    closesOn: deadlineRow.closes_on,
    hospital: deadlineRow.hospital_emr_deadline,
    other: deadlineRow.other_emr_deadline,
  }
  const { inputs, inputHash, facilityCodes, provinceCodes } = await loadWaveInputs(db, filter, {
    roundId: round.id,
    model,
    scoringModelId: modelId,
    verifiedOnly: params.basis === 'verified',
  })
  const issues = checkParamsAgainstData(params, model, { facilityCodes, provinceCodes })
  if (issues.length > 0) return { invalid: issues }
  return {
    round: { id: round.id, name: round.name },
    modelId,
    model,
    deadlines,
    inputs,
    inputHash,
  }
}

/**
 * Builds the plan from today's data (see `gatherPlanInputs` for `missing`
 * and `invalid`). Never writes.
 */
export async function buildWave(
  db: Kysely<Database>,
  filter: FacilityFilter,
  params: WaveParams,
  today: string,
): Promise<WaveBuild | { missing: 'round' | 'model' } | { invalid: ParamIssue[] }> {
  const gathered = await gatherPlanInputs(db, filter, params, today)
  if (!('inputs' in gathered)) return gathered
  const { round, modelId, model, deadlines, inputs, inputHash } = gathered
  const priority = CURRENT_PRIORITY_MODEL
  // The same inputs and parameters give the same plan: reviewers of a round
  // mostly open the same few views, so the last few builds are kept.
  // The input hash covers what ranking reads; names shown in the lists and files are not in it.
  const labels = labelsHash(inputs)
  // The support option reads the newest cost table: a new version is a new plan.
  const costTable = params.supportBn !== undefined ? await getLatestCostTable(db) : null
  if (params.supportBn !== undefined && !costTable) {
    return { invalid: [{ path: ['supportBn'], message: bilingual('waves:params.noCostTable') }] }
  }
  const cacheKey = canonicalJson({
    costTable: costTable?.id ?? null,
    deadlines,
    filter,
    inputHash,
    labels,
    modelId,
    params,
    priority: priority.version,
    round: round.id,
  })
  const cached = buildCache.get(cacheKey)
  if (cached) return cached

  const objective = objectiveOf(params)
  const support =
    params.supportBn !== undefined && costTable
      ? await spendSupport(db, gathered, params, costTable, supportBudgetVnd(params.supportBn))
      : null
  const wave = buildWaveRequest({
    model,
    priority,
    inputs,
    round: deadlines,
    params,
    objective,
    liftedIds: new Set(support?.lifted.map((f) => String(f.facilityId))),
  })
  // The greedy path needs no solver; load HiGHS only when the instance needs MILP.
  const result = selectParsedWave(wave.request, wave.needsMilp ? await getSolver() : undefined)
  const defaultCost = params.costBn * BILLION
  const rows = shapeRows({
    model,
    inputs,
    ranking: wave.ranking,
    result,
    priorityInputs: wave.priorityInputs,
    dataQualityOf: (f) => dataQualityOf(model, f),
    costOf: (code) => wave.costByCode.get(code) ?? defaultCost,
  })
  const build: WaveBuild = {
    plan: {
      round: { id: round.id, name: round.name, deadlines },
      model: {
        rowId: modelId,
        id: model.id,
        version: model.version,
        domains: model.domains.map((d) => ({ id: d.id, title: d.title })),
        rules: (model.answerRules ?? []).map((r) => ({
          id: r.id,
          effect: r.effect,
          question: r.question,
          message: r.message,
        })),
      },
      // Resolved: a saved run re-runs on the same round and model, not on "the current one".
      params: { ...params, round: round.id, model: modelId },
      objective,
      priorityModel: priority,
      result,
      rows,
      budgetVnd: params.budgetBn * BILLION,
      support,
      inputHash,
      scope: filter,
      robustness: null,
    },
    robustnessRequest: wave.robustnessRequest,
    needsMilp: wave.needsMilp,
  }
  buildCache.set(cacheKey, build)
  return build
}
