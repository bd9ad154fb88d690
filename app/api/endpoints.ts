/**
 * Every token-authenticated endpoint, described once: the OpenAPI document,
 * the reference page and the contract test all read this list, so an
 * endpoint that is added here is documented and tested, and one that is
 * not cannot be forgotten by the test (it checks the route files against it).
 */
import type * as z from 'zod'
import type { ApiScope } from '../../db/schema.ts'
import {
  AssessmentIdParamsSchema,
  AssessmentPageSchema,
  AssessmentSchema,
  FacilityIdParamsSchema,
  FacilityPageSchema,
  FacilityParamsSchema,
  FacilitySchema,
  RoundIdParamsSchema,
  RoundListParamsSchema,
  RoundListSchema,
  ScorePageSchema,
  ScoreParamsSchema,
} from './schemas.ts'
import { RunIdParamsSchema, WavePlanDocumentSchema } from './wave-schemas.ts'
import { WaveParamsSchema } from '../waves/wave-params.server.ts'

export interface ApiEndpoint {
  /** The route file (app/routes/<route>.tsx). */
  route: string
  /** OpenAPI path template. */
  path: string
  operationId: string
  summary: string
  /** null: any valid token. */
  scope: ApiScope | null
  pathParams?: z.ZodObject
  query?: z.ZodObject
  /** A schema registered in `apiSchemas` (so it has a component name). */
  response: z.ZodType
  /** Lists carry an ETag and answer If-None-Match with 304. */
  etag: boolean
  /** When an endpoint without path parameters answers 404, and why. */
  notFound?: string
}

export const API_ENDPOINTS: ApiEndpoint[] = [
  {
    route: 'api.v1.facilities',
    path: '/api/v1/facilities',
    operationId: 'listFacilities',
    summary: 'The facility registry in the token’s scope, by id',
    scope: 'facilities:read',
    query: FacilityParamsSchema,
    response: FacilityPageSchema,
    etag: true,
  },
  {
    route: 'api.v1.facilities.$facilityId',
    path: '/api/v1/facilities/{facilityId}',
    operationId: 'getFacility',
    summary: 'One facility',
    scope: 'facilities:read',
    pathParams: FacilityIdParamsSchema,
    response: FacilitySchema,
    etag: false,
  },
  {
    route: 'api.v1.rounds',
    path: '/api/v1/rounds',
    operationId: 'listRounds',
    summary: 'The assessment rounds, newest first, with questionnaire and model versions',
    scope: null,
    response: RoundListSchema,
    etag: true,
  },
  {
    route: 'api.v1.rounds.$roundId.assessments',
    path: '/api/v1/rounds/{roundId}/assessments',
    operationId: 'listAssessments',
    summary: 'A round’s assessments: raw answers (question id → coded value), status history',
    scope: 'assessments:read',
    pathParams: RoundIdParamsSchema,
    query: RoundListParamsSchema,
    response: AssessmentPageSchema,
    etag: true,
  },
  {
    route: 'api.v1.assessments.$assessmentId',
    path: '/api/v1/assessments/{assessmentId}',
    operationId: 'getAssessment',
    summary: 'One assessment',
    scope: 'assessments:read',
    pathParams: AssessmentIdParamsSchema,
    response: AssessmentSchema,
    etag: false,
  },
  {
    route: 'api.v1.rounds.$roundId.scores',
    path: '/api/v1/rounds/{roundId}/scores',
    operationId: 'listScores',
    summary:
      'A round’s scores under its own model: declared and verified, domains, gates, level; which is current',
    scope: 'scores:read',
    pathParams: RoundIdParamsSchema,
    query: ScoreParamsSchema,
    response: ScorePageSchema,
    etag: true,
  },
  {
    route: 'api.v1.waves',
    path: '/api/v1/waves',
    operationId: 'getWavePlan',
    summary:
      'A live wave plan of the token’s scope from today’s data, with the planner’s parameters (as /waves)',
    notFound: 'No round to plan from: none is open, or the one named does not exist',
    scope: 'waves:read',
    query: WaveParamsSchema,
    response: WavePlanDocumentSchema,
    etag: false,
  },
  {
    route: 'api.v1.waves.runs.$runId',
    path: '/api/v1/waves/runs/{runId}',
    operationId: 'getWaveRun',
    summary: 'A saved ranking run exactly as stored, restricted to the token’s province',
    scope: 'waves:read',
    pathParams: RunIdParamsSchema,
    response: WavePlanDocumentSchema,
    etag: false,
  },
]
