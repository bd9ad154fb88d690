/**
 * The importer's outcomes in words, from the `registry` namespace: one place
 * for the page and the command line, so both say the same thing.
 */
import type { TFunction } from 'i18next'
import type { RowError } from './preview.ts'

/** A refused row's problem, e.g. "Tuyến phải là trung ương, tỉnh hoặc cơ bản …". */
export function rowErrorMessage(t: TFunction, error: Pick<RowError, 'error' | 'params'>): string {
  return t(`registry:errors.${error.error}`, error.params ?? {})
}

/** Why a whole file was refused (the reasons of read-file.server.ts and preview.ts, and the apply's). */
export function refusalMessage(
  t: TFunction,
  refusal: { reason: string; line?: number; columns?: string[] },
): string {
  return t(`registry:refusals.${refusal.reason}`, {
    line: refusal.line ?? '',
    columns: (refusal.columns ?? []).join(', '),
  })
}
