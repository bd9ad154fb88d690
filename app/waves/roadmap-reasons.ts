/**
 * Why a facility misses a deadline, in the reader's words: one wording for
 * the page and the files (browser-safe: the page renders it too).
 */
import type { TFunction } from 'i18next'
import type { MissReason } from './roadmap.server.ts'

/** @example missReasonText({ kind: 'noRoom' }, t, formatDate) // "no room within …" */
export function missReasonText(
  reason: MissReason,
  t: TFunction,
  formatDate: (iso: string) => string,
): string {
  switch (reason.kind) {
    case 'late':
      return t('waves:roadmap.reasons.late', { id: reason.periodId, end: formatDate(reason.end) })
    case 'noRoom':
      return t('waves:roadmap.reasons.noRoom')
    case 'noUplift':
      return t('waves:roadmap.reasons.noUplift')
    case 'notEligible':
      return t('waves:roadmap.reasons.notEligible', {
        exclusions: reason.exclusions
          .map((e) =>
            e.startsWith('gate:')
              ? t('waves:roadmap.reasons.gate', { id: e.slice(5) })
              : t(`waves:roadmap.reasons.${e === 'completeness' ? 'completeness' : 'level'}`),
          )
          .join(', '),
      })
  }
}
