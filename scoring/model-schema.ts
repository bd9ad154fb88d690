/**
 * The scoring model is data: this file declares its shape and the checks a
 * model must pass before anything is scored with it. A model is stored as
 * JSON (versioned) and parsed with `parseScoringModel` at every boundary.
 *
 * Answer conventions (shared with the questionnaire, SurveyJS data):
 * - An item's answer lives under `data[item.id]`.
 * - The string `model.tokens.notApplicable` (default `"na"`) means "not
 *   applicable"; `model.tokens.dontKnow` (default `"dontknow"`) means "don't
 *   know". For number and percentage items, whose SurveyJS value is a number,
 *   the token is read from the companion question named by `statusQuestion`.
 * - An item with `applicableIf` is "not applicable" when that condition is
 *   false (mirrors the questionnaire's `visibleIf`, so a hidden question
 *   never costs points).
 */
import * as z from 'zod'

/** Tolerance for "weights sum to 1". */
export const WEIGHT_SUM_TOLERANCE = 1e-9

export const LocalizedTextSchema = z.strictObject({
  vi: z.string().min(1),
  en: z.string().min(1),
})
export type LocalizedText = z.infer<typeof LocalizedTextSchema>

const IdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'ids are lower_snake_case, starting with a letter')

const ScoreSchema = z.number().min(0).max(1)

/** choice → score per choice value (rubric levels, yes/no/partial, …). */
export const ChoiceRuleSchema = z.strictObject({
  type: z.literal('choice'),
  scores: z.record(z.string(), ScoreSchema),
})

/** yes/no: the answer is the string `"yes"` or `"no"`. */
export const YesNoRuleSchema = z.strictObject({
  type: z.literal('yesNo'),
  yes: ScoreSchema.default(1),
  no: ScoreSchema.default(0),
})

/**
 * number → piecewise-linear between fixed goalposts, capped to [0, 1]:
 * v = clamp((x − floor) / (target − floor), 0, 1). A floor above the target
 * means "lower is better" (e.g. hours of downtime). With `per`, x is first
 * divided by (answer of `per.question` / `per.unit`), e.g. IT staff per 100
 * beds; a missing or zero denominator makes the item unanswered.
 */
export const NumberRuleSchema = z.strictObject({
  type: z.literal('number'),
  floor: z.number(),
  target: z.number(),
  unit: LocalizedTextSchema,
  per: z.strictObject({ question: IdSchema, unit: z.number().positive() }).optional(),
})

/** percentage (0–100) → (x − floor)/(target − floor) clamped; defaults 0 and 100. */
export const PercentageRuleSchema = z.strictObject({
  type: z.literal('percentage'),
  floor: z.number().min(0).max(100).default(0),
  target: z.number().min(0).max(100).default(100),
})

/** checklist → |selected ∩ options| / |options|. `noneValue` scores 0. */
export const ChecklistRuleSchema = z.strictObject({
  type: z.literal('checklist'),
  options: z.array(z.string()).min(1),
  noneValue: z.string().optional(),
})

export const ItemRuleSchema = z.discriminatedUnion('type', [
  ChoiceRuleSchema,
  YesNoRuleSchema,
  NumberRuleSchema,
  PercentageRuleSchema,
  ChecklistRuleSchema,
])
export type ItemRule = z.infer<typeof ItemRuleSchema>

/** A simple condition on another question's raw answer. */
export const ConditionSchema = z.strictObject({
  question: IdSchema,
  in: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
})
export type Condition = z.infer<typeof ConditionSchema>

export const ItemSchema = z.strictObject({
  id: IdSchema,
  domainId: IdSchema,
  /** Weight within its domain; a domain's item weights sum to 1. */
  weight: z.number(),
  rule: ItemRuleSchema,
  allowNotApplicable: z.boolean().default(false),
  allowDontKnow: z.boolean().default(false),
  /** For number/percentage items: the question holding na/dontknow tokens. */
  statusQuestion: IdSchema.optional(),
  applicableIf: ConditionSchema.optional(),
  /** Gate items must carry evidence (a file or a written reference). */
  evidenceRequired: z.boolean().default(false),
  /** One line: why this item, why this weight. */
  rationale: LocalizedTextSchema,
  /** The regulation or model behind the item, e.g. "TT 54/2017 nhóm 8; EMRAM 7". */
  source: z.string().min(1),
  /** What to do next when this answer scored low. */
  recommendation: LocalizedTextSchema,
})
export type Item = z.infer<typeof ItemSchema>

export const DomainSchema = z.strictObject({
  id: IdSchema,
  title: LocalizedTextSchema,
  weight: z.number(),
  rationale: LocalizedTextSchema,
})
export type Domain = z.infer<typeof DomainSchema>

/** A gate passes when the item's (or domain's) score is ≥ minScore. */
export const GateConditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('item'), itemId: IdSchema, minScore: ScoreSchema }),
  z.strictObject({ kind: z.literal('domain'), domainId: IdSchema, minScore: ScoreSchema }),
])
export type GateCondition = z.infer<typeof GateConditionSchema>

export const GateSchema = z.strictObject({
  id: z.string().regex(/^G[0-9]+$/, 'gate ids look like G1'),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  condition: GateConditionSchema,
  /** A disabled gate is shown but never fails (legally unverified gates). */
  enabled: z.boolean().default(true),
  /** The gate's legal basis is unverified: keep it switchable. */
  configurable: z.boolean().default(false),
  source: z.string().min(1),
})
export type Gate = z.infer<typeof GateSchema>

/**
 * A non-compensatory floor (from model 1.1): the level also needs every
 * applicable domain at `all` or more, and the domains named in `domains` at
 * their own (higher) minimum, so a strong domain cannot hide a weak one.
 * Domain scores are 0..1.
 */
export const DomainFloorsSchema = z.strictObject({
  all: ScoreSchema.optional(),
  domains: z.record(IdSchema, ScoreSchema).optional(),
})
export type DomainFloors = z.infer<typeof DomainFloorsSchema>

/**
 * Readiness levels, ascending. Level = the highest whose `minComposite` is met
 * and whose gates and domain floors, and those of every lower level, all pass
 * (cumulative, like HIMSS stages).
 */
export const LevelSchema = z.strictObject({
  id: z.string().regex(/^R[0-9]$/, 'level ids look like R0'),
  title: LocalizedTextSchema,
  description: LocalizedTextSchema,
  minComposite: z.number().min(0).max(100),
  gateIds: z.array(z.string()),
  domainFloors: DomainFloorsSchema.optional(),
})
export type Level = z.infer<typeof LevelSchema>

/** Facts about a facility from the national registry that answer rules may read. */
export const REGISTRY_FIELDS = [
  'ownership',
  'tier',
  'beds',
  'emrStatus',
  'autonomyGroup',
  'hasImaging',
  'referralRole',
  'facilityClass',
] as const
export type RegistryField = (typeof REGISTRY_FIELDS)[number]

const RuleValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])

/** A number for a comparison: an answer, a registry fact or a constant. */
export const OperandSchema = z.union([
  z.strictObject({ answer: IdSchema }),
  z.strictObject({ registry: z.enum(REGISTRY_FIELDS) }),
  z.strictObject({ value: z.number() }),
])
export type Operand = z.infer<typeof OperandSchema>

/**
 * One test inside an answer rule. Answers are read on the rule's basis
 * (declared, or verified where a reviewer recorded a value).
 * - answer: the answer is one of `in` (any of them for a checklist);
 * - registry: the registry fact is one of `in` (`null` = the registry does not say);
 * - compare: left op factor·right, false when either side is not a number;
 * - mismatch: the answer, mapped through `map`, differs from the registry fact
 *   (false when either is unknown).
 */
export const RulePredicateSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('answer'),
    question: IdSchema,
    in: z.array(RuleValueSchema).min(1),
  }),
  z.strictObject({
    kind: z.literal('registry'),
    field: z.enum(REGISTRY_FIELDS),
    in: z.array(RuleValueSchema).min(1),
  }),
  z.strictObject({
    kind: z.literal('compare'),
    left: OperandSchema,
    op: z.enum(['gt', 'ge', 'lt', 'le']),
    right: OperandSchema,
    factor: z.number().default(1),
  }),
  z.strictObject({
    kind: z.literal('mismatch'),
    question: IdSchema,
    field: z.enum(REGISTRY_FIELDS),
    map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
])
export type RulePredicate = z.infer<typeof RulePredicateSchema>

/**
 * A rule on answers (from model 1.1), holding when all its predicates hold:
 * - `refuse`: the answers are refused at save and submit with `message`
 *   (e.g. "not applicable" that the registry does not confirm);
 * - `flag`: a data-quality contradiction, never refused, shown to reviewers
 *   and marked in wave lists and exports.
 */
export const AnswerRuleSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]{2}[0-9]+$/, 'rule ids look like NA1 or DQ1'),
  effect: z.enum(['refuse', 'flag']),
  /** The question the message is about (where the form and the review page show it). */
  question: IdSchema,
  when: z.strictObject({ all: z.array(RulePredicateSchema).min(1) }),
  message: LocalizedTextSchema,
  /** Why the rule exists: the regulation, the registry field, the reasoning. */
  source: z.string().min(1),
})
export type AnswerRule = z.infer<typeof AnswerRuleSchema>

export const ScoringModelSchema = z.strictObject({
  /** Stable identifier of the model family, e.g. "vn-emr-readiness". */
  id: IdSchema.or(z.string().regex(/^[a-z][a-z0-9-]*$/)),
  /** Semantic version; results record it. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'versions look like 1.0.0'),
  title: LocalizedTextSchema,
  /** The questionnaire version this model scores. */
  questionnaireVersion: z.string().min(1),
  /** Share of weight that must be answered before a facility is ranked (0–1). */
  completenessThreshold: z.number().min(0).max(1),
  tokens: z
    .strictObject({ notApplicable: z.string(), dontKnow: z.string() })
    .default({ notApplicable: 'na', dontKnow: 'dontknow' }),
  domains: z.array(DomainSchema).min(1),
  items: z.array(ItemSchema).min(1),
  gates: z.array(GateSchema),
  levels: z.array(LevelSchema).min(1),
  /**
   * What a level is decided on: the unrounded composite (`composite`, model
   * 1.0, kept so its scores reproduce) or the integer basis points that pages
   * and exports show (`basisPoints`, from 1.1: 79.997 is shown as 80.00 and
   * counts as 80.00). Domain floors follow the same basis.
   */
  // Optional without defaults: a 1.0 model parses to exactly the object it did before these
  // fields existed, so its stored checksum (db/seed-content.ts) still matches.
  levelBasis: z.enum(['composite', 'basisPoints']).optional(),
  answerRules: z.array(AnswerRuleSchema).optional(),
})
export type ScoringModel = z.infer<typeof ScoringModelSchema>
/** What a model looks like before defaults are applied (the JSON on disk). */
export type ScoringModelInput = z.input<typeof ScoringModelSchema>

function sumIsOne(weights: number[]): boolean {
  const sum = weights.reduce((a, b) => a + b, 0)
  return Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE
}

/**
 * Cross-field checks that zod's shape cannot express: weights, references,
 * level order. Each message names the domain, item, gate or level at fault.
 */
function checkModel(model: ScoringModel, ctx: z.RefinementCtx): void {
  const issue = (message: string, path: (string | number)[]) =>
    ctx.addIssue({ code: 'custom', message, path })

  const domainIds = new Set<string>()
  model.domains.forEach((d, i) => {
    if (domainIds.has(d.id)) issue(`duplicate domain "${d.id}"`, ['domains', i, 'id'])
    domainIds.add(d.id)
    if (!(d.weight >= 0)) issue(`domain "${d.id}" has a negative weight`, ['domains', i, 'weight'])
  })
  if (!sumIsOne(model.domains.map((d) => d.weight))) {
    const sum = model.domains.reduce((a, d) => a + d.weight, 0)
    // Name every domain with its weight so the author sees which one to fix.
    const list = model.domains.map((d) => `"${d.id}" ${d.weight}`).join(', ')
    issue(`domain weights sum to ${sum}, not 1 (${list})`, ['domains'])
  }

  const itemIds = new Set<string>()
  const byDomain = new Map<string, number[]>()
  model.items.forEach((item, i) => {
    if (itemIds.has(item.id)) issue(`duplicate item "${item.id}"`, ['items', i, 'id'])
    itemIds.add(item.id)
    if (!domainIds.has(item.domainId)) {
      issue(`item "${item.id}" names unknown domain "${item.domainId}"`, ['items', i, 'domainId'])
    }
    if (!(item.weight >= 0)) {
      issue(`item "${item.id}" in domain "${item.domainId}" has a negative weight`, [
        'items',
        i,
        'weight',
      ])
    }
    const list = byDomain.get(item.domainId) ?? []
    list.push(item.weight)
    byDomain.set(item.domainId, list)
    const rule = item.rule
    if ((rule.type === 'number' || rule.type === 'percentage') && rule.floor === rule.target) {
      issue(`item "${item.id}": floor and target must differ`, ['items', i, 'rule'])
    }
    if (
      (item.allowNotApplicable || item.allowDontKnow) &&
      (rule.type === 'number' || rule.type === 'percentage') &&
      !item.statusQuestion
    ) {
      issue(`item "${item.id}": a number item that allows na/dontknow needs a statusQuestion`, [
        'items',
        i,
        'statusQuestion',
      ])
    }
  })
  for (const d of model.domains) {
    const weights = byDomain.get(d.id)
    if (!weights) {
      issue(`domain "${d.id}" has no items`, ['domains'])
    } else if (!sumIsOne(weights)) {
      const sum = weights.reduce((a, b) => a + b, 0)
      issue(`item weights of domain "${d.id}" sum to ${sum}, not 1`, ['items'])
    }
  }

  const gateIds = new Set<string>()
  model.gates.forEach((g, i) => {
    if (gateIds.has(g.id)) issue(`duplicate gate "${g.id}"`, ['gates', i, 'id'])
    gateIds.add(g.id)
    const c = g.condition
    if (c.kind === 'item' && !itemIds.has(c.itemId)) {
      issue(`gate "${g.id}" names unknown item "${c.itemId}"`, ['gates', i, 'condition'])
    }
    if (c.kind === 'domain' && !domainIds.has(c.domainId)) {
      issue(`gate "${g.id}" names unknown domain "${c.domainId}"`, ['gates', i, 'condition'])
    }
  })

  const levelIds = new Set<string>()
  model.levels.forEach((level, i) => {
    if (levelIds.has(level.id)) issue(`duplicate level "${level.id}"`, ['levels', i, 'id'])
    levelIds.add(level.id)
    for (const gid of level.gateIds) {
      if (!gateIds.has(gid)) issue(`level "${level.id}" names unknown gate "${gid}"`, ['levels', i])
    }
    const prev = model.levels[i - 1]
    if (prev && level.minComposite < prev.minComposite) {
      issue(`level "${level.id}" needs a lower composite than "${prev.id}"`, ['levels', i])
    }
  })
  if (model.levels[0] && model.levels[0].minComposite !== 0) {
    issue('the lowest level must start at composite 0', ['levels', 0, 'minComposite'])
  }
  model.levels.forEach((level, i) => {
    for (const id of Object.keys(level.domainFloors?.domains ?? {})) {
      if (!domainIds.has(id)) {
        issue(`level "${level.id}" sets a floor on unknown domain "${id}"`, ['levels', i])
      }
    }
  })

  const ruleIds = new Set<string>()
  for (const [i, rule] of (model.answerRules ?? []).entries()) {
    if (ruleIds.has(rule.id)) issue(`duplicate answer rule "${rule.id}"`, ['answerRules', i, 'id'])
    ruleIds.add(rule.id)
  }
}

export const CheckedScoringModelSchema = ScoringModelSchema.superRefine(checkModel)

/**
 * Parse and check a scoring model; throws a readable error naming each fault.
 * @example parseScoringModel(JSON.parse(text)).version // "1.0.0"
 */
export function parseScoringModel(input: unknown): ScoringModel {
  const result = CheckedScoringModelSchema.safeParse(input)
  if (!result.success) {
    throw new Error(`Invalid scoring model:\n${z.prettifyError(result.error)}`)
  }
  return result.data
}
