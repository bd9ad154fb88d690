/**
 * The API's endpoints' work: parse the parameters, read within the token's
 * scope, shape each row into its response schema (app/api/schemas.ts) and
 * answer with an ETag. Routes stay one line: `apiRoute(args, scope, (caller) => …)`.
 */
import { createHash } from 'node:crypto'
import type * as z from 'zod'
import {
  getAssessmentForApi,
  getRegistryRowForApi,
  listAssessmentsForApi,
  listRegistryForApi,
  listRoundsWithVersions,
  listStatusEvents,
} from '../models/api-read.server.ts'
import { getRound } from '../models/round.server.ts'
import { listRoundScores } from '../models/score.server.ts'
import type { AssessmentScore } from '../../scoring/score.ts'
import { apiError, issuesOf } from '../utils/api-error.server.ts'
import { getDb } from '../utils/db.server.ts'
import { requireReach, type ApiCaller } from './caller.server.ts'
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
  type CursorPageParamsSchema,
} from './schemas.ts'

type Params = Record<string, string | undefined>

/** Parses URL parameters or throws the contract's 400 naming each one. */
function parseParams<T extends z.ZodType>(request: Request, schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success)
    throw apiError(request, 'bad_request', { issues: issuesOf(parsed.error.issues) })
  return parsed.data
}

function query(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams)
}

/** A cursor is the last id of the page, opaque to callers (they pass it back). */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`id:${lastId}`).toString('base64url')
}

function decodeCursor(request: Request, cursor: string | undefined): number {
  if (cursor === undefined) return 0
  const match = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match?.[1])
    throw apiError(request, 'bad_request', { issues: [{ path: 'cursor', message: 'cursor' }] })
  return Number(match[1])
}

function pageOf<T extends { id: number }>(rows: T[], limit: number) {
  const last = rows.at(-1)
  return { nextCursor: rows.length === limit && last ? encodeCursor(last.id) : null }
}

/**
 * The body as JSON with a strong ETag of its bytes; `If-None-Match` with
 * the same tag gets 304 and no body. Private: every answer depends on the token.
 */
export function jsonWithEtag(request: Request, body: unknown): Response {
  const text = JSON.stringify(body)
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`
  const headers = {
    ETag: etag,
    'Cache-Control': 'private, no-cache',
    Vary: 'Authorization',
  }
  const match = request.headers.get('if-none-match')
  if (match && match.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
    return new Response(null, { status: 304, headers })
  return new Response(text, {
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  })
}

function json(body: unknown): Response {
  return Response.json(body, { headers: { 'Cache-Control': 'private, no-store' } })
}

type CursorPage = z.infer<typeof CursorPageParamsSchema>
function keyset(request: Request, p: CursorPage) {
  return { afterId: decodeCursor(request, p.cursor), limit: p.limit }
}

type RegistryRow = Awaited<ReturnType<typeof listRegistryForApi>>[number]

function facilityOut(r: RegistryRow): z.infer<typeof FacilitySchema> {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    provinceCode: r.province_code,
    provinceName: r.province_name,
    provinceNameEn: r.province_name_en,
    tier: r.tier,
    ownership: r.ownership,
    beds: r.beds,
    autonomyGroup: r.autonomy_group,
    emrStatus: r.emr_status,
    facilityClass: r.facility_class,
    referralRole: r.referral_role,
    hasImaging: r.has_imaging === null ? null : r.has_imaging === 1,
    address: r.address,
    phone: r.phone,
    closedAt: r.closed_at,
    createdAt: r.created_at,
  }
}

export async function facilitiesEndpoint(request: Request, caller: ApiCaller) {
  const p = parseParams(request, FacilityParamsSchema, query(request))
  const rows = await listRegistryForApi(getDb(), caller.filter, {
    province: p.province,
    tier: p.tier,
    ownership: p.ownership,
    emrStatus: p.emrStatus,
    closed: p.closed === undefined ? undefined : p.closed === 'true',
    ...keyset(request, p),
  })
  return jsonWithEtag(
    request,
    FacilityPageSchema.parse({ data: rows.map(facilityOut), ...pageOf(rows, p.limit) }),
  )
}

export async function facilityEndpoint(request: Request, caller: ApiCaller, params: Params) {
  const { facilityId } = parseParams(request, FacilityIdParamsSchema, params)
  const row = await getRegistryRowForApi(getDb(), facilityId)
  requireReach(request, caller, row)
  if (!row) throw apiError(request, 'not_found')
  return json(FacilitySchema.parse(facilityOut(row)))
}

export async function roundsEndpoint(request: Request) {
  const rows = await listRoundsWithVersions(getDb())
  return jsonWithEtag(
    request,
    RoundListSchema.parse({
      data: rows.map((r) => ({
        id: r.id,
        name: r.name,
        opensOn: r.opens_on,
        closesOn: r.closes_on,
        questionnaireVersion: r.questionnaire_version,
        scoringModel: { id: r.model_id, version: r.model_version },
        hospitalEmrDeadline: r.hospital_emr_deadline,
        otherEmrDeadline: r.other_emr_deadline,
      })),
    }),
  )
}

async function requireRound(request: Request, params: Params) {
  const { roundId } = parseParams(request, RoundIdParamsSchema, params)
  const round = await getRound(getDb(), roundId)
  if (!round) throw apiError(request, 'not_found')
  return round
}

type AssessmentRow = NonNullable<Awaited<ReturnType<typeof getAssessmentForApi>>>

async function assessmentsOut(rows: AssessmentRow[]) {
  const events = await listStatusEvents(
    getDb(),
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    id: r.id,
    roundId: r.round_id,
    facilityId: r.facility_id,
    facilityCode: r.facility_code,
    status: r.status,
    version: r.version,
    questionnaireVersion: r.questionnaire_version,
    answers: r.answers,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedAt: r.submitted_at,
    verifiedAt: r.verified_at,
    statusHistory: [
      { status: 'draft' as const, at: r.created_at },
      ...events.filter((e) => e.assessmentId === r.id).map((e) => ({ status: e.status, at: e.at })),
    ],
  }))
}

export async function assessmentsEndpoint(request: Request, caller: ApiCaller, params: Params) {
  const round = await requireRound(request, params)
  const p = parseParams(request, RoundListParamsSchema, query(request))
  const rows = await listAssessmentsForApi(getDb(), caller.filter, {
    roundId: round.id,
    province: p.province,
    status: p.status,
    ...keyset(request, p),
  })
  return jsonWithEtag(
    request,
    AssessmentPageSchema.parse({ data: await assessmentsOut(rows), ...pageOf(rows, p.limit) }),
  )
}

export async function assessmentEndpoint(request: Request, caller: ApiCaller, params: Params) {
  const { assessmentId } = parseParams(request, AssessmentIdParamsSchema, params)
  const row = await getAssessmentForApi(getDb(), assessmentId)
  requireReach(request, caller, row && { id: row.facility_id, province_code: row.province_code })
  if (!row) throw apiError(request, 'not_found')
  const [out] = await assessmentsOut([row])
  return json(AssessmentSchema.parse(out))
}

function scoreOut(
  stored: { basis: 'declared' | 'verified'; computedAt: string; score: AssessmentScore } | null,
) {
  if (!stored) return null
  const s = stored.score
  return {
    basis: stored.basis,
    modelId: s.modelId,
    modelVersion: s.modelVersion,
    composite: s.composite,
    compositeBp: s.compositeBp,
    level: s.level.id,
    levelCappedBy: s.level.cappedBy,
    completeness: s.completeness,
    meetsCompleteness: s.meetsCompleteness,
    computedAt: stored.computedAt,
    domains: s.domains.map((d) => ({
      id: d.id,
      score: d.score,
      weight: d.weight,
      applicable: d.applicable,
      completeness: d.completeness,
    })),
    gates: s.gates.map((g) => ({ id: g.id, enabled: g.enabled, passed: g.passed })),
  }
}

export async function scoresEndpoint(request: Request, caller: ApiCaller, params: Params) {
  const round = await requireRound(request, params)
  const p = parseParams(request, ScoreParamsSchema, query(request))
  const rows = await listRoundScores(getDb(), caller.filter, {
    roundId: round.id,
    province: p.province,
    ...keyset(request, p),
  })
  return jsonWithEtag(
    request,
    ScorePageSchema.parse({
      data: rows.map((r) => ({
        assessmentId: r.id,
        roundId: r.round_id,
        facilityId: r.facility_id,
        facilityCode: r.facility_code,
        status: r.status,
        current: r.current,
        declared: scoreOut(r.declared),
        verified: scoreOut(r.verified),
      })),
      ...pageOf(rows, p.limit),
    }),
  )
}
