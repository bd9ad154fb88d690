/**
 * The API's response and parameter schemas (zod): every endpoint's body is
 * parsed through its schema before it is sent, and the OpenAPI document
 * (app/api/openapi.server.ts) is generated from the same schemas with zod's
 * JSON Schema output, so the document cannot drift from what is sent.
 *
 * Field names are stable (camelCase); dates are ISO 8601 (`YYYY-MM-DD`),
 * instants ISO 8601 UTC (`…Z`); scores carry the model version that produced them.
 */
import * as z from 'zod'
import {
  ASSESSMENT_STATUSES,
  EMR_STATUSES,
  FACILITY_CLASSES,
  OWNERSHIPS,
  TIERS,
} from '../../db/schema.ts'
import { REFERRAL_ROLES } from '../../scoring/priority.ts'
import { ApiErrorSchema } from '../utils/api-contract.ts'

/** The named schemas, which become the document's `components.schemas`. */
export const apiSchemas = z.registry<{ id: string }>()

const Instant = z.iso.datetime().meta({ description: 'ISO 8601 instant, UTC' })
const Day = z.iso.date().meta({ description: 'ISO 8601 calendar date' })
const Id = z.number().int().positive()

export const CursorPageParamsSchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .meta({ description: 'Rows per page (1–500, default 100)' }),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page' }),
})

export const FacilityParamsSchema = CursorPageParamsSchema.extend({
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .meta({ description: 'Province code' }),
  tier: z.enum(TIERS).optional(),
  ownership: z.enum(OWNERSHIPS).optional(),
  emrStatus: z.enum(EMR_STATUSES).optional(),
  closed: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'Only closed (`true`) or only open (`false`) facilities' }),
})
export type FacilityParams = z.infer<typeof FacilityParamsSchema>

export const RoundListParamsSchema = CursorPageParamsSchema.extend({
  province: z
    .string()
    .regex(/^\d{2}$/)
    .optional()
    .meta({ description: 'Province code' }),
  status: z.enum(ASSESSMENT_STATUSES).optional(),
})
export type RoundListParams = z.infer<typeof RoundListParamsSchema>

export const ScoreParamsSchema = RoundListParamsSchema.omit({ status: true })

export const FacilityIdParamsSchema = z.object({ facilityId: z.coerce.number().int().positive() })
export const RoundIdParamsSchema = z.object({ roundId: z.coerce.number().int().positive() })
export const AssessmentIdParamsSchema = z.object({
  assessmentId: z.coerce.number().int().positive(),
})

export const FacilitySchema = z
  .object({
    id: Id,
    code: z.string(),
    name: z.string(),
    provinceCode: z.string(),
    provinceName: z.string(),
    provinceNameEn: z.string(),
    tier: z.enum(TIERS),
    ownership: z.enum(OWNERSHIPS),
    beds: z.number().int().min(0),
    autonomyGroup: z.number().int().min(1).max(4).nullable(),
    emrStatus: z.enum(EMR_STATUSES),
    facilityClass: z.enum(FACILITY_CLASSES).nullable(),
    referralRole: z.enum(REFERRAL_ROLES).nullable(),
    hasImaging: z.boolean().nullable(),
    address: z.string().nullable(),
    phone: z.string().nullable(),
    closedAt: Instant.nullable(),
    createdAt: Instant,
  })
  .register(apiSchemas, { id: 'Facility' })

const page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
    })
    .register(apiSchemas, { id })

export const FacilityPageSchema = page(FacilitySchema, 'FacilityPage')

export const RoundSchema = z
  .object({
    id: Id,
    name: z.string(),
    opensOn: Day,
    closesOn: Day,
    questionnaireVersion: z.string(),
    scoringModel: z.object({ id: z.string(), version: z.string() }),
    hospitalEmrDeadline: Day,
    otherEmrDeadline: Day,
  })
  .register(apiSchemas, { id: 'Round' })

export const RoundListSchema = z
  .object({ data: z.array(RoundSchema) })
  .register(apiSchemas, { id: 'RoundList' })

export const AssessmentSchema = z
  .object({
    id: Id,
    roundId: Id,
    facilityId: Id,
    facilityCode: z.string(),
    status: z.enum(ASSESSMENT_STATUSES),
    version: z.number().int().min(1),
    questionnaireVersion: z.string(),
    answers: z.record(z.string(), z.unknown()).meta({
      description:
        'Question id → coded value as stored (choice codes, numbers, arrays of codes); see the codebook',
    }),
    createdAt: Instant,
    updatedAt: Instant,
    submittedAt: Instant.nullable(),
    verifiedAt: Instant.nullable(),
    statusHistory: z
      .array(z.object({ status: z.enum(ASSESSMENT_STATUSES), at: Instant }))
      .meta({ description: 'Oldest first; starts with the draft’s creation' }),
  })
  .register(apiSchemas, { id: 'Assessment' })

export const AssessmentPageSchema = page(AssessmentSchema, 'AssessmentPage')

export const ScoreSchema = z
  .object({
    basis: z.enum(['declared', 'verified']),
    modelId: z.string(),
    modelVersion: z.string(),
    composite: z.number().min(0).max(100).meta({ description: '0–100, unrounded' }),
    compositeBp: z.number().int().min(0).max(10000),
    level: z.string(),
    levelCappedBy: z.array(z.string()).meta({ description: 'Failed gates that capped the level' }),
    completeness: z.number().min(0).max(1),
    meetsCompleteness: z.boolean(),
    computedAt: Instant,
    domains: z.array(
      z.object({
        id: z.string(),
        score: z.number().min(0).max(1),
        weight: z.number().min(0).max(1),
        applicable: z.boolean(),
        completeness: z.number().min(0).max(1),
      }),
    ),
    gates: z.array(z.object({ id: z.string(), enabled: z.boolean(), passed: z.boolean() })),
  })
  .register(apiSchemas, { id: 'Score' })

export const AssessmentScoresSchema = z
  .object({
    assessmentId: Id,
    roundId: Id,
    facilityId: Id,
    facilityCode: z.string(),
    status: z.enum(ASSESSMENT_STATUSES),
    current: z
      .enum(['declared', 'verified'])
      .meta({ description: 'Which basis is current: verified while verified, declared otherwise' }),
    declared: ScoreSchema.nullable(),
    verified: ScoreSchema.nullable(),
  })
  .register(apiSchemas, { id: 'AssessmentScores' })

export const ScorePageSchema = page(AssessmentScoresSchema, 'ScorePage')

ApiErrorSchema.register(apiSchemas, { id: 'Error' })
