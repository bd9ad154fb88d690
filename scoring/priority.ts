/**
 * The objective of a ranking run, stored with the run: readiness alone, or a
 * weighted sum of readiness, need and feasibility (WHO "fair choices": keep
 * readiness and need apart and make the trade-off explicit). Need and
 * feasibility are 0..1 on FIXED goalposts, so adding a facility never moves
 * another facility's value. Priorities are integers (basis points) so that
 * comparisons and ties are exact.
 *
 * The need and feasibility formulas are a versioned priority model (data,
 * `PriorityModelSchema`), stored with every saved run. Each term is read from
 * data the caller resolves (the registry, or an answer on the run's basis);
 * a term the data does not give for a facility is `null` ("unknown") and
 * earns nothing, so not answering never pays; a term that does not apply to
 * a facility (Decree 60 autonomy for a private one) is dropped and the other
 * weights renormalised.
 */
import * as z from 'zod'
import { WEIGHT_SUM_TOLERANCE } from './model-schema.ts'

const Share = z.number().min(0).max(1)

export const PriorityObjectiveSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('readiness') }),
  z.strictObject({
    kind: z.literal('weighted'),
    weights: z
      .strictObject({ readiness: Share, need: Share, feasibility: Share })
      .refine((w) => Math.abs(w.readiness + w.need + w.feasibility - 1) <= WEIGHT_SUM_TOLERANCE, {
        error: 'objective weights (readiness, need, feasibility) must sum to 1',
      }),
  }),
])
export type PriorityObjective = z.infer<typeof PriorityObjectiveSchema>

/**
 * Parse an objective at a boundary (weights ≥ 0, summing to 1 within 1e-9); throws a readable error.
 * @example parsePriorityObjective({ kind: 'readiness' }) // { kind: 'readiness' }
 */
export function parsePriorityObjective(input: unknown): PriorityObjective {
  const result = PriorityObjectiveSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid objective:\n${z.prettifyError(result.error)}`)
  return result.data
}

/** Goalposts: value → clamp((x − floor)/(target − floor), 0, 1). */
const GoalpostSchema = z
  .strictObject({ floor: z.number(), target: z.number() })
  .refine((g) => g.floor !== g.target, { error: 'floor and target must differ' })

const sumsToOne = (weights: Record<string, number>) =>
  Math.abs(Object.values(weights).reduce((a, b) => a + b, 0) - 1) <= WEIGHT_SUM_TOLERANCE

export const TECHNICAL_LEVELS = ['specialised', 'basic', 'initial'] as const
export type TechnicalLevel = (typeof TECHNICAL_LEVELS)[number]

/** A facility's place in the referral network, from the registry (`facilities.referral_role`). */
export const REFERRAL_ROLES = ['none', 'district', 'provincial', 'regional', 'national'] as const
export type ReferralRole = (typeof REFERRAL_ROLES)[number]

export const NeedModelSchema = z.strictObject({
  weights: z
    .strictObject({ beds: Share, deadline: Share, technicalLevel: Share, referralRole: Share })
    .refine(sumsToOne, { error: 'need weights must sum to 1' }),
  /** Beds in use: inpatient volume. */
  beds: GoalpostSchema,
  technicalLevel: z.strictObject({ specialised: Share, basic: Share, initial: Share }),
  referralRole: z.strictObject({
    none: Share,
    district: Share,
    provincial: Share,
    regional: Share,
    national: Share,
  }),
})
export type NeedModel = z.infer<typeof NeedModelSchema>

export const FeasibilityModelSchema = z.strictObject({
  weights: z
    .strictObject({ budget: Share, autonomy: Share, hisCompatibility: Share })
    .refine(sumsToOne, { error: 'feasibility weights must sum to 1' }),
  /** Budget secured as % of the estimated EMR cost. */
  budgetSecuredPct: GoalpostSchema,
  /** Decree 60 autonomy group 1..4 → score. */
  autonomyGroup: z.strictObject({ 1: Share, 2: Share, 3: Share, 4: Share }),
  /**
   * HIS compatibility = the mean of the scoring model's scores of these items
   * (the interoperability answers that show the HIS can feed an EMR).
   */
  hisCompatibility: z.strictObject({ items: z.array(z.string().min(1)).min(1) }),
})
export type FeasibilityModel = z.infer<typeof FeasibilityModelSchema>

const QuestionSchema = z.string().regex(/^[a-z][a-z0-9_]*$/)

/** The questionnaire answers the terms read (each on the run's basis: declared or verified). */
export const PriorityAnswersSchema = z.strictObject({
  /** Beds actually in use; the registry's planned beds when not answered. */
  bedsInUse: QuestionSchema,
  /** The facility's EMR stage. */
  emrStage: QuestionSchema,
  /** The stages that meet the legal EMR requirement (EMR in place, no paper record). */
  emrInPlace: z.array(z.string().min(1)).min(1),
  /** Budget secured, % of the estimated EMR cost (a percentage item of the scoring model). */
  budgetSecuredPct: QuestionSchema,
})
export type PriorityAnswers = z.infer<typeof PriorityAnswersSchema>

/** The versioned need and feasibility formulas of a run. */
export const PriorityModelSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'versions look like 1.0.0'),
  answers: PriorityAnswersSchema,
  need: NeedModelSchema,
  feasibility: FeasibilityModelSchema,
})
export type PriorityModel = z.infer<typeof PriorityModelSchema>

/**
 * Parse a priority model; throws a readable error.
 * @example parsePriorityModel(json).version // "1.0.0"
 */
export function parsePriorityModel(input: unknown): PriorityModel {
  const result = PriorityModelSchema.safeParse(input)
  if (!result.success) throw new Error(`Invalid priority model:\n${z.prettifyError(result.error)}`)
  return result.data
}

export interface NeedAttributes {
  /** Beds in use (the answer when present, else the registry's planned beds). */
  beds: number | null
  /** The facility's legal EMR deadline has passed without EMR in place. */
  deadlineMissed: boolean | null
  technicalLevel: TechnicalLevel | null
  referralRole: ReferralRole | null
}

export interface FeasibilityAttributes {
  budgetSecuredPct: number | null
  /** Decree 60 group; 'notApplicable' for a facility outside Decree 60 (private). */
  autonomyGroup: 1 | 2 | 3 | 4 | 'notApplicable' | null
  /** 0..1, the mean score of the model's HIS-compatibility items. */
  hisCompatibility: number | null
}

/** Each term's value in 0..1; null when the data does not give it (counts 0). */
export interface NeedBreakdown {
  beds: number | null
  deadline: number | null
  technicalLevel: number | null
  referralRole: number | null
  value: number
}

export interface FeasibilityBreakdown {
  budget: number | null
  /** null when unknown; 'notApplicable' when dropped (weights renormalised). */
  autonomy: number | 'notApplicable' | null
  hisCompatibility: number | null
  value: number
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)
/** Position between the goalposts, clamped to 0..1; null when x is not a number. */
const goal = (x: number | null, g: { floor: number; target: number }) =>
  typeof x === 'number' && Number.isFinite(x) ? clamp01((x - g.floor) / (g.target - g.floor)) : null

/**
 * Need in 0..1 term by term; an unknown term contributes 0 (no credit
 * without data).
 * need = w_b·clamp((beds − floor)/(target − floor)) + w_d·[deadline missed]
 *      + w_t·technicalLevel[level] + w_r·referralRole[role]
 *
 * @example
 * needBreakdown({ beds: 525, deadlineMissed: true, technicalLevel: 'basic', referralRole: 'provincial' }, model)
 * // with weights .4/.3/.2/.1 and beds 50→1000: .4·.5 + .3·1 + .2·.5 + .1·.5 = 0.65
 */
export function needBreakdown(attributes: NeedAttributes, model: NeedModel): NeedBreakdown {
  const w = model.weights
  const beds = goal(attributes.beds, model.beds)
  const deadline = attributes.deadlineMissed === null ? null : attributes.deadlineMissed ? 1 : 0
  const technicalLevel =
    attributes.technicalLevel === null ? null : model.technicalLevel[attributes.technicalLevel]
  const referralRole =
    attributes.referralRole === null ? null : model.referralRole[attributes.referralRole]
  const value = clamp01(
    w.beds * (beds ?? 0) +
      w.deadline * (deadline ?? 0) +
      w.technicalLevel * (technicalLevel ?? 0) +
      w.referralRole * (referralRole ?? 0),
  )
  return { beds, deadline, technicalLevel, referralRole, value }
}

/**
 * Feasibility in 0..1 term by term; unknown terms contribute 0. When the
 * autonomy term does not apply (private facility), it is dropped:
 * feasibility = (w_b·budget + w_a·autonomy + w_h·his) / (w_b + w_a + w_h),
 * with w_a and its term left out of both sums when not applicable.
 *
 * @example
 * feasibilityBreakdown({ budgetSecuredPct: 50, autonomyGroup: 1, hisCompatibility: 1 }, model).value
 * // with weights .5/.3/.2: .5·.5 + .3·1 + .2·1 = 0.75
 */
export function feasibilityBreakdown(
  attributes: FeasibilityAttributes,
  model: FeasibilityModel,
): FeasibilityBreakdown {
  const w = model.weights
  const budget = goal(attributes.budgetSecuredPct, model.budgetSecuredPct)
  const group = attributes.autonomyGroup
  const autonomy =
    group === null ? null : group === 'notApplicable' ? group : model.autonomyGroup[group]
  const his =
    attributes.hisCompatibility === null || !Number.isFinite(attributes.hisCompatibility)
      ? null
      : clamp01(attributes.hisCompatibility)
  let sum = w.budget * (budget ?? 0) + w.hisCompatibility * (his ?? 0)
  let weight = w.budget + w.hisCompatibility
  if (autonomy !== 'notApplicable') {
    sum += w.autonomy * (autonomy ?? 0)
    weight += w.autonomy
  }
  return {
    budget,
    autonomy,
    hisCompatibility: his,
    value: weight > 0 ? clamp01(sum / weight) : 0,
  }
}

/**
 * Priority in integer basis points (0..10000).
 * readiness: priority = compositeBp.
 * weighted: priority = round(10000·(w_r·compositeBp/10000 + w_n·need + w_f·feasibility)).
 *
 * @example
 * priorityBp({ kind: 'weighted', weights: { readiness: 0.5, need: 0.5, feasibility: 0 } },
 *   { compositeBp: 7000, need: 0.4 }) // 5500
 */
export function priorityBp(
  objective: PriorityObjective,
  input: { compositeBp: number; need?: number; feasibility?: number },
): number {
  if (objective.kind === 'readiness') return input.compositeBp
  const w = objective.weights
  const value =
    w.readiness * (input.compositeBp / 10000) +
    w.need * clamp01(input.need ?? 0) +
    w.feasibility * clamp01(input.feasibility ?? 0)
  return Math.min(10000, Math.max(0, Math.round(10000 * value)))
}
