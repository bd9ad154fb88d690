/**
 * The wave documents of /api/v1/waves and /api/v1/waves/runs/{runId} (zod):
 * the shape `waveJson` (app/waves/export-route.server.ts) sends, registered
 * in `apiSchemas` so the OpenAPI document describes them, and parsed before
 * a token's response is sent, so document and response cannot drift.
 *
 * Parts a saved run may hold in an older form (parameters, the priority
 * inputs' breakdowns, a gate's failure) name their fields and allow more;
 * everything else is exact. Scores are basis points (0–10,000) unless named
 * otherwise; domain scores and completeness 0–1; amounts VND.
 */
import * as z from 'zod'
import {
  PriorityModelSchema,
  PriorityObjectiveSchema,
  REFERRAL_ROLES,
} from '../../scoring/priority.ts'
import { LocalizedTextSchema } from '../../scoring/model-schema.ts'
import { apiSchemas } from './schemas.ts'

const Instant = z.iso.datetime().meta({ description: 'ISO 8601 instant, UTC' })
const Day = z.iso.date()
const Id = z.number().int().positive()

export const RunIdParamsSchema = z.object({ runId: z.coerce.number().int().positive() })

const ScopeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('province'), provinceCode: z.string() }),
    z.object({ kind: z.literal('facility'), facilityId: Id }),
  ])
  .meta({ description: 'The facilities the plan was built from (the token’s province, or all)' })

const ExclusionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('emr_live') }),
  z.object({
    kind: z.literal('completeness'),
    completeness: z.number(),
    threshold: z.number(),
  }),
  z.object({
    kind: z.literal('gate'),
    gateId: z.string(),
    failedBy: z.looseObject({}).nullable(),
  }),
  z.object({ kind: z.literal('level'), levelId: z.string(), minLevel: z.string() }),
])

const SourceSchema = z.enum(['declared', 'verified', 'registry'])

const PriorityInputsSchema = z
  .object({
    beds: z.number(),
    bedsSource: SourceSchema,
    emrStage: z.string().nullable(),
    deadline: Day.nullable(),
    deadlineMissed: z.boolean().nullable(),
    technicalLevel: z.string(),
    referralRole: z.enum(REFERRAL_ROLES).nullable(),
    budgetSecuredPct: z.number().nullable(),
    budgetSource: z.enum(['declared', 'verified']).nullable(),
    autonomyGroup: z.union([z.number().int().min(1).max(4), z.literal('notApplicable')]).nullable(),
    hisCompatibility: z.number().nullable(),
    need: z.looseObject({ value: z.number() }),
    feasibility: z.looseObject({ value: z.number() }),
  })
  .meta({ description: 'Need and feasibility with every input and its source' })

const WaveRowSchema = z.object({
  facilityId: Id,
  code: z.string(),
  name: z.string(),
  province: z.string().meta({ description: 'Province code' }),
  provinceName: z.string(),
  tier: z.string(),
  ownership: z.string(),
  rank: z.number().int().positive().nullable(),
  tied: z.boolean(),
  compositeBp: z.number().int(),
  level: z.string(),
  priorityBp: z.number().int().nullable(),
  gateSubscoreBp: z.number().int().nullable(),
  needBp: z.number().int().nullable(),
  priorityInputs: PriorityInputsSchema.nullable(),
  dataQuality: z.array(z.string()).meta({ description: 'Answer rules that hold (contradictions)' }),
  costVnd: z.number(),
  selected: z.boolean(),
  tieAtCutoff: z.boolean(),
  domains: z.record(z.string(), z.number()).meta({ description: 'Domain id → score (0–1)' }),
  exclusions: z.array(ExclusionSchema),
  holdingBack: z.array(z.string()).meta({ description: 'The two weakest domains' }),
  completeness: z.number().min(0).max(1),
  selectionProbability: z.number().min(0).max(1).nullable(),
  robustness: z.enum(['robust-in', 'borderline', 'robust-out']).nullable(),
})

const BindingSchema = z.object({
  constraint: z.enum(['capacity', 'budget', 'provinceMin', 'provinceMax', 'tierMin', 'tierMax']),
  key: z.string().optional(),
  limit: z.number(),
  value: z.number(),
})

const WaveResultSchema = z.discriminatedUnion('feasible', [
  z.object({
    feasible: z.literal(true),
    method: z.enum(['greedy', 'milp']),
    selected: z.array(z.string()).meta({ description: 'Selected facility ids, tie-break order' }),
    objective: z.number(),
    totalCost: z.number(),
    binding: z.array(BindingSchema),
    cutoffPriorityBp: z.number().nullable(),
    tiesAtCutoff: z.array(z.string()),
    objectiveWithoutQuotas: z.number(),
    priceOfEquity: z.number(),
  }),
  z.object({
    feasible: z.literal(false),
    conflicts: z.array(
      z.object({
        kind: z.enum([
          'minAboveMax',
          'minAboveEligible',
          'minimumsAboveCapacity',
          'minimumsAboveBudget',
          'infeasibleCombination',
        ]),
        quotas: z.array(z.string()),
        message: z.string(),
        figures: z.record(z.string(), z.number()),
      }),
    ),
  }),
])

const WaveParamsSchema = z
  .looseObject({
    basis: z.enum(['declared', 'verified']),
    minLevel: z.string(),
    capacity: z.number(),
    costBn: z.number(),
    seed: z.number(),
  })
  .meta({ description: 'The planner’s parameters, as the query accepts them' })

export const WavePlanDocumentSchema = z
  .object({
    apiVersion: z.literal(1),
    run: z
      .object({ id: Id, name: z.string() })
      .nullable()
      .meta({ description: 'The saved run; null for a live plan' }),
    generatedAt: Instant.meta({ description: 'A live plan’s time, or the run’s creation' }),
    round: z.object({
      id: Id,
      name: z.string(),
      deadlines: z
        .object({ closesOn: Day, hospital: Day, other: Day })
        .optional()
        .meta({ description: 'The legal EMR deadlines ranked against (absent in older runs)' }),
    }),
    model: z.object({ id: z.string(), version: z.string() }),
    scope: ScopeSchema,
    inputHash: z.string().meta({ description: 'SHA-256 of the ranked scores and attributes' }),
    params: WaveParamsSchema,
    objective: PriorityObjectiveSchema,
    priorityModel: PriorityModelSchema.nullable(),
    budgetVnd: z.number(),
    result: WaveResultSchema,
    robustness: z
      .object({
        seed: z.number().int(),
        draws: z.number().int(),
        alpha: z.number(),
        monteCarloError: z.number(),
        counts: z.partialRecord(z.enum(['robust-in', 'borderline', 'robust-out']), z.number()),
      })
      .nullable(),
    support: z
      .object({
        budgetVnd: z.number(),
        spentVnd: z.number(),
        costTable: z.object({ id: Id, version: z.string() }),
        candidates: z
          .number()
          .int()
          .meta({ description: 'Facilities below the minimum level that costed actions can lift' }),
        lifted: z.array(
          z.object({
            facilityId: Id,
            code: z.string(),
            name: z.string(),
            provinceName: z.string(),
            levelId: z.string().meta({ description: 'The level before the support' }),
            costVnd: z.number(),
            actions: z.array(z.object({ itemId: z.string(), name: LocalizedTextSchema })),
          }),
        ),
      })
      .nullable()
      .meta({
        description:
          'What the support budget (supportBn) bought before the wave: the cheapest uplifts to the minimum level, cheapest first; null without the option',
      }),
    rows: z.array(WaveRowSchema),
  })
  .register(apiSchemas, { id: 'WavePlan' })
