/**
 * The objective of a ranking run, stored with the run: readiness alone, or a
 * weighted sum of readiness, need and feasibility (WHO "fair choices": keep
 * readiness and need apart and make the trade-off explicit). Need and
 * feasibility are 0..1 on FIXED goalposts, so adding a facility never moves
 * another facility's value. Priorities are integers (basis points) so that
 * comparisons and ties are exact.
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

/**
 * Need model: the weights and goalposts are data (editable, versioned with
 * the run), never constants hidden in code.
 */
export const NeedModelSchema = z.strictObject({
  weights: z.strictObject({
    beds: Share,
    missedDeadline: Share,
    technicalLevel: Share,
    referralRole: Share,
  }),
  beds: GoalpostSchema,
  technicalLevel: z.strictObject({ specialised: Share, basic: Share, initial: Share }),
})
export type NeedModel = z.infer<typeof NeedModelSchema>

/**
 * Default need model (readiness-models.md §9.5): inpatient volume by beds
 * (50 → 0, 1000 → 1: the range of provincial general hospitals), the missed
 * EMR deadline (hospitals after 30/9/2025), technical level and referral role.
 */
export const DEFAULT_NEED_MODEL: NeedModel = {
  weights: { beds: 0.4, missedDeadline: 0.3, technicalLevel: 0.2, referralRole: 0.1 },
  beds: { floor: 50, target: 1000 },
  technicalLevel: { specialised: 1, basic: 0.5, initial: 0 },
}

export interface NeedAttributes {
  beds?: number | null
  missedDeadline?: boolean | null
  technicalLevel?: 'specialised' | 'basic' | 'initial' | null
  referralRole?: boolean | null
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)
/** Position between the goalposts, clamped to 0..1; an unknown value counts 0. */
const goal = (x: number | null | undefined, g: { floor: number; target: number }) =>
  typeof x === 'number' && Number.isFinite(x) ? clamp01((x - g.floor) / (g.target - g.floor)) : 0

/**
 * Need in 0..1 on fixed goalposts; an unknown attribute contributes 0 (no
 * credit for not answering).
 * need = w_b·clamp((beds − 50)/(1000 − 50)) + w_m·[missed deadline]
 *      + w_t·level(technical) + w_r·[referral role]
 *
 * @example
 * needScore({ beds: 525, missedDeadline: true, technicalLevel: 'basic', referralRole: false })
 * // 0.4·0.5 + 0.3·1 + 0.2·0.5 + 0 = 0.6
 */
export function needScore(
  attributes: NeedAttributes,
  model: NeedModel = DEFAULT_NEED_MODEL,
): number {
  const w = model.weights
  const beds = goal(attributes.beds, model.beds)
  const tech = attributes.technicalLevel ? model.technicalLevel[attributes.technicalLevel] : 0
  return clamp01(
    w.beds * beds +
      w.missedDeadline * (attributes.missedDeadline === true ? 1 : 0) +
      w.technicalLevel * tech +
      w.referralRole * (attributes.referralRole === true ? 1 : 0),
  )
}

export const FeasibilityModelSchema = z.strictObject({
  weights: z.strictObject({ budget: Share, autonomy: Share, hisCompatible: Share }),
  /** Budget secured as % of the estimated EMR cost. */
  budgetSecuredPct: GoalpostSchema,
  /** Decree 60 autonomy group 1..4 → score. */
  autonomyGroup: z.strictObject({ 1: Share, 2: Share, 3: Share, 4: Share }),
})
export type FeasibilityModel = z.infer<typeof FeasibilityModelSchema>

/**
 * Default feasibility model (readiness-models.md §9.1 D5, §9.5): budget
 * secured 0 % → 0, 100 % → 1; autonomy group 1/2/3/4 → 1/.67/.33/0; an HIS
 * whose vendor supports the EMR standard.
 */
export const DEFAULT_FEASIBILITY_MODEL: FeasibilityModel = {
  weights: { budget: 0.5, autonomy: 0.3, hisCompatible: 0.2 },
  budgetSecuredPct: { floor: 0, target: 100 },
  autonomyGroup: { 1: 1, 2: 0.67, 3: 0.33, 4: 0 },
}

export interface FeasibilityAttributes {
  budgetSecuredPct?: number | null
  autonomyGroup?: 1 | 2 | 3 | 4 | null
  hisCompatible?: boolean | null
}

/**
 * Feasibility in 0..1 on fixed goalposts; unknown attributes contribute 0.
 * feasibility = w_b·clamp(budget% / 100) + w_a·autonomy(group) + w_h·[HIS compatible]
 *
 * @example
 * feasibilityScore({ budgetSecuredPct: 50, autonomyGroup: 1, hisCompatible: true })
 * // 0.5·0.5 + 0.3·1 + 0.2·1 = 0.75
 */
export function feasibilityScore(
  attributes: FeasibilityAttributes,
  model: FeasibilityModel = DEFAULT_FEASIBILITY_MODEL,
): number {
  const w = model.weights
  const budget = goal(attributes.budgetSecuredPct, model.budgetSecuredPct)
  const autonomy = attributes.autonomyGroup ? model.autonomyGroup[attributes.autonomyGroup] : 0
  return clamp01(
    w.budget * budget +
      w.autonomy * autonomy +
      w.hisCompatible * (attributes.hisCompatible ? 1 : 0),
  )
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
