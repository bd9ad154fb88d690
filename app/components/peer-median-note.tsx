/** Says why a peer median is missing: the group is below the size whose median is shown. */
import { useTranslation } from 'react-i18next'

export function PeerMedianNote({
  group,
}: {
  group: { size: number; min: number; shown: boolean }
}) {
  const { t } = useTranslation('results')
  return (
    <p className="muted" data-testid="peer-median-note">
      {group.shown
        ? t('peers.rule', { min: group.min })
        : t('peers.tooFew', { count: group.size, min: group.min })}
    </p>
  )
}
