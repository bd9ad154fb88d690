/**
 * The frame around every JSON endpoint's work, so each of its failures is an
 * answer in the error contract the browser can read:
 * - what the work throws on purpose (a guard's 401/403, `parseJsonBody`'s
 *   400) passes through as it is;
 * - a storage failure (disk full, a read-only or failing database, the
 *   evidence folder) is the contract's 503 `storage_unavailable`: the browser
 *   keeps the changes and says so;
 * - anything else is logged and answered as the contract's 500, never
 *   Remix's plain-text one.
 */
import { apiError } from './api-error.server.ts'
import { storageFailureOf } from './storage-error.server.ts'

export async function jsonEndpoint(
  request: Request,
  work: () => Promise<Response>,
): Promise<Response> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Response) return error
    const failure = storageFailureOf(error)
    if (failure) {
      // An operator must see it, but it is the disk, not a bug: a warning.
      console.warn(
        `storage unavailable (${failure}) on ${new URL(request.url).pathname}:`,
        error instanceof Error ? error.message : error,
      )
      return apiError(request, 'storage_unavailable')
    }
    console.error(error)
    return apiError(request, 'server_error')
  }
}
