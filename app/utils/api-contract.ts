/**
 * The one error contract of every JSON endpoint, shared by the server (which
 * writes it, app/utils/api-error.server.ts) and the browser (which reads it
 * with `ApiErrorSchema.safeParse`, never a cast):
 *
 *   { "error": { "code": "payload_too_large", "message": "…", "issues": [{ "path", "message" }] } }
 *
 * `code` is stable and machine-readable; `message` is in the reader's language;
 * `issues` lists what was wrong with the input, field by field, when there is
 * such a list. Domain outcomes that are not errors (a save conflict, an invalid
 * answer) keep their own `kind` unions; this is for requests that failed.
 */
// zod's tree-shakable build: the browser reads this contract on the form page,
// and zod's classic build would add about 20 KB (brotli) to it for three schemas.
import * as z from 'zod/mini'

/** Each code with the HTTP status it always travels with. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  server_error: 500,
  storage_unavailable: 503,
} as const

export type ApiErrorCode = keyof typeof API_ERROR_STATUS
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]

export const ApiIssueSchema = z.object({ path: z.string(), message: z.string() })
export type ApiIssue = z.infer<typeof ApiIssueSchema>

export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.enum(API_ERROR_CODES),
    message: z.string(),
    issues: z.optional(z.array(ApiIssueSchema)),
  }),
})
export type ApiError = z.infer<typeof ApiErrorSchema>
