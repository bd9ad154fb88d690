/** The submission receipt: when, which version, and the hash of the answers. */
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../utils/date-format.ts'

export interface ReceiptView {
  submittedAt: string
  version: number
  answersSha256: string
  submittedBy: string
}

export function SubmissionReceipt({ receipt }: { receipt: ReceiptView }) {
  const { t, i18n } = useTranslation('assessment')
  return (
    <section className="card receipt" aria-labelledby="receipt-title" data-testid="receipt">
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <dl>
        <dt>{t('receipt.submittedAt')}</dt>
        <dd>{formatDateTime(receipt.submittedAt, i18n.language)}</dd>
        <dt>{t('receipt.submittedBy')}</dt>
        <dd>{receipt.submittedBy}</dd>
        <dt>{t('receipt.version')}</dt>
        <dd>{receipt.version}</dd>
        <dt>{t('receipt.hash')}</dt>
        <dd>
          <code className="hash" data-testid="receipt-hash">
            {receipt.answersSha256}
          </code>
        </dd>
      </dl>
      <p className="muted">{t('receipt.explain')}</p>
    </section>
  )
}
