/**
 * Writing the JSON error contract (app/utils/api-contract.ts): one function
 * for every JSON endpoint's failures, with the message in the reader's
 * language from `common:apiErrors.<code>` unless the caller has a more
 * precise one.
 */
import type * as z from 'zod'
import { getI18n } from '../i18n.ts'
import {
  API_ERROR_STATUS,
  type ApiError,
  type ApiErrorCode,
  type ApiIssue,
} from './api-contract.ts'
import { getLocale } from './locale.server.ts'

export interface ApiErrorOptions {
  /** A message in the reader's language; the code's own message otherwise. */
  message?: string
  issues?: ApiIssue[]
  headers?: HeadersInit
}

/** The error response for `code` (status from the contract, `no-store`). */
export function apiError(
  request: Request,
  code: ApiErrorCode,
  options: ApiErrorOptions = {},
): Response {
  const message = options.message ?? getI18n(getLocale(request)).t(`common:apiErrors.${code}`)
  const body: ApiError = {
    error: { code, message, ...(options.issues ? { issues: options.issues } : {}) },
  }
  const headers = new Headers(options.headers)
  headers.set('Cache-Control', 'no-store')
  return Response.json(body, { status: API_ERROR_STATUS[code], headers })
}

/** zod's issues as the contract's `issues` (dotted paths). */
export function issuesOf(issues: readonly z.core.$ZodIssue[]): ApiIssue[] {
  return issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}

/**
 * Parses a JSON body with a schema; throws the contract's 400 (`bad_request`)
 * when the body is not JSON or does not fit, naming each field.
 */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    throw apiError(request, 'bad_request', {
      message: getI18n(getLocale(request)).t('common:apiErrors.notJson'),
    })
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success)
    throw apiError(request, 'bad_request', { issues: issuesOf(parsed.error.issues) })
  return parsed.data
}
