/**
 * How the rollout pages word the rules' refusals and risks, from the
 * `rollout` namespace (browser-safe: the pages render them).
 */
import type { TFunction } from 'i18next'
import type { ProposalProblem, RiskReason } from './rules.ts'

export function problemText(
  t: TFunction,
  problem: ProposalProblem,
  date: (value: string) => string,
): string {
  switch (problem.code) {
    case 'future':
      return t('rollout:errors.future', { date: date(problem.today) })
    case 'duplicate':
      return t('rollout:errors.duplicate')
    case 'prerequisiteMissing':
      return t('rollout:errors.prerequisiteMissing', {
        step: t(`rollout:kinds.${problem.prerequisite}`),
      })
    case 'beforePrerequisite':
      return t('rollout:errors.beforePrerequisite', {
        step: t(`rollout:kinds.${problem.prerequisite}`),
        date: date(problem.date),
      })
  }
}

export function riskText(t: TFunction, risk: RiskReason, date: (value: string) => string): string {
  switch (risk.code) {
    case 'behindSchedule':
      return t('rollout:risks.behindSchedule', {
        step: t(`rollout:kinds.${risk.milestone}`),
        date: date(risk.dueOn),
      })
    case 'pastTarget':
      return t('rollout:risks.pastTarget', { date: date(risk.targetGoLive) })
    case 'pastLegalDeadline':
      return t('rollout:risks.pastLegalDeadline', { date: date(risk.deadline) })
  }
}
