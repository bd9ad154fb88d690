/** A score as a reviewer reads it: points, the level with its name, the failed conditions by title. */
import { useTranslation } from 'react-i18next'
import { useNumberFormat } from '../utils/number-format.ts'

export function ScoreText({
  score,
}: {
  score: { composite: number; level: string; levelTitle: string; failedGates: string[] }
}) {
  const { t } = useTranslation('review')
  const { num } = useNumberFormat()
  return (
    <>
      {t('confirm.score', {
        composite: num(score.composite, 2),
        level: score.level,
        title: score.levelTitle,
      })}
      {score.failedGates.length > 0 ? (
        <span className="muted">
          {' '}
          · {t('page.failedGates', { gates: score.failedGates.join('; ') })}
        </span>
      ) : null}
    </>
  )
}
