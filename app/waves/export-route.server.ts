/**
 * The shared bodies of the export endpoints (CSV, XLSX, JSON) for a live
 * plan (`/waves/export.*`, `/api/v1/waves`) and for a saved run
 * (`/waves/runs/:id/export.*`, `/api/v1/waves/runs/:id`): guard, rate limit,
 * parse, build or load, audit, respond.
 */
import type { AppLoadContext } from '@remix-run/node'
import type { ApiCaller } from '../api/caller.server.ts'
import { RunIdParamsSchema, WavePlanDocumentSchema } from '../api/wave-schemas.ts'
import { getI18n } from '../i18n.ts'
import { writeAudit } from '../models/audit.server.ts'
import { getScoringModel } from '../models/content.server.ts'
import {
  facilityFilterFor,
  notFound,
  requireApiPermission,
  requirePermission,
  type SessionUser,
} from '../utils/auth.server.ts'
import type { ApiIssue } from '../utils/api-contract.ts'
import { apiError } from '../utils/api-error.server.ts'
import { getDb } from '../utils/db.server.ts'
import { getLocale } from '../utils/locale.server.ts'
import { nowIso, todayInVietnam } from '../utils/time.server.ts'
import { waveCsv, waveXlsx, type ExportLanguage, type ExportSource } from './export.server.ts'
import { attachJob } from './plan-robustness.server.ts'
import { buildWave, type WavePlan } from './planner.server.ts'
import { requireWaveQuota } from './rate-limit.server.ts'
import { loadRun } from './runs.server.ts'
import { parseWaveParams } from './wave-params.server.ts'
import { localized } from '../utils/localized.ts'

export type ExportFormat = 'csv' | 'xlsx' | 'json'

// One schema for the run id, documented with the API (app/api/wave-schemas.ts).
export const RunIdSchema = RunIdParamsSchema

/** The JSON API answers 401/403 in the error contract; file downloads redirect to sign-in. */
function requireExporter(request: Request, format: ExportFormat): Promise<SessionUser> {
  return format === 'json'
    ? requireApiPermission(request, 'waves:view')
    : requirePermission(request, 'waves:view')
}

/** 400 with every problem: zod's issues, or the planner's checks against the data. */
export function badParams(
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>,
) {
  return Response.json(
    { errors: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) },
    { status: 400 },
  )
}

/**
 * The JSON document of `/api/v1/waves` and `/api/v1/waves/runs/:id`
 * (documented in the README).
 */
export function waveJson(plan: WavePlan, source: ExportSource) {
  return {
    apiVersion: 1,
    run: source.run,
    generatedAt: source.generatedAt,
    round: plan.round,
    model: { id: plan.model.id, version: plan.model.version },
    scope: plan.scope,
    inputHash: plan.inputHash,
    params: plan.params,
    objective: plan.objective,
    priorityModel: plan.priorityModel,
    budgetVnd: plan.budgetVnd,
    result: plan.result,
    robustness: plan.robustness,
    support: plan.support ?? null,
    rows: plan.rows,
  }
}

async function respond(
  plan: WavePlan,
  scoringModelId: number,
  format: ExportFormat,
  source: ExportSource,
  filename: string,
  language: ExportLanguage,
): Promise<Response> {
  if (format === 'json') {
    return Response.json(waveJson(plan, source), { headers: { 'Cache-Control': 'no-store' } })
  }
  if (format === 'csv') {
    return new Response(waveCsv(plan, language), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${filename}.csv"`,
        'Cache-Control': 'no-store',
      },
    })
  }
  const model = await getScoringModel(getDb(), scoringModelId)
  const bytes = await waveXlsx(plan, model, source, language)
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${filename}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}

function exportLanguage(request: Request): ExportLanguage {
  const locale = getLocale(request)
  return { locale, t: getI18n(locale).t }
}

/** A live plan from today's data, with the planner's URL parameters. */
export async function exportWave(request: Request, context: AppLoadContext, format: ExportFormat) {
  const user = await requireExporter(request, format)
  const url = new URL(request.url)
  const locale = getLocale(request)
  const parsed = parseWaveParams(url.searchParams, locale)
  if (!parsed.success) return badParams(parsed.error.issues)
  await requireWaveQuota(request, user.id)
  const db = getDb()
  const filter = facilityFilterFor(user)
  const built = await buildWave(db, filter, parsed.data, todayInVietnam())
  if ('missing' in built) return Response.json({ error: `no ${built.missing}` }, { status: 404 })
  if ('invalid' in built)
    return badParams(built.invalid.map((i) => ({ ...i, message: localized(i.message, locale) })))
  const plan = await attachJob(built.plan, url.searchParams.get('job'), user)
  const generatedAt = nowIso()
  await writeAudit(db, {
    at: generatedAt,
    actorId: user.id,
    action: `wave.export.${format}`,
    entityType: 'round',
    entityId: plan.round.id,
    detail: {
      params: parsed.data,
      scope: filter,
      inputHash: plan.inputHash,
      rows: plan.rows.length,
      robustness: plan.robustness !== null,
    },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  return respond(
    plan,
    plan.model.rowId,
    format,
    { run: null, generatedAt },
    `sansang-wave-round${plan.round.id}`,
    exportLanguage(request),
  )
}

/** A saved run exactly as stored (restricted to the user's scope). */
export async function exportRun(
  request: Request,
  context: AppLoadContext,
  params: unknown,
  format: ExportFormat,
) {
  const user = await requireExporter(request, format)
  const parsed = RunIdSchema.safeParse(params)
  if (!parsed.success) return badParams(parsed.error.issues)
  await requireWaveQuota(request, user.id)
  const db = getDb()
  const run = await loadRun(db, parsed.data.runId, facilityFilterFor(user))
  if (!run) throw notFound()
  await writeAudit(db, {
    at: nowIso(),
    actorId: user.id,
    action: `wave.run.export.${format}`,
    entityType: 'ranking_run',
    entityId: run.id,
    detail: {
      name: run.name,
      params: run.plan.params,
      scope: facilityFilterFor(user),
      rows: run.plan.rows.length,
    },
    ip: context.clientIp,
    requestId: context.requestId,
  })
  return respond(
    run.plan,
    run.scoringModelId,
    format,
    { run: { id: run.id, name: run.name }, generatedAt: run.createdAt },
    `sansang-wave-run${run.id}`,
    exportLanguage(request),
  )
}

/** The contract's 400 for a token, naming each problem (zod's, or the planner's checks). */
function badTokenParams(
  request: Request,
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>,
) {
  const named: ApiIssue[] = issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }))
  return apiError(request, 'bad_request', { issues: named })
}

/** A token's wave document, shaped by the schema the OpenAPI document is generated from. */
function tokenWaveResponse(plan: WavePlan, source: ExportSource) {
  return Response.json(WavePlanDocumentSchema.parse(waveJson(plan, source)), {
    headers: { 'Cache-Control': 'no-store' },
  })
}

/**
 * `/api/v1/waves` for a token (`waves:read`, through `apiRoute`): a live plan
 * of the token's scope from today's data. No robustness job: jobs belong to
 * the signed-in planner who started them.
 */
export async function exportWaveForToken(request: Request, caller: ApiCaller) {
  const locale = getLocale(request)
  const parsed = parseWaveParams(new URL(request.url).searchParams, locale)
  if (!parsed.success) return badTokenParams(request, parsed.error.issues)
  const built = await buildWave(getDb(), caller.filter, parsed.data, todayInVietnam())
  if ('missing' in built) return apiError(request, 'not_found')
  if ('invalid' in built)
    return badTokenParams(
      request,
      built.invalid.map((i) => ({ ...i, message: localized(i.message, locale) })),
    )
  return tokenWaveResponse(built.plan, { run: null, generatedAt: nowIso() })
}

/** `/api/v1/waves/runs/:id` for a token: the saved run, restricted to the token's province. */
export async function exportRunForToken(request: Request, caller: ApiCaller, params: unknown) {
  const parsed = RunIdSchema.safeParse(params)
  if (!parsed.success) return badTokenParams(request, parsed.error.issues)
  const run = await loadRun(getDb(), parsed.data.runId, caller.filter)
  if (!run) return apiError(request, 'not_found')
  return tokenWaveResponse(run.plan, {
    run: { id: run.id, name: run.name },
    generatedAt: run.createdAt,
  })
}
