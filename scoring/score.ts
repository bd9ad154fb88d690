/**
 * Scoring one assessment: answers → item scores → domain scores → composite,
 * completeness, gates and readiness level. Pure: the same model and answers
 * always give the same result, byte for byte once serialised.
 *
 * Rules (see model-schema.ts for each item rule):
 * - item score s_i ∈ [0, 1]; "don't know", blank and invalid answers score 0
 *   and count against completeness, so skipping never pays.
 * - "not applicable" drops the item: the domain's other item weights are
 *   renormalised; a domain with no applicable item drops out and the domain
 *   weights are renormalised over the remaining domains.
 * - D_d = Σ_{i∈A_d} w_i·s_i / Σ_{i∈A_d} w_i, composite = 100·Σ_d W'_d·D_d with
 *   W'_d = W_d / Σ_{applicable d} W_d.
 */
import type { Condition, Item, ItemRule, ScoringModel } from './model-schema.ts'

/**
 * Float slack for threshold comparisons (gate minScore, level minComposite):
 * sums such as 0.1 + 0.2 carry rounding noise, thresholds are policy values
 * written with two decimals, so a 1e-9 slack never changes a real decision.
 */
export const SCORE_TOLERANCE = 1e-9

export type ItemStatus = 'answered' | 'notApplicable' | 'dontKnow' | 'missing'
export type ValueSource = 'declared' | 'verified'
export type Answers = Readonly<Record<string, unknown>>

export interface ItemScore {
  id: string
  domainId: string
  status: ItemStatus
  source: ValueSource
  /** 0..1; null when not applicable. Missing and "don't know" score 0. */
  score: number | null
  /** Share of the composite carried by this item; sums to 1 over applicable items. */
  effectiveWeight: number
  /** Points of composite earned: 100·effectiveWeight·score. */
  contribution: number
  /** Points below perfect: 100·effectiveWeight·(1 − score). */
  lost: number
}

export interface DomainScore {
  id: string
  /** 0..1, weighted mean of applicable items (0 when the domain is not applicable). */
  score: number
  /** Effective (renormalised) domain weight W'_d; 0 when not applicable. */
  weight: number
  /** The model's weight W_d before renormalisation. */
  modelWeight: number
  /** False when every item of the domain is not applicable. */
  applicable: boolean
  /** Points of composite: 100·W'_d·D_d. */
  contribution: number
  /** Answered weight / applicable weight within the domain. */
  completeness: number
}

export type GateFailure =
  { itemId: string; answer: unknown; score: number | null } | { domainId: string; score: number }

export interface GateResult {
  id: string
  enabled: boolean
  passed: boolean
  failedBy: GateFailure | null
}

export interface InvalidAnswer {
  itemId: string
  reason: string
}

/** A domain below a level's floor, which kept that level (and those above) out of reach. */
export interface FloorFailure {
  levelId: string
  domainId: string
  score: number
  min: number
}

export interface AssessmentLevel {
  id: string
  index: number
  /** Ids of failed gates that kept a level the composite reached out of reach. */
  cappedBy: string[]
  /** Domains below a floor of a level the composite reached (only for models with floors). */
  cappedByFloors?: FloorFailure[]
}

export interface AssessmentScore {
  modelId: string
  modelVersion: string
  /** 0–100, unrounded. */
  composite: number
  /** Math.round(composite·100): integer basis points 0..10000, used for ranking. */
  compositeBp: number
  level: AssessmentLevel
  /** 0..1 share of the applicable weight that was answered. */
  completeness: number
  meetsCompleteness: boolean
  domains: DomainScore[]
  items: ItemScore[]
  gates: GateResult[]
  /** Answers that do not fit their rule (the server should reject them). */
  invalid: InvalidAnswer[]
}

export interface ScoreOptions {
  /** Reviewer-verified values; each replaces the declared answer of the same question. */
  verified?: Answers
  /**
   * Switch configurable gates on or off for this run (overrides `gate.enabled`).
   * Changing a gate the model says is not configurable, or naming an unknown
   * gate, throws an error naming it.
   */
  gateEnabled?: Readonly<Record<string, boolean>>
}

// Item evaluation codes: a score in [0, 1], or one of these negatives (exported for the
// encoded scorer, scoring/encoded.ts, which produces the same codes from encoded answers).
export const NOT_APPLICABLE = -1
export const DONT_KNOW = -2
export const MISSING = -3

interface CompiledItem {
  item: Item
  domainIndex: number
  /** Distinct checklist options (duplicates in the model must not dilute the score). */
  options: ReadonlySet<string> | null
  /** Choice scores as a Map: one hash lookup, and no Object.prototype keys. */
  choices: ReadonlyMap<string, number> | null
  /** Best score the rule can give (1 for number/percentage/checklist). */
  best: number
}

/** One gate of a level, resolved to positions (−1 where the model has no such item or domain). */
interface CompiledGate {
  /** Position in model.gates (for the `enabled` flags); −1 for an unknown gate id. */
  position: number
  itemIndex: number
  domainIndex: number
  minScore: number
}

interface CompiledLevel {
  minComposite: number
  gates: CompiledGate[]
  /** max(floor.all, floor[d]) per domain; null without floors. */
  floors: Float64Array | null
}

interface CompiledModel {
  items: CompiledItem[]
  domainWeights: Float64Array
  /** Item weights and domain positions in model order, for the aggregation's hot loop. */
  itemWeights: Float64Array
  itemDomains: Int32Array
  itemIndex: Map<string, number>
  levels: CompiledLevel[]
  // Scratch sums reused by every call (single-threaded JS: no re-entrancy).
  applicable: Float64Array
  weighted: Float64Array
  answered: Float64Array
}

const compiledCache = new WeakMap<ScoringModel, CompiledModel>()

function bestScore(rule: ItemRule): number {
  switch (rule.type) {
    case 'choice':
      return Math.max(0, ...Object.values(rule.scores))
    case 'yesNo':
      return Math.max(rule.yes, rule.no)
    default:
      return 1
  }
}

/** Levels with their gates and floors resolved to positions, for `levelIndexFromCodes`. */
function compileLevels(
  model: ScoringModel,
  itemIndex: ReadonlyMap<string, number>,
  domainIndex: ReadonlyMap<string, number>,
): CompiledLevel[] {
  return model.levels.map((level) => {
    const floors = level.domainFloors
    return {
      minComposite: level.minComposite,
      gates: level.gateIds.map((id): CompiledGate => {
        const position = model.gates.findIndex((gate) => gate.id === id)
        const c = model.gates[position]?.condition
        return {
          position,
          itemIndex: c?.kind === 'item' ? (itemIndex.get(c.itemId) ?? -1) : -1,
          domainIndex: c?.kind === 'domain' ? (domainIndex.get(c.domainId) ?? -1) : -1,
          minScore: c?.minScore ?? 0,
        }
      }),
      floors: floors
        ? Float64Array.from(model.domains, (domain) =>
            Math.max(floors.all ?? 0, floors.domains?.[domain.id] ?? 0),
          )
        : null,
    }
  })
}

/** Precompute lookups once per model object (models are immutable once parsed). */
function compile(model: ScoringModel): CompiledModel {
  const cached = compiledCache.get(model)
  if (cached) return cached
  const domainIndex = new Map(model.domains.map((d, i) => [d.id, i]))
  const items = model.items.map((item) => {
    const index = domainIndex.get(item.domainId)
    if (index === undefined) {
      throw new Error(`item "${item.id}" names unknown domain "${item.domainId}"`)
    }
    return {
      item,
      domainIndex: index,
      options: item.rule.type === 'checklist' ? new Set(item.rule.options) : null,
      choices: item.rule.type === 'choice' ? new Map(Object.entries(item.rule.scores)) : null,
      best: bestScore(item.rule),
    }
  })
  const n = model.domains.length
  const itemIndex = new Map(model.items.map((item, i) => [item.id, i]))
  const compiled: CompiledModel = {
    items,
    domainWeights: Float64Array.from(model.domains, (d) => d.weight),
    itemWeights: Float64Array.from(model.items, (item) => item.weight),
    itemDomains: Int32Array.from(items, (c) => c.domainIndex),
    itemIndex,
    levels: compileLevels(model, itemIndex, domainIndex),
    applicable: new Float64Array(n),
    weighted: new Float64Array(n),
    answered: new Float64Array(n),
  }
  compiledCache.set(model, compiled)
  return compiled
}

/**
 * The one declared/verified resolution: the answer to `key` is the reviewer's
 * verified value when there is one, else the declared answer. The composite,
 * the gates, the answer rules and every planner input read answers through it.
 * @example resolveAnswer({ beds_in_use: 300 }, { beds_in_use: 250 }, 'beds_in_use') // 250
 */
export function resolveAnswer(
  answers: Answers,
  verified: Answers | undefined,
  key: string,
): unknown {
  if (verified !== undefined && Object.hasOwn(verified, key)) return verified[key]
  const value = answers[key]
  // An id such as "constructor" would read Object.prototype: those are all functions, and a
  // JSON answer never is, so one lookup (not hasOwn + get) is enough — this is the hot path.
  return typeof value === 'function' ? undefined : value
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === ''
}

/** applicableIf: the other question's answer is one of `in` (any of them for a checkbox answer). */
function conditionHolds(condition: Condition, answer: unknown): boolean {
  if (Array.isArray(answer)) return answer.some((a: unknown) => condition.in.some((v) => v === a))
  return condition.in.some((v) => v === answer)
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)

/**
 * The key a choice answer is looked up by: SurveyJS stores radiogroup values
 * as given, and numeric values map through their string form; anything else
 * has no key (an unknown choice).
 */
export function choiceKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
}

/**
 * Fixed goalposts: v = clamp((x − floor)/(target − floor), 0, 1); floor > target
 * means lower is better.
 * @example linear(1.5, 0, 2) // 0.75
 */
export function linear(x: number, floor: number, target: number): number {
  return clamp01((x - floor) / (target - floor))
}

type Report = ((reason: string) => void) | undefined

function scoreRule(
  compiled: CompiledItem,
  value: unknown,
  answers: Answers,
  verified: Answers | undefined,
  report: Report,
): number {
  const rule = compiled.item.rule
  switch (rule.type) {
    case 'choice': {
      const key = choiceKey(value)
      const score = key === undefined ? undefined : compiled.choices?.get(key)
      if (score === undefined) {
        report?.(`unknown choice ${JSON.stringify(value)}`)
        return MISSING
      }
      return score
    }
    case 'yesNo':
      if (value === 'yes') return rule.yes
      if (value === 'no') return rule.no
      report?.(`expected "yes" or "no", got ${JSON.stringify(value)}`)
      return MISSING
    case 'percentage':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
        report?.(`expected a percentage 0–100, got ${JSON.stringify(value)}`)
        return MISSING
      }
      return linear(value, rule.floor, rule.target)
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        report?.(`expected a number, got ${JSON.stringify(value)}`)
        return MISSING
      }
      let x = value
      if (rule.per) {
        const denominator = resolveAnswer(answers, verified, rule.per.question)
        // A blank or zero denominator leaves the ratio unknown: unanswered, not invalid.
        if (isBlank(denominator) || denominator === 0) return MISSING
        if (typeof denominator !== 'number' || !Number.isFinite(denominator) || denominator < 0) {
          report?.(`"${rule.per.question}" must be a positive number to compute a ratio`)
          return MISSING
        }
        x = value / (denominator / rule.per.unit)
      }
      return linear(x, rule.floor, rule.target)
    }
    case 'checklist': {
      const options = compiled.options
      if (!Array.isArray(value) || options === null) {
        report?.('expected a list of options')
        return MISSING
      }
      // Count distinct known options without allocating a Set (hot path; lists are short).
      const list = value as unknown[]
      let picked = 0
      let none = false
      for (let k = 0; k < list.length; k++) {
        const v = list[k]
        if (typeof v === 'string' && options.has(v)) {
          if (list.indexOf(v) === k) picked++
        } else if (rule.noneValue !== undefined && v === rule.noneValue) none = true
        else {
          report?.(`unknown option ${JSON.stringify(v)}`)
          return MISSING
        }
      }
      if (none && picked > 0) {
        report?.(`"${rule.noneValue}" cannot be combined with other options`)
        return MISSING
      }
      // With a "none" option, an empty list is a skipped question; without one, it is the answer "none".
      if (!none && picked === 0 && rule.noneValue !== undefined) return MISSING
      return picked / options.size
    }
  }
}

function evaluateItem(
  model: ScoringModel,
  compiled: CompiledItem,
  answers: Answers,
  verified: Answers | undefined,
  report: Report,
): number {
  const item = compiled.item
  const condition = item.applicableIf
  if (
    condition &&
    !conditionHolds(condition, resolveAnswer(answers, verified, condition.question))
  ) {
    return NOT_APPLICABLE
  }
  const { notApplicable, dontKnow } = model.tokens
  const value = resolveAnswer(answers, verified, item.id)
  const status =
    item.statusQuestion === undefined
      ? undefined
      : resolveAnswer(answers, verified, item.statusQuestion)
  if (value === notApplicable || status === notApplicable) {
    if (item.allowNotApplicable) return NOT_APPLICABLE
    report?.('"not applicable" is not allowed for this item')
    return MISSING
  }
  if (value === dontKnow || status === dontKnow) {
    if (item.allowDontKnow) return DONT_KNOW
    report?.('"don\'t know" is not allowed for this item')
    return MISSING
  }
  if (isBlank(value)) return MISSING
  return scoreRule(compiled, value, answers, verified, report)
}

/**
 * Fill per-domain sums from item codes and return composite and completeness.
 * Shared by the full and the batch path so both give bit-identical composites.
 */
function aggregate(
  compiled: CompiledModel,
  codes: Float64Array,
): { composite: number; completeness: number; totalWeight: number } {
  const { applicable, weighted, answered, domainWeights, itemWeights, itemDomains } = compiled
  applicable.fill(0)
  weighted.fill(0)
  answered.fill(0)
  for (let i = 0; i < itemWeights.length; i++) {
    const code = codes[i] ?? MISSING
    if (code === NOT_APPLICABLE) continue
    const w = itemWeights[i] ?? 0
    const d = itemDomains[i] ?? 0
    applicable[d] = (applicable[d] ?? 0) + w
    if (code >= 0) {
      weighted[d] = (weighted[d] ?? 0) + w * code
      answered[d] = (answered[d] ?? 0) + w
    }
  }
  let totalWeight = 0
  for (let d = 0; d < domainWeights.length; d++) {
    if ((applicable[d] ?? 0) > 0) totalWeight += domainWeights[d] ?? 0
  }
  let sum = 0
  let completeness = 0
  if (totalWeight > 0) {
    for (let d = 0; d < domainWeights.length; d++) {
      const a = applicable[d] ?? 0
      if (a <= 0) continue
      const w = (domainWeights[d] ?? 0) / totalWeight
      sum += w * ((weighted[d] ?? 0) / a)
      completeness += w * ((answered[d] ?? 0) / a)
    }
  }
  // Σ W'_d is 1 only up to float noise (0.3 + 0.1 + 0.1 + 0.2 + 0.2 + 0.1 renormalised gives
  // 1.0000000000000002 when everything is answered): completeness is a share, so it is capped
  // at 1. A value that was ≤ 1 is unchanged, so every result stored before is reproduced.
  return { composite: 100 * sum, completeness: Math.min(1, completeness), totalWeight }
}

/**
 * Integer basis points of a composite, clamped to 0..10000: round(100·composite).
 * @example toBasisPoints(72.456) // 7246
 */
export function toBasisPoints(composite: number): number {
  return Math.min(10000, Math.max(0, Math.round(composite * 100)))
}

/**
 * Score one assessment.
 *
 * Formulas: s_i per item rule; D_d = Σ w_i·s_i / Σ w_i over applicable items;
 * composite = 100·Σ W'_d·D_d (W' renormalised over applicable domains);
 * completeness = Σ W'_d·(answered weight_d / applicable weight_d);
 * effectiveWeight_i = W'_d·w_i / Σ_{A_d} w; a gate passes when disabled or
 * when its item is answered (or its domain applicable) with score ≥ minScore;
 * level = the highest level with minComposite ≤ composite whose gates and
 * domain floors (every applicable D_d ≥ max(floor.all, floor[d])), and those
 * of every lower level, pass; on the `basisPoints` basis both comparisons are
 * made on the rounded numbers shown (compositeBp ≥ 100·minComposite,
 * round(10000·D_d) ≥ round(10000·floor)).
 *
 * @example
 * const score = scoreAssessment(model, { backup: 'offsite_tested', it_staff: 3 })
 * score.compositeBp // e.g. 7250
 */
export function scoreAssessment(
  model: ScoringModel,
  answers: Answers,
  options: ScoreOptions = {},
): AssessmentScore {
  checkGateOverrides(model, options.gateEnabled)
  const compiled = compile(model)
  const verified = options.verified
  const invalid: InvalidAnswer[] = []
  const codes = new Float64Array(compiled.items.length)
  compiled.items.forEach((c, i) => {
    codes[i] = evaluateItem(model, c, answers, verified, (reason) =>
      invalid.push({ itemId: c.item.id, reason }),
    )
  })
  const { composite, completeness, totalWeight } = aggregate(compiled, codes)
  const { applicable, weighted, answered } = compiled

  const domains: DomainScore[] = model.domains.map((d, i) => {
    const a = applicable[i] ?? 0
    const isApplicable = a > 0
    const weight = isApplicable && totalWeight > 0 ? d.weight / totalWeight : 0
    const score = isApplicable ? (weighted[i] ?? 0) / a : 0
    return {
      id: d.id,
      score,
      weight,
      modelWeight: d.weight,
      applicable: isApplicable,
      contribution: 100 * weight * score,
      completeness: isApplicable ? (answered[i] ?? 0) / a : 0,
    }
  })

  const items: ItemScore[] = compiled.items.map((c, i) => {
    const code = codes[i] ?? MISSING
    const item = c.item
    const domain = domains[c.domainIndex]
    const a = applicable[c.domainIndex] ?? 0
    const source: ValueSource =
      verified !== undefined &&
      (Object.hasOwn(verified, item.id) ||
        (item.statusQuestion !== undefined && Object.hasOwn(verified, item.statusQuestion)))
        ? 'verified'
        : 'declared'
    if (code === NOT_APPLICABLE || domain === undefined) {
      return {
        id: item.id,
        domainId: item.domainId,
        status: 'notApplicable',
        source,
        score: null,
        effectiveWeight: 0,
        contribution: 0,
        lost: 0,
      }
    }
    const score = code >= 0 ? code : 0
    const effectiveWeight = a > 0 ? (domain.weight * item.weight) / a : 0
    return {
      id: item.id,
      domainId: item.domainId,
      status: code >= 0 ? 'answered' : code === DONT_KNOW ? 'dontKnow' : 'missing',
      source,
      score,
      effectiveWeight,
      contribution: 100 * effectiveWeight * score,
      lost: 100 * effectiveWeight * (1 - score),
    }
  })

  const gates = evaluateGates(model, items, domains, answers, options)
  const level = assignLevel(model, composite, domains, gates)
  return {
    modelId: model.id,
    modelVersion: model.version,
    composite,
    compositeBp: toBasisPoints(composite),
    level,
    completeness,
    meetsCompleteness: completeness + SCORE_TOLERANCE >= model.completenessThreshold,
    domains,
    items,
    gates,
    invalid,
  }
}

/** Only configurable gates may be switched, and only gates the model has. */
export function checkGateOverrides(
  model: ScoringModel,
  overrides: Readonly<Record<string, boolean>> | undefined,
): void {
  if (overrides === undefined) return
  for (const [id, enabled] of Object.entries(overrides)) {
    const gate = model.gates.find((g) => g.id === id)
    if (!gate) throw new Error(`gate "${id}" is not in model ${model.id} ${model.version}`)
    if (!gate.configurable && enabled !== gate.enabled) {
      throw new Error(
        `gate "${id}" is not configurable in model ${model.id} ${model.version}: it cannot be switched ${enabled ? 'on' : 'off'}`,
      )
    }
  }
}

function evaluateGates(
  model: ScoringModel,
  items: ItemScore[],
  domains: DomainScore[],
  answers: Answers,
  options: ScoreOptions,
): GateResult[] {
  const byItem = new Map(items.map((i) => [i.id, i]))
  const byDomain = new Map(domains.map((d) => [d.id, d]))
  return model.gates.map((gate) => {
    const enabled = options.gateEnabled?.[gate.id] ?? gate.enabled
    if (!enabled) return { id: gate.id, enabled, passed: true, failedBy: null }
    const c = gate.condition
    let failedBy: GateFailure | null = null
    if (c.kind === 'item') {
      const item = byItem.get(c.itemId)
      // Only an answered item can pass: missing, "don't know" and N/A fail the gate.
      const passes =
        item !== undefined &&
        item.status === 'answered' &&
        (item.score ?? 0) + SCORE_TOLERANCE >= c.minScore
      if (!passes) {
        const answer = resolveAnswer(answers, options.verified, c.itemId)
        failedBy = { itemId: c.itemId, answer: answer ?? null, score: item?.score ?? null }
      }
    } else {
      const domain = byDomain.get(c.domainId)
      const passes =
        domain !== undefined && domain.applicable && domain.score + SCORE_TOLERANCE >= c.minScore
      if (!passes) failedBy = { domainId: c.domainId, score: domain?.score ?? 0 }
    }
    return { id: gate.id, enabled, passed: failedBy === null, failedBy }
  })
}

/**
 * `value ≥ threshold` on the model's level basis: the unrounded value with a
 * 1e-9 slack (`composite`), or the integer basis points pages show
 * (`basisPoints`: round(scale·value) ≥ round(scale·threshold)).
 */
function atLeast(model: ScoringModel, value: number, threshold: number, scale: number): boolean {
  return model.levelBasis === 'basisPoints'
    ? Math.round(value * scale) >= Math.round(threshold * scale)
    : value + SCORE_TOLERANCE >= threshold
}

function floorFailures(
  model: ScoringModel,
  level: ScoringModel['levels'][number],
  domains: DomainScore[],
): FloorFailure[] {
  const floors = level.domainFloors
  if (!floors) return []
  const out: FloorFailure[] = []
  for (const d of domains) {
    if (!d.applicable) continue
    const own = floors.domains?.[d.id]
    const min = Math.max(floors.all ?? 0, own ?? 0)
    if (min > 0 && !atLeast(model, d.score, min, 10000)) {
      out.push({ levelId: level.id, domainId: d.id, score: d.score, min })
    }
  }
  return out
}

function assignLevel(
  model: ScoringModel,
  composite: number,
  domains: DomainScore[],
  gates: GateResult[],
): AssessmentLevel {
  const passed = new Map(gates.map((g) => [g.id, g.passed]))
  const hasFloors = model.levels.some((l) => l.domainFloors !== undefined)
  let index = 0
  let blocked = false
  const cappedBy: string[] = []
  const cappedByFloors: FloorFailure[] = []
  model.levels.forEach((level, i) => {
    // Composite 0–100 compared in basis points (×100) on the basisPoints basis.
    if (!atLeast(model, composite, level.minComposite, 100)) return
    const failed = level.gateIds.filter((id) => passed.get(id) !== true)
    for (const id of failed) if (!cappedBy.includes(id)) cappedBy.push(id)
    const floors = floorFailures(model, level, domains)
    cappedByFloors.push(...floors)
    if (failed.length > 0 || floors.length > 0) blocked = true
    if (!blocked) index = i
  })
  const id = model.levels[index]?.id ?? 'R0'
  // Models without floors keep the 1.0 result shape, so their scores reproduce byte for byte.
  return hasFloors ? { id, index, cappedBy, cappedByFloors } : { id, index, cappedBy }
}

/**
 * The engine's item codes of a scored assessment, in model order: the item's
 * score 0..1 when answered, and negative codes for not applicable, "don't
 * know" and missing. With `raised`, the items named there score their best
 * (as answered): what an assessment would score after remedial actions.
 * Feed the result to `levelIndexFromCodes`.
 * @example levelIndexFromCodes(model, itemCodes(model, score), gatesEnabled(score))
 */
export function itemCodes(
  model: ScoringModel,
  score: AssessmentScore,
  raised: ReadonlySet<string> = new Set(),
): Float64Array {
  const compiled = compile(model)
  const codes = new Float64Array(compiled.items.length).fill(MISSING)
  for (const scored of score.items) {
    const index = compiled.itemIndex.get(scored.id)
    const c = index === undefined ? undefined : compiled.items[index]
    if (index === undefined || c === undefined) continue
    codes[index] =
      scored.status === 'notApplicable'
        ? NOT_APPLICABLE
        : raised.has(scored.id)
          ? c.best
          : scored.status === 'answered'
            ? (scored.score ?? 0)
            : scored.status === 'dontKnow'
              ? DONT_KNOW
              : MISSING
  }
  return codes
}

/** Whether each of the model's gates was enabled in a scored run, in model order. */
export function gatesEnabled(model: ScoringModel, score: AssessmentScore): boolean[] {
  return model.gates.map((g) => score.gates.find((r) => r.id === g.id)?.enabled ?? g.enabled)
}

/** The best score each item's rule allows, in model order (1, or the top choice score). */
export function itemBestScores(model: ScoringModel): Float64Array {
  return Float64Array.from(compile(model).items, (c) => c.best)
}

/**
 * The level index reached by item codes (see `itemCodes`): the same rule as
 * `scoreAssessment`'s level, computed from codes without building result
 * objects, for searches that try many sets of remedial actions. Composite
 * and domain scores come from the same aggregation, so they are bit-identical;
 * a unit property test checks the index against `scoreAssessment`.
 * index = the highest level i with composite ≥ minComposite_i whose gates and
 * floors, and those of every lower level met by the composite, pass.
 * @example levelIndexFromCodes(model, codes, [true, true]) // 1
 */
export function levelIndexFromCodes(
  model: ScoringModel,
  codes: Float64Array,
  enabled: readonly boolean[],
): number {
  const compiled = compile(model)
  const { composite } = aggregate(compiled, codes)
  return levelIndexAfterAggregate(model, compiled, composite, codes, enabled)
}

/** The level rule of `levelIndexFromCodes`, on the domain sums `aggregate` has just filled. */
function levelIndexAfterAggregate(
  model: ScoringModel,
  compiled: CompiledModel,
  composite: number,
  codes: Float64Array,
  enabled: readonly boolean[],
): number {
  const { applicable, weighted, levels } = compiled
  let index = 0
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]
    if (level === undefined || !atLeast(model, composite, level.minComposite, 100)) continue
    let gatesPass = true
    for (const gate of level.gates) {
      if (!gatePasses(gate, applicable, weighted, codes, enabled)) {
        gatesPass = false
        break
      }
    }
    if (!gatesPass) break
    const floors = level.floors
    if (floors) {
      let failed = false
      for (let d = 0; d < floors.length; d++) {
        const a = applicable[d] ?? 0
        const min = floors[d] ?? 0
        // Only applicable domains have a score to hold to a floor.
        if (a > 0 && min > 0 && !atLeast(model, (weighted[d] ?? 0) / a, min, 10000)) {
          failed = true
          break
        }
      }
      if (failed) break
    }
    index = i
  }
  return index
}

/**
 * A gate passes when it is switched off, or its item is answered with
 * s_i ≥ minScore, or its domain is applicable with D_d ≥ minScore (1e-9 slack).
 */
function gatePasses(
  gate: CompiledGate,
  applicable: Float64Array,
  weighted: Float64Array,
  codes: Float64Array,
  enabled: readonly boolean[],
): boolean {
  if (gate.position < 0) return false
  if (enabled[gate.position] === false) return true
  if (gate.itemIndex >= 0) {
    const code = codes[gate.itemIndex] ?? MISSING
    return code >= 0 && code + SCORE_TOLERANCE >= gate.minScore
  }
  if (gate.domainIndex < 0) return false
  const a = applicable[gate.domainIndex] ?? 0
  return a > 0 && (weighted[gate.domainIndex] ?? 0) / a + SCORE_TOLERANCE >= gate.minScore
}

export interface CodeRowScores {
  /** 0–100, unrounded: bit-identical to `scoreAssessment(...).composite` for the same codes. */
  composite: Float64Array
  /** 0..1 share of the applicable weight that was answered. */
  completeness: Float64Array
  /** The level index `levelIndexFromCodes` gives. */
  levelIndex: Int32Array
}

/**
 * Composite, completeness and level index of `count` rows of item codes (see
 * `itemCodes`), each row written by `fill(row, codes)` into one reused array:
 * the same aggregation as `scoreAssessment` (D_d = Σ w_i·s_i / Σ w_i,
 * composite = 100·Σ W'_d·D_d, completeness = Σ W'_d·answered_d/applicable_d)
 * and the same level rule as `levelIndexFromCodes`, without result objects.
 * `enabled` holds each gate's on/off in model order.
 * @example scoreItemCodeRows(model, 2, (f, codes) => codes.set(rows[f]), [true]).composite // Float64Array [72.5, 41.25]
 */
export function scoreItemCodeRows(
  model: ScoringModel,
  count: number,
  fill: (row: number, codes: Float64Array) => void,
  enabled: readonly boolean[],
): CodeRowScores {
  const compiled = compile(model)
  const codes = new Float64Array(compiled.items.length)
  const out: CodeRowScores = {
    composite: new Float64Array(count),
    completeness: new Float64Array(count),
    levelIndex: new Int32Array(count),
  }
  for (let f = 0; f < count; f++) {
    codes.fill(MISSING)
    fill(f, codes)
    const { composite, completeness } = aggregate(compiled, codes)
    out.composite[f] = composite
    out.completeness[f] = completeness
    out.levelIndex[f] = levelIndexAfterAggregate(model, compiled, composite, codes, enabled)
  }
  return out
}

/**
 * Composites only, for many assessments at once (bench, bulk re-scoring):
 * the same item rules and the same aggregation as `scoreAssessment`, without
 * building per-item result objects. Bit-identical to `scoreAssessment(...).composite`.
 *
 * @example
 * scoreComposites(model, [answersA, answersB]) // Float64Array [72.5, 41.25]
 */
export function scoreComposites(
  model: ScoringModel,
  answersList: readonly Answers[],
): Float64Array {
  const compiled = compile(model)
  const codes = new Float64Array(compiled.items.length)
  const out = new Float64Array(answersList.length)
  for (let f = 0; f < answersList.length; f++) {
    const answers = answersList[f] ?? {}
    for (let i = 0; i < compiled.items.length; i++) {
      const c = compiled.items[i]
      codes[i] = c === undefined ? MISSING : evaluateItem(model, c, answers, undefined, undefined)
    }
    out[f] = aggregate(compiled, codes).composite
  }
  return out
}

export interface ImprovementOption {
  itemId: string
  domainId: string
  status: ItemStatus
  /** The declared answer now (null when blank). */
  answer: unknown
  currentScore: number
  /** The best score the rule allows (1, or the top choice score). */
  bestScore: number
  /** Composite points gained by the best answer: 100·effectiveWeight·(best − current). */
  gain: number
  /** The choice value that gives the best score (choice and yesNo items). */
  bestAnswer: string | null
  /** For choice (rubric) items: the next level above the current answer and its gain. */
  nextLevel: { answer: string; score: number; gain: number } | null
  /** Enabled gates on this item that fail now and would pass with the best answer. */
  unlocksGates: string[]
}

/**
 * Per applicable item below its best score: the composite points gained if the
 * item were raised to its best answer (`gain`) and, for rubric (choice) items,
 * to the next rubric level (`nextLevel.gain`). Sorted by gain, then model order.
 * gain_i = 100·effectiveWeight_i·(best_i − s_i); gains add up, since the
 * composite is linear in item scores and an item moving from unanswered to
 * answered keeps its weight (both count as applicable).
 *
 * @example
 * improvementOptions(model, score, answers).slice(0, 5) // the five largest gains
 */
export function improvementOptions(
  model: ScoringModel,
  score: AssessmentScore,
  answers: Answers,
): ImprovementOption[] {
  const compiled = compile(model)
  const options: Array<ImprovementOption & { order: number }> = []
  score.items.forEach((scored) => {
    const index = compiled.itemIndex.get(scored.id)
    const c = index === undefined ? undefined : compiled.items[index]
    if (c === undefined || index === undefined || scored.score === null) return
    const current = scored.score
    if (current + SCORE_TOLERANCE >= c.best) return
    const points = (s: number) => 100 * scored.effectiveWeight * (s - current)
    const rule = c.item.rule
    let bestAnswer: string | null = null
    let nextLevel: ImprovementOption['nextLevel'] = null
    if (rule.type === 'choice') {
      const entries = Object.entries(rule.scores).sort((a, b) => a[1] - b[1])
      bestAnswer = entries.find(([, s]) => s === c.best)?.[0] ?? null
      const next = entries.find(([, s]) => s > current + SCORE_TOLERANCE)
      if (next) nextLevel = { answer: next[0], score: next[1], gain: points(next[1]) }
    } else if (rule.type === 'yesNo') {
      bestAnswer = rule.yes >= rule.no ? 'yes' : 'no'
    }
    const unlocksGates = model.gates
      .filter((g) => {
        const result = score.gates.find((r) => r.id === g.id)
        return (
          result !== undefined &&
          !result.passed &&
          g.condition.kind === 'item' &&
          g.condition.itemId === scored.id &&
          c.best + SCORE_TOLERANCE >= g.condition.minScore
        )
      })
      .map((g) => g.id)
    options.push({
      itemId: scored.id,
      domainId: scored.domainId,
      status: scored.status,
      answer: resolveAnswer(answers, undefined, scored.id) ?? null,
      currentScore: current,
      bestScore: c.best,
      gain: points(c.best),
      bestAnswer,
      nextLevel,
      unlocksGates,
      order: index,
    })
  })
  options.sort((a, b) => b.gain - a.gain || a.order - b.order)
  return options.map(({ order: _order, ...rest }) => rest)
}

/**
 * Plain-language lines explaining a score: the composite as a sum of domain
 * contributions (100·W'_d·D_d), the completeness, and the gates that capped the level.
 *
 * @example
 * explainScore(score) // ['composite 72.50 = it_workforce 12.00 (0.150 × 0.800 × 100) + …', …]
 */
export function explainScore(score: AssessmentScore): string[] {
  const parts = score.domains
    .filter((d) => d.applicable)
    .map(
      (d) =>
        `${d.id} ${d.contribution.toFixed(2)} (${d.weight.toFixed(3)} × ${d.score.toFixed(3)} × 100)`,
    )
  const meets = score.meetsCompleteness ? 'meets' : 'below'
  const lines = [
    `composite ${score.composite.toFixed(2)} = ${parts.join(' + ')}`,
    `completeness ${(100 * score.completeness).toFixed(1)} % (${meets} the threshold)`,
    `level ${score.level.id}`,
  ]
  const dropped = score.domains.filter((d) => !d.applicable).map((d) => d.id)
  if (dropped.length > 0) lines.push(`not applicable, weight renormalised: ${dropped.join(', ')}`)
  if (score.level.cappedBy.length > 0) {
    lines.push(`level capped by failed gates: ${score.level.cappedBy.join(', ')}`)
  }
  for (const f of score.level.cappedByFloors ?? []) {
    lines.push(
      `level ${f.levelId} needs domain ${f.domainId} at ${(100 * f.min).toFixed(2)}, it is at ${(100 * f.score).toFixed(2)}`,
    )
  }
  for (const g of score.gates) {
    if (g.passed || g.failedBy === null) continue
    const why =
      'itemId' in g.failedBy
        ? `item ${g.failedBy.itemId} answered ${JSON.stringify(g.failedBy.answer)}`
        : `domain ${g.failedBy.domainId} at ${g.failedBy.score.toFixed(3)}`
    lines.push(`gate ${g.id} fails: ${why}`)
  }
  return lines
}
