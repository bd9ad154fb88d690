/** Shared helpers for the assessment's JSON endpoints. */
import type * as z from 'zod'

/** Parses a JSON body with a schema; a Response (400) to throw when it does not fit. */
export async function parseJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.infer<T>> {
  let body: unknown
  try {
    body = await request.json()
  } catch {
    throw Response.json(
      { error: { vi: 'Nội dung yêu cầu phải là JSON.', en: 'The request body must be JSON.' } },
      { status: 400 },
    )
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw Response.json(
      {
        error: { vi: 'Yêu cầu không hợp lệ.', en: 'The request is not valid.' },
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
      { status: 400 },
    )
  }
  return parsed.data
}
